#include "ingest/ingest_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <zlib.h>

#include "core/log.h"

namespace datafast::ingest {
namespace {

namespace fs = std::filesystem;

constexpr size_t kHeaderBytes = 8;
constexpr size_t kMaxPayloadBytes = 1 << 20;  // far above any valid event
constexpr size_t kRecoveryBatch = 50'000;

Status Errno(const std::string& what) { return Status::IoError(what + ": " + std::strerror(errno)); }

// zlib's CRC-32 works a word at a time, several times faster than a
// byte-wise table; the writer checksums every logged byte.
uint32_t Crc32(std::string_view bytes) {
  return static_cast<uint32_t>(
      ::crc32(::crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void SetU32(std::string& out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void PutText(std::string& out, std::string_view s) {
  PutU32(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

// Reads the fields EncodeEvent wrote, failing on any overrun.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool U32(uint32_t& v) {
    uint64_t wide;
    if (!Fixed(4, wide)) return false;
    v = static_cast<uint32_t>(wide);
    return true;
  }
  bool U64(uint64_t& v) { return Fixed(8, v); }
  bool Text(std::string& s) {
    uint32_t n;
    if (!U32(n) || n > bytes_.size()) return false;
    s.assign(bytes_.substr(0, n));
    bytes_.remove_prefix(n);
    return true;
  }
  bool done() const { return bytes_.empty(); }

 private:
  bool Fixed(int n, uint64_t& v) {
    if (bytes_.size() < static_cast<size_t>(n)) return false;
    v = 0;
    for (int i = 0; i < n; ++i) v |= uint64_t(static_cast<unsigned char>(bytes_[i])) << (8 * i);
    bytes_.remove_prefix(n);
    return true;
  }
  std::string_view bytes_;
};

std::string SegmentName(uint64_t segment) {
  std::string digits = std::to_string(segment);
  return std::string(20 - digits.size(), '0') + digits + ".log";
}

// The segment numbers in DIR, ascending.
Result<std::vector<uint64_t>> ListSegments(const std::string& dir) {
  std::vector<uint64_t> segments;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return segments;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() != 24 || !name.ends_with(".log")) continue;
    if (!std::all_of(name.begin(), name.begin() + 20, [](char c) { return c >= '0' && c <= '9'; })) continue;
    segments.push_back(std::stoull(name.substr(0, 20)));
  }
  if (ec) return Status::IoError("cannot list " + dir + ": " + ec.message());
  std::sort(segments.begin(), segments.end());
  return segments;
}

Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open " + dir);
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Errno("cannot sync " + dir);
}

// Every whole record of one segment file, decoded.
Result<std::vector<store::Event>> ReadSegment(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read " + path);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<store::Event> events;
  std::string_view rest = bytes;
  while (rest.size() >= kHeaderBytes) {
    Reader header(rest.substr(0, kHeaderBytes));
    uint32_t length = 0, crc = 0;
    (void)header.U32(length);
    (void)header.U32(crc);
    if (length == 0) break;  // no record is empty: the spare's zeros, or a torn header
    if (length > kMaxPayloadBytes || rest.size() - kHeaderBytes < length) break;  // torn tail
    std::string_view payload = rest.substr(kHeaderBytes, length);
    if (Crc32(payload) != crc) break;  // torn tail
    auto event = DecodeEvent(payload);
    if (!event.ok()) return event.status().WithContext(path);
    events.push_back(std::move(*event));
    rest.remove_prefix(kHeaderBytes + length);
  }
  if (std::any_of(rest.begin(), rest.end(), [](char c) { return c != 0; })) {
    core::LogWarn("ingest log segment ends in a torn record (an unacknowledged write cut off by a crash)",
                  {{"segment", path}, {"bytes", int64_t(rest.size())}});
  }
  return events;
}

// Appends the events of `events` that `store` does not have yet.
Status LoadMissing(std::vector<store::Event>& events, store::EventStore& store, size_t& loaded) {
  if (events.empty()) return Status::Ok();
  auto [lo, hi] = std::minmax_element(events.begin(), events.end(),
                                      [](const auto& a, const auto& b) { return a.ts_micros < b.ts_micros; });
  auto stored = store.EventIdsBetween(lo->ts_micros, hi->ts_micros);
  if (!stored.ok()) return stored.status();
  std::erase_if(events, [&](const store::Event& e) { return stored->contains(e.event_id); });
  for (size_t start = 0; start < events.size(); start += kRecoveryBatch) {
    size_t n = std::min(kRecoveryBatch, events.size() - start);
    DF_RETURN_IF_ERROR(store.Append(std::span(events).subspan(start, n)));
    loaded += n;
  }
  return Status::Ok();
}

}  // namespace

void EncodeEvent(const store::Event& e, std::string& out) {
  PutText(out, e.event_id);
  PutText(out, e.site_id);
  PutU64(out, static_cast<uint64_t>(e.ts_micros));
  PutText(out, store::ToString(e.type));
  for (std::string store::Event::*field : store::kEventTextFields) PutText(out, e.*field);
  PutU32(out, static_cast<uint32_t>(e.screen_width));
  PutText(out, e.language);
  PutU64(out, static_cast<uint64_t>(e.revenue_micros));
  PutText(out, e.attribution);
  PutU64(out, static_cast<uint64_t>(e.credit_micros));
}

Result<store::Event> DecodeEvent(std::string_view payload) {
  Reader r(payload);
  store::Event e;
  uint64_t ts = 0;
  uint32_t width = 0;
  uint64_t revenue = 0;
  std::string type;
  bool ok = r.Text(e.event_id) && r.Text(e.site_id) && r.U64(ts) && r.Text(type);
  for (std::string store::Event::*field : store::kEventTextFields) ok = ok && r.Text(e.*field);
  ok = ok && r.U32(width) && r.Text(e.language) && r.U64(revenue);
  auto parsed_type = store::ParseEventType(type);
  uint64_t credit = 0;
  if (ok && !r.done()) {
    ok = r.Text(e.attribution) && r.U64(credit) && r.done();
  } else if (parsed_type == store::EventType::kRevenue) {
    // Logged before attribution models: a last-touch row of a whole payment.
    e.attribution = store::ToString(store::AttributionModel::kLastTouch);
    credit = 1'000'000;
  }
  if (!ok || !parsed_type) return Status::Internal("ingest log record is malformed");
  e.ts_micros = static_cast<int64_t>(ts);
  e.type = *parsed_type;
  e.screen_width = static_cast<int32_t>(width);
  e.revenue_micros = static_cast<int64_t>(revenue);
  e.credit_micros = static_cast<int64_t>(credit);
  return e;
}

IngestLog::IngestLog(std::string dir, uint64_t segment) : dir_(std::move(dir)), segment_(segment) {}

IngestLog::~IngestLog() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<IngestLog>> IngestLog::Open(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create " + dir + ": " + ec.message());
  auto segments = ListSegments(dir);
  if (!segments.ok()) return segments.status();
  uint64_t next = segments->empty() ? 1 : segments->back() + 1;
  std::unique_ptr<IngestLog> log(new IngestLog(dir, next));
  // A spare left by the last run may be half written: it is made anew.
  fs::remove(log->SparePath(), ec);
  DF_RETURN_IF_ERROR(log->OpenSegment());
  return log;
}

std::string IngestLog::SparePath() const { return (fs::path(dir_) / "spare.zero").string(); }

Status IngestLog::OpenSegment() {
  std::string path = (fs::path(dir_) / SegmentName(segment_)).string();
  bool from_spare = false;
  {
    std::lock_guard lock(spare_mu_);
    if (spare_ready_ && ::rename(SparePath().c_str(), path.c_str()) == 0) {
      spare_ready_ = false;
      from_spare = true;
    }
  }
  fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | (from_spare ? 0 : O_CREAT | O_EXCL), 0600);
  if (fd_ < 0) return Errno("cannot create " + path);
  end_ = 0;
  // The new file's directory entry must be durable too, or a crash could
  // lose the whole segment along with its acknowledged events.
  return SyncDirectory(dir_);
}

Status IngestLog::PrepareSpare() {
  {
    std::lock_guard lock(spare_mu_);
    if (spare_ready_) return Status::Ok();
  }
  // Only this thread touches the spare's file while it is not ready.
  std::string path = SparePath();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot create " + path);
  const std::string zeros(kMinSpareBytes, '\0');
  size_t spare_bytes = std::clamp<size_t>(sealed_bytes_.load() * 3 / 2, kMinSpareBytes, kMaxSpareBytes);
  spare_bytes = (spare_bytes + zeros.size() - 1) / zeros.size() * zeros.size();
  Status status;
  for (size_t written = 0; written < spare_bytes && status.ok();) {
    ssize_t n = ::write(fd, zeros.data(), std::min(zeros.size(), spare_bytes - written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      status = Errno("cannot write " + path);
    else
      written += static_cast<size_t>(n);
  }
  if (status.ok() && ::fdatasync(fd) != 0) status = Errno("cannot sync " + path);
  ::close(fd);
  if (!status.ok()) return status;
  std::lock_guard lock(spare_mu_);
  spare_ready_ = true;
  return Status::Ok();
}

Status IngestLog::Append(std::span<const store::Event> events) {
  if (fd_ < 0) return Status::IoError("the ingest log has no open segment");
  buffer_.clear();
  for (const store::Event& e : events) {
    // Encoded in place behind room for its header, filled in after.
    size_t record = buffer_.size();
    buffer_.append(kHeaderBytes, '\0');
    EncodeEvent(e, buffer_);
    std::string_view payload = std::string_view(buffer_).substr(record + kHeaderBytes);
    SetU32(buffer_, record, static_cast<uint32_t>(payload.size()));
    SetU32(buffer_, record + 4, Crc32(payload));
  }
  std::string_view rest = buffer_;
  while (!rest.empty()) {
    ssize_t n = ::pwrite(fd_, rest.data(), rest.size(), static_cast<off_t>(end_));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Abandon(Errno("cannot write the ingest log"));
    rest.remove_prefix(static_cast<size_t>(n));
    end_ += static_cast<uint64_t>(n);
  }
  if (::fdatasync(fd_) != 0) return Abandon(Errno("cannot sync the ingest log"));
  return Status::Ok();
}

Status IngestLog::Abandon(Status failure) {
  // The segment may now end in a partial record, and reading stops at the
  // first one: later appends must go to a fresh segment.
  if (Result<uint64_t> sealed = Seal(); !sealed.ok()) {
    return Status(failure.code(), failure.message() + "; and no new segment: " + sealed.status().message());
  }
  return failure;
}

Result<uint64_t> IngestLog::Seal() {
  uint64_t sealed = segment_;
  sealed_bytes_.store(end_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ++segment_;
  DF_RETURN_IF_ERROR(OpenSegment());
  return sealed;
}

Status IngestLog::DeleteThrough(uint64_t segment) {
  auto segments = ListSegments(dir_);
  if (!segments.ok()) return segments.status();
  for (uint64_t s : *segments) {
    if (s > segment) break;
    std::error_code ec;
    fs::remove(fs::path(dir_) / SegmentName(s), ec);
    if (ec) return Status::IoError("cannot delete ingest log segment " + SegmentName(s) + ": " + ec.message());
  }
  return Status::Ok();
}

Result<std::vector<store::Event>> IngestLog::ReadSealed(uint64_t from, uint64_t through) const {
  auto segments = ListSegments(dir_);
  if (!segments.ok()) return segments.status();
  std::vector<store::Event> events;
  for (uint64_t s : *segments) {
    if (s < from || s > through) continue;
    auto read = ReadSegment((fs::path(dir_) / SegmentName(s)).string());
    if (!read.ok()) return read.status();
    events.insert(events.end(), std::make_move_iterator(read->begin()), std::make_move_iterator(read->end()));
  }
  return events;
}

Result<size_t> RecoverIngestLog(const std::string& dir, store::EventStore& store) {
  auto segments = ListSegments(dir);
  if (!segments.ok()) return segments.status();
  size_t loaded = 0;
  for (uint64_t segment : *segments) {
    std::string path = (fs::path(dir) / SegmentName(segment)).string();
    auto events = ReadSegment(path);
    if (!events.ok()) return events.status();
    DF_RETURN_IF_ERROR(LoadMissing(*events, store, loaded).WithContext("recover " + path));
    std::error_code ec;
    fs::remove(path, ec);
    if (ec) return Status::IoError("cannot delete " + path + ": " + ec.message());
  }
  return loaded;
}

}  // namespace datafast::ingest
