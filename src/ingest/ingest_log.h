// The ingest log: a durable append-only file of accepted events in front of
// the event store. A columnar store pays a fixed cost per transaction (about
// 2.5 ms of CPU in DuckDB for our 36 columns, bench/event_store_bench.cc), so
// committing every small group of requests there caps ingestion far below
// what the HTTP path can take. Instead the writer appends each group to this
// log with one write and one fdatasync, and only then acknowledges it; a
// loader moves the logged events into the event store in large transactions
// and deletes the segments it has loaded. After a crash, RecoverIngestLog
// loads whatever the log still holds, each event exactly once.
//
// Layout: DIR/<20-digit segment number>.log, each a run of records
//   [u32 payload length][u32 CRC-32 of the payload][payload]   (little-endian)
// followed by zeros. A torn record at the end of a segment is a write the
// crash interrupted: it was never synced, so never acknowledged, and reading
// stops there, as it does at the zeros.
//
// Segments are written into files filled with zeros beforehand (the spare,
// DIR/spare.zero, prepared off the writer's path): overwriting blocks a file
// already has lets fdatasync flush the data alone, where appending also
// writes the inode for the new size. That halves the device writes of each
// commit and about a third of its CPU (bench/run.sh, docs/benchmarks.md).
// Without a spare ready, a segment starts empty and grows, as does a segment
// that outgrows its spare.
//
// Thread-safety: Append, Seal and open_segment are called by one thread (the
// writer); DeleteThrough, ReadSealed and PrepareSpare by another (the
// loader).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/event.h"
#include "store/event_store.h"

namespace datafast::ingest {

class IngestLog {
 public:
  // Creates DIR if needed and opens a new segment numbered after every
  // existing one. REQUIRES: DIR was recovered first (RecoverIngestLog).
  static Result<std::unique_ptr<IngestLog>> Open(const std::string& dir);
  ~IngestLog();
  IngestLog(const IngestLog&) = delete;
  IngestLog& operator=(const IngestLog&) = delete;

  // Appends `events` to the open segment and syncs it to disk. When it
  // returns Ok the events survive a crash or power loss.
  Status Append(std::span<const store::Event> events);

  // Closes the open segment and opens the next. Returns the closed segment's
  // number: everything appended so far lies in segments up to it.
  Result<uint64_t> Seal();

  // Deletes every sealed segment numbered `segment` or lower.
  Status DeleteThrough(uint64_t segment);

  // The events of the sealed segments numbered `from` to `through`, read
  // back: for events nobody holds in memory any more.
  Result<std::vector<store::Event>> ReadSealed(uint64_t from, uint64_t through) const;

  // The number of the open segment, and the records' size of the segment
  // the last Seal closed.
  uint64_t open_segment() const { return segment_; }
  uint64_t last_sealed_bytes() const { return sealed_bytes_.load(); }

  // Fills and syncs a zeroed file for the next Seal to use, unless one is
  // ready: half as large again as the last sealed segment's records, within
  // [kMinSpareBytes, kMaxSpareBytes], since zeros cost a write too. Slow (a
  // large write and a sync): call it off the writer's path.
  Status PrepareSpare();
  static constexpr size_t kMinSpareBytes = 1 << 20;
  static constexpr size_t kMaxSpareBytes = 64 << 20;

 private:
  IngestLog(std::string dir, uint64_t segment);
  Status OpenSegment();
  // Moves on to a new segment after a failed write; returns `failure`.
  Status Abandon(Status failure);
  std::string SparePath() const;

  const std::string dir_;
  uint64_t segment_;  // the open one
  int fd_ = -1;
  uint64_t end_ = 0;                        // where the open segment's records end
  std::atomic<uint64_t> sealed_bytes_ = 0;  // the records of the last sealed segment
  std::string buffer_;                      // reused across appends

  std::mutex spare_mu_;
  bool spare_ready_ = false;  // SparePath() holds kSpareBytes of synced zeros
};

// Loads every event still in the log at DIR into `store`, skipping events the
// store already has (a crash between a load and its cleanup), then deletes
// the segments. Returns how many events it loaded. A missing DIR is an empty
// log.
Result<size_t> RecoverIngestLog(const std::string& dir, store::EventStore& store);

// The record payload of one event, and back. Exposed for tests.
void EncodeEvent(const store::Event& event, std::string& out);
Result<store::Event> DecodeEvent(std::string_view payload);

}  // namespace datafast::ingest
