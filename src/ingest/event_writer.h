// The single writer in front of the EventStore, with group commit: events
// from many requests wait in a bounded queue, one thread takes up to
// `max_batch` of them, appends them in one transaction, and only then tells
// each request its outcome. A 202 therefore means durable, and one commit
// (one fsync) is shared by every request that arrived while the previous
// commit ran.
//
// When the queue is full, Submit refuses at once (the HTTP layer answers 503
// with Retry-After) instead of letting memory grow. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "core/metrics.h"
#include "core/status.h"
#include "store/event_store.h"

namespace datafast::ingest {

class EventWriter {
 public:
  struct Options {
    size_t queue_capacity = 100'000;
    size_t max_batch = 5'000;
  };
  // Called once per submitted event, on the writer thread, after its commit.
  using Done = std::function<void(const Status&)>;

  EventWriter(store::EventStore& store, Options options, core::MetricsRegistry& metrics);
  ~EventWriter();  // Stop()s

  // Queues `event`; false when the queue is full (then `done` is not called)
  // or the writer is stopping.
  bool Submit(store::Event event, Done done);

  // Refuses new events, commits everything queued, and joins the thread.
  void Stop();

  size_t depth() const;

 private:
  struct Pending {
    store::Event event;
    Done done;
  };
  void Run();

  store::EventStore& store_;
  const Options options_;
  core::Counter& accepted_;
  core::Counter& commit_failures_;
  core::Histogram& commit_seconds_;
  core::Histogram& batch_size_;

  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace datafast::ingest
