#include "ingest/event_writer.h"

#include <algorithm>
#include <memory>

#include "core/current_thread.h"
#include "core/log.h"

namespace datafast::ingest {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

}  // namespace

EventWriter::EventWriter(store::EventStore& store, IngestLog& log, Options options, core::MetricsRegistry& metrics)
    : store_(store),
      log_(log),
      options_(options),
      accepted_(metrics.AddCounter("datafast_events_accepted_total", "Events committed to the ingest log.")),
      commit_failures_(metrics.AddCounter("datafast_event_commit_failures_total",
                                          "Batches the ingest log failed to commit (their requests got 503).")),
      commit_seconds_(metrics.AddHistogram("datafast_event_commit_seconds",
                                           "Time to commit one batch of events to the ingest log.",
                                           {0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5})),
      batch_size_(metrics.AddHistogram("datafast_event_commit_batch_size", "Events per committed batch.",
                                       {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000})),
      load_failures_(metrics.AddCounter("datafast_event_load_failures_total",
                                        "Loads of logged events into the event store that failed (retried).")),
      load_seconds_(metrics.AddHistogram("datafast_event_load_seconds",
                                         "Time to load one batch of logged events into the event store.",
                                         {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5})),
      next_from_segment_(log.open_segment()) {
  metrics.AddGauge("datafast_ingest_queue_depth", "Events waiting for the ingest log.",
                   [this] { return static_cast<double>(depth()); });
  metrics.AddGauge("datafast_ingest_queue_capacity", "Events the writer queue holds before answering 503.",
                   [this] { return static_cast<double>(options_.queue_capacity); });
  metrics.AddGauge("datafast_events_unloaded", "Events in the ingest log not yet loaded into the event store.",
                   [this] { return static_cast<double>(unloaded()); });
  metrics.AddGauge("datafast_ingest_spool_bytes",
                   "Bytes of the ingest log whose events wait for the event store on disk only (it fell behind).",
                   [this] { return static_cast<double>(spool_bytes()); });
  metrics.AddGauge("datafast_ingest_spool_capacity_bytes", "Bytes the spool holds before answering 503.",
                   [this] { return static_cast<double>(options_.spool_capacity_bytes); });
  writer_ = std::thread([this] { RunWriter(); });
  loader_ = std::thread([this] { RunLoader(); });
}

EventWriter::~EventWriter() { Stop(); }

bool EventWriter::Submit(store::Event&& event, Done done) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queued_.size() >= options_.queue_capacity) return false;
    queued_.push_back(std::move(event));
    queued_done_.push_back(std::move(done));
    // The writer drains the whole queue on each pass: only an empty queue
    // can have it asleep, so later events need not wake it again.
    if (queued_.size() > 1) return true;
  }
  queue_ready_.notify_one();
  return true;
}

Status EventWriter::Write(std::vector<store::Event>&& events) {
  std::vector<std::future<Status>> committed;
  Status submitted;
  for (store::Event& event : events) {
    auto outcome = std::make_shared<std::promise<Status>>();
    committed.push_back(outcome->get_future());
    if (!Submit(std::move(event), [outcome](const Status& status) { outcome->set_value(status); })) {
      committed.pop_back();
      submitted = Status::Unavailable("too many events waiting to be written; retry shortly");
      break;
    }
  }
  for (std::future<Status>& outcome : committed) {
    Status status = outcome.get();
    if (submitted.ok()) submitted = status;
  }
  return submitted;
}

void EventWriter::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  queue_ready_.notify_all();
  loader_ready_.notify_all();
  if (writer_.joinable()) writer_.join();
  if (loader_.joinable()) loader_.join();
}

Status EventWriter::Flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  uint64_t target = logged_total_;
  if (loaded_total_ >= target) return Status::Ok();
  flush_requested_ = true;
  queue_ready_.notify_all();
  if (!load_done_.wait_for(lock, timeout, [&] { return loaded_total_ >= target; })) {
    return Status::Unavailable("recent events are not in the event store yet; try again shortly");
  }
  return Status::Ok();
}

size_t EventWriter::depth() const {
  std::lock_guard lock(mu_);
  return queued_.size();
}

size_t EventWriter::unloaded() const {
  std::lock_guard lock(mu_);
  return logged_.size() + sealed_count_ + loading_;
}

uint64_t EventWriter::spool_bytes() const {
  std::lock_guard lock(mu_);
  return spool_bytes_;
}

void EventWriter::HandOffLocked() {
  auto sealed = log_.Seal();
  if (!sealed.ok()) {
    // The events stay in logged_ and go with a later segment.
    core::LogError("cannot seal the ingest log", {{"error", sealed.status().message()}});
    return;
  }
  size_t handed_off = logged_.size();
  sealed_.push_back({next_from_segment_, *sealed, log_.last_sealed_bytes(), handed_off, std::move(logged_)});
  next_from_segment_ = *sealed + 1;
  sealed_count_ += handed_off;
  sealed_in_memory_ += handed_off;
  logged_.clear();
  logged_.swap(recycled_);
  // The next batch is likely as large: growing to it would move every event
  // again at each doubling.
  logged_.reserve(handed_off);
  flush_requested_ = false;
  // The store is behind: the newest batches wait on disk only, the oldest
  // (next to load) stay in memory.
  for (auto it = sealed_.rbegin(); sealed_in_memory_ > options_.queue_capacity && it != sealed_.rend(); ++it) {
    if (it->spilled || it == std::prev(sealed_.rend())) continue;
    if (spool_bytes_ == 0) {
      core::LogWarn("the event store is behind; waiting events are kept in the ingest log only",
                    {{"events", int64_t(sealed_count_)}});
    }
    sealed_in_memory_ -= it->count;
    spool_bytes_ += it->bytes;
    it->spilled = true;
    std::vector<store::Event>().swap(it->events);
  }
  loader_ready_.notify_one();
}

void EventWriter::RunWriter() {
  core::NameCurrentThread("ingest-writer");
  // Each sync's end wakes the writer, thousands of times a second under
  // load. Preempting a request thread each time costs both of them a
  // switch; waiting for its turn instead lets more events join the next
  // batch, so fewer syncs carry the same events (twice as many per sync,
  // and about a tenth more events per second at saturation: see
  // docs/benchmarks.md). When a core is idle, nothing waits.
  if (Status batch = core::ScheduleCurrentThreadAsBatch(); !batch.ok()) {
    core::LogWarn("the ingest writer keeps the default scheduling", {{"error", batch.message()}});
  }
  std::vector<store::Event> events;
  std::vector<Done> dones;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      for (;;) {
        bool load_due = !logged_.empty() && (flush_requested_ || logged_.size() >= options_.load_batch ||
                                             Clock::now() >= first_logged_at_ + options_.load_interval);
        if (load_due) HandOffLocked();
        bool room = logged_.size() < options_.queue_capacity && spool_bytes_ < options_.spool_capacity_bytes;
        if (!queued_.empty() && room) break;
        if (stopping_ && queued_.empty()) {
          // Done once all is handed off, or when the log cannot be sealed
          // (then the next start recovers the rest from it).
          if (!logged_.empty()) HandOffLocked();
          writer_done_ = true;
          loader_ready_.notify_one();
          return;
        }
        if (!logged_.empty()) {
          queue_ready_.wait_until(lock, first_logged_at_ + options_.load_interval);
        } else {
          queue_ready_.wait(lock);
        }
      }
      events.clear();
      dones.clear();
      if (queued_.size() <= options_.max_batch) {
        events.swap(queued_);
        dones.swap(queued_done_);
      } else {  // only under overload
        auto n = static_cast<std::ptrdiff_t>(options_.max_batch);
        events.assign(std::make_move_iterator(queued_.begin()), std::make_move_iterator(queued_.begin() + n));
        dones.assign(std::make_move_iterator(queued_done_.begin()), std::make_move_iterator(queued_done_.begin() + n));
        queued_.erase(queued_.begin(), queued_.begin() + n);
        queued_done_.erase(queued_done_.begin(), queued_done_.begin() + n);
      }
    }
    auto start = Clock::now();
    Status status = log_.Append(events);
    commit_seconds_.Observe(SecondsSince(start));
    batch_size_.Observe(static_cast<double>(events.size()));
    if (status.ok()) {
      accepted_.Add(events.size());
    } else {
      commit_failures_.Add();
      core::LogError("event commit failed", {{"error", status.message()}, {"events", int64_t(events.size())}});
    }
    if (status.ok()) {
      // Counted before anyone hears of it, so a Flush after an
      // acknowledgement always waits for that event.
      std::lock_guard lock(mu_);
      if (logged_.empty()) first_logged_at_ = Clock::now();
      logged_total_ += events.size();
      logged_.insert(logged_.end(), std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
    }
    for (Done& done : dones) done(status);
  }
}

void EventWriter::PrepareLogSpare() {
  if (Status prepared = log_.PrepareSpare(); !prepared.ok()) {
    // Harmless: the next segment grows as it is written, at some cost to
    // each commit.
    core::LogWarn("cannot prepare a spare ingest log segment", {{"error", prepared.message()}});
  }
}

bool EventWriter::Load(Sealed& batch) {
  for (bool retry = false;; retry = true) {
    Status status;
    if (batch.spilled && batch.events.empty()) {
      auto read = log_.ReadSealed(batch.from_segment, batch.through_segment);
      status = read.status();
      if (read.ok()) batch.events = std::move(*read);
    }
    // A failed load may have reached the store all the same (its answer
    // lost on the way back): what the store has is not loaded twice.
    if (status.ok() && retry && !batch.events.empty()) {
      auto [lo, hi] = std::minmax_element(batch.events.begin(), batch.events.end(),
                                          [](const auto& a, const auto& b) { return a.ts_micros < b.ts_micros; });
      auto stored = store_.EventIdsBetween(lo->ts_micros, hi->ts_micros);
      if (stored.ok()) std::erase_if(batch.events, [&](const store::Event& e) { return stored->contains(e.event_id); });
    }
    if (status.ok()) {
      auto start = Clock::now();
      status = store_.Append(batch.events);
      load_seconds_.Observe(SecondsSince(start));
    }
    if (status.ok()) {
      if (Status deleted = log_.DeleteThrough(batch.through_segment); !deleted.ok()) {
        // Harmless: recovery skips events the store already has.
        core::LogWarn("cannot delete loaded ingest log segments", {{"error", deleted.message()}});
      }
      return true;
    }
    load_failures_.Add();
    core::LogError("loading events into the event store failed; they stay in the ingest log",
                   {{"error", status.message()}, {"events", int64_t(batch.count)}});
    std::unique_lock lock(mu_);
    if (stopping_) return false;  // the next start recovers them from the log
    loader_ready_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
  }
}

void EventWriter::RunLoader() {
  core::NameCurrentThread("ingest-loader");
  PrepareLogSpare();
  for (;;) {
    Sealed batch;
    {
      std::unique_lock lock(mu_);
      loader_ready_.wait(lock, [this] { return !sealed_.empty() || writer_done_; });
      if (sealed_.empty()) return;  // the writer is done and everything is loaded
      // Batches load oldest first: each load deletes the segments up to
      // its own, which hold nothing newer.
      batch = std::move(sealed_.front());
      sealed_.pop_front();
      sealed_count_ -= batch.count;
      if (!batch.spilled) sealed_in_memory_ -= batch.count;
      loading_ = batch.count;
    }
    bool loaded = Load(batch);
    batch.events.clear();
    {
      std::lock_guard lock(mu_);
      if (batch.events.capacity() > recycled_.capacity()) recycled_.swap(batch.events);
      if (loaded) loaded_total_ += loading_;
      loading_ = 0;
      if (batch.spilled) {
        spool_bytes_ -= batch.bytes;
        if (spool_bytes_ == 0) core::LogInfo("the event store has caught up with the ingest log", {});
      }
      if (!loaded) return;  // stopping: the rest stays in the log for the next start
    }
    load_done_.notify_all();
    queue_ready_.notify_all();  // room again
    // The segment just handed off used the spare, if there was one.
    PrepareLogSpare();
  }
}

}  // namespace datafast::ingest
