#include "ingest/event_writer.h"

#include <chrono>
#include <vector>

#include "core/log.h"

namespace datafast::ingest {

EventWriter::EventWriter(store::EventStore& store, Options options, core::MetricsRegistry& metrics)
    : store_(store),
      options_(options),
      accepted_(metrics.AddCounter("datafast_events_accepted_total", "Events committed to the event store.")),
      commit_failures_(metrics.AddCounter("datafast_event_commit_failures_total",
                                          "Batches the event store failed to commit (their requests got 503).")),
      commit_seconds_(metrics.AddHistogram("datafast_event_commit_seconds", "Time to commit one batch of events.",
                                           {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5})),
      batch_size_(metrics.AddHistogram("datafast_event_commit_batch_size", "Events per committed batch.",
                                       {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000})) {
  metrics.AddGauge("datafast_ingest_queue_depth", "Events waiting for the writer.",
                   [this] { return static_cast<double>(depth()); });
  metrics.AddGauge("datafast_ingest_queue_capacity", "Events the writer queue holds before answering 503.",
                   [this] { return static_cast<double>(options_.queue_capacity); });
  thread_ = std::thread([this] { Run(); });
}

EventWriter::~EventWriter() { Stop(); }

bool EventWriter::Submit(store::Event event, Done done) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= options_.queue_capacity) return false;
    queue_.push_back({std::move(event), std::move(done)});
  }
  ready_.notify_one();
  return true;
}

void EventWriter::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  ready_.notify_one();
  if (thread_.joinable()) thread_.join();
}

size_t EventWriter::depth() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void EventWriter::Run() {
  std::vector<Pending> batch;
  std::vector<store::Event> events;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is committed
      size_t n = std::min(queue_.size(), options_.max_batch);
      batch.clear();
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    events.clear();
    for (Pending& p : batch) events.push_back(std::move(p.event));
    auto start = std::chrono::steady_clock::now();
    Status status = store_.Append(events);
    commit_seconds_.Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    batch_size_.Observe(static_cast<double>(events.size()));
    if (status.ok()) {
      accepted_.Add(events.size());
    } else {
      commit_failures_.Add();
      core::LogError("event commit failed", {{"error", status.message()}, {"events", int64_t(events.size())}});
    }
    for (Pending& p : batch) p.done(status);
  }
}

}  // namespace datafast::ingest
