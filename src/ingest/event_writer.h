// The single writer in front of the event store, with group commit: events
// from many requests wait in a bounded queue, one thread takes up to
// `max_batch` of them, appends them to the ingest log in one write and one
// fdatasync, and only then tells each request its outcome. A 202 therefore
// means durable, and one sync is shared by every request that arrived while
// the previous one ran.
//
// A second thread, the loader, moves logged events into the event store in
// large transactions (at least every `load_interval`, or sooner once
// `load_batch` events wait), then deletes the log segments it loaded; the
// ingest log explains why (ingest/ingest_log.h). Events are readable in the
// store within about `load_interval` of their acknowledgement.
//
// When the store falls behind (it is slow, or away: a ClickHouse outage),
// logged events keep coming: the newest sealed batches are dropped from
// memory once `queue_capacity` events wait there, and the loader reads them
// back from the log when their turn comes. The log then holds the backlog
// on disk, up to `spool_capacity_bytes`; the metric datafast_ingest_spool_bytes
// says how much, and the log says when spilling starts and when the store
// has caught up.
//
// Memory and disk are bounded: when `queue_capacity` events wait for the
// log, Submit refuses at once (the HTTP layer answers 503 with
// Retry-After); when the spool is full, the writer stops taking from the
// queue, so the queue fills and refuses in turn. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "core/metrics.h"
#include "core/status.h"
#include "ingest/ingest_log.h"
#include "store/event_store.h"

namespace datafast::ingest {

class EventWriter {
 public:
  struct Options {
    size_t queue_capacity = 100'000;
    size_t max_batch = 5'000;
    size_t load_batch = 50'000;
    std::chrono::milliseconds load_interval{500};
    uint64_t spool_capacity_bytes = uint64_t{4} << 30;
  };
  // Called once per submitted event, on the writer thread, after its commit
  // to the log.
  using Done = std::function<void(const Status&)>;

  EventWriter(store::EventStore& store, IngestLog& log, Options options, core::MetricsRegistry& metrics);
  ~EventWriter();  // Stop()s

  // Queues `event`; false when the queue is full (then `done` is not called
  // and `event` is left as it was) or the writer is stopping.
  bool Submit(store::Event&& event, Done done);

  // Submits `events` and waits for their commit to the log: for callers off
  // the HTTP path (payments). kUnavailable at once when the queue is full;
  // then some of them may be logged, and the caller writes them again.
  Status Write(std::vector<store::Event>&& events);

  // Refuses new events, logs everything queued, loads everything logged into
  // the store, and joins both threads. What the store refuses stays in the
  // log for the next start's recovery.
  void Stop();

  // Waits until every event acknowledged before the call is in the store
  // (loading at once instead of at the next interval), so that a deletion
  // that follows catches them too. kUnavailable after `timeout`.
  Status Flush(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Events waiting for the log.
  size_t depth() const;
  // Events logged but not yet in the store.
  size_t unloaded() const;
  // Bytes of the log whose events wait for the store on disk only.
  uint64_t spool_bytes() const;

 private:
  // Logged events sealed into segments, waiting for the loader, oldest
  // first: in memory, unless spilled (then read back from the log).
  struct Sealed {
    uint64_t from_segment = 0;  // the segments these events fill
    uint64_t through_segment = 0;
    uint64_t bytes = 0;  // their records in the log
    size_t count = 0;
    std::vector<store::Event> events;  // empty once spilled
    bool spilled = false;
  };
  void RunWriter();
  void RunLoader();
  // Has the log ready a zeroed segment for the writer's next hand-off.
  void PrepareLogSpare();
  // Seals the log and hands `logged_` to the loader, then spills the newest
  // batches past `queue_capacity` events in memory. REQUIRES: mu_ held.
  void HandOffLocked();
  // Loads one batch, retrying while the store refuses; false when it gave
  // up (stopping), leaving the events in the log.
  bool Load(Sealed& batch);

  store::EventStore& store_;
  IngestLog& log_;
  const Options options_;
  core::Counter& accepted_;
  core::Counter& commit_failures_;
  core::Histogram& commit_seconds_;
  core::Histogram& batch_size_;
  core::Counter& load_failures_;
  core::Histogram& load_seconds_;

  mutable std::mutex mu_;
  std::condition_variable queue_ready_;   // writer: queue or stop
  std::condition_variable loader_ready_;  // loader: a job or stop
  // The queue, as two lists in step: events travel in whole vectors, since
  // moving a 36-string Event one at a time costs more than the rest of the
  // writer's own work on it.
  std::vector<store::Event> queued_;
  std::vector<Done> queued_done_;
  std::vector<store::Event> logged_;  // in the log, not yet handed to the loader
  // The loader's emptied batch, whose memory the next hand-off reuses: a
  // batch is tens of megabytes, and the allocator gives blocks that large
  // back to the system at once, so a fresh one page-faults at every event.
  std::vector<store::Event> recycled_;
  std::chrono::steady_clock::time_point first_logged_at_;
  uint64_t next_from_segment_;   // where the next sealed batch starts
  std::deque<Sealed> sealed_;    // handed off, waiting for the loader
  size_t sealed_in_memory_ = 0;  // events of sealed_ held in memory
  size_t sealed_count_ = 0;      // events of sealed_
  uint64_t spool_bytes_ = 0;     // of the spilled batches in sealed_
  size_t loading_ = 0;           // events in the loader's current transaction
  bool flush_requested_ = false;
  uint64_t logged_total_ = 0;          // events ever logged
  uint64_t loaded_total_ = 0;          // events ever loaded into the store
  std::condition_variable load_done_;  // Flush: loaded_total_ moved
  bool stopping_ = false;
  bool writer_done_ = false;
  std::thread writer_;
  std::thread loader_;
};

}  // namespace datafast::ingest
