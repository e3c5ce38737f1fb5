#include "ingest/ingest_log.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "store/duckdb/duckdb_event_store.h"
#include "store/testing/temp_dir.h"

namespace datafast::ingest {
namespace {

namespace fs = std::filesystem;

store::Event MakeEvent(int i) {
  store::Event e;
  e.event_id = "id-" + std::to_string(i);
  e.site_id = "dfid_0123456789abcdef";
  e.ts_micros = 1'790'000'000'000'000 + i;
  e.pathname = "/" + std::to_string(i);
  return e;
}

std::vector<store::Event> MakeEvents(int from, int to) {
  std::vector<store::Event> events;
  for (int i = from; i < to; ++i) events.push_back(MakeEvent(i));
  return events;
}

size_t SegmentFiles(const std::string& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++n;
  return n;
}

class IngestLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::OpenDuckDbEventStore(dir_.File("events.duckdb"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
  }
  std::unique_ptr<IngestLog> OpenLog() {
    auto log = IngestLog::Open(log_dir_);
    EXPECT_TRUE(log.ok()) << log.status().message();
    return log.ok() ? std::move(*log) : nullptr;
  }
  std::vector<store::Event> Stored() {
    std::vector<store::Event> events;
    EXPECT_TRUE(
        store_->ForEachEvent("dfid_0123456789abcdef", [&](const store::Event& e) { events.push_back(e); }).ok());
    return events;
  }

  store::testing::TempDir dir_;
  std::string log_dir_ = dir_.File("ingest-log");
  std::unique_ptr<store::EventStore> store_;
};

TEST(EventCodec, RoundTripsEveryField) {
  store::Event e = MakeEvent(7);
  e.type = store::EventType::kGoal;
  int n = 0;
  for (std::string store::Event::*field : store::kEventTextFields) e.*field = "value " + std::to_string(n++) + " é";
  e.screen_width = 1440;
  e.language = "fr-FR";
  e.attribution = "linear";
  e.credit_micros = 500'000;
  std::string bytes;
  EncodeEvent(e, bytes);
  auto decoded = DecodeEvent(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, e);
  EXPECT_FALSE(DecodeEvent(std::string_view(bytes).substr(0, bytes.size() - 1)).ok());
  EXPECT_FALSE(DecodeEvent(bytes + "x").ok());
}

TEST(EventCodec, ARevenueRecordLoggedBeforeAttributionModelsIsALastTouchWholePayment) {
  store::Event e = MakeEvent(7);
  e.type = store::EventType::kRevenue;
  e.revenue_micros = 9'000'000;
  std::string bytes;
  EncodeEvent(e, bytes);
  // Without the attribution (a 4-byte length, no text) and the credit.
  bytes.resize(bytes.size() - 4 - 8);
  auto decoded = DecodeEvent(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->attribution, "last");
  EXPECT_EQ(decoded->credit_micros, 1'000'000);
  EXPECT_EQ(decoded->revenue_micros, 9'000'000);
}

TEST_F(IngestLogTest, RecoveryLoadsWhatACrashLeftExactlyOnce) {
  auto log = OpenLog();
  auto loaded = MakeEvents(0, 100);
  auto unloaded = MakeEvents(100, 250);
  ASSERT_TRUE(log->Append(loaded).ok());
  // The crash came after this load committed but before its segment was
  // deleted: recovery must not load these twice.
  ASSERT_TRUE(store_->Append(loaded).ok());
  ASSERT_TRUE(log->Seal().ok());
  ASSERT_TRUE(log->Append(unloaded).ok());
  log.reset();  // the process dies

  auto recovered = RecoverIngestLog(log_dir_, *store_);
  ASSERT_TRUE(recovered.ok()) << recovered.status().message();
  EXPECT_EQ(*recovered, 150u);
  auto stored = Stored();
  ASSERT_EQ(stored.size(), 250u);
  for (int i = 0; i < 250; ++i) EXPECT_EQ(stored[i].event_id, "id-" + std::to_string(i));
  EXPECT_EQ(SegmentFiles(log_dir_), 0u);
  EXPECT_EQ(*RecoverIngestLog(log_dir_, *store_), 0u);
}

TEST_F(IngestLogTest, TornTailIsIgnoredAndEarlierRecordsSurvive) {
  auto log = OpenLog();
  ASSERT_TRUE(log->Append(MakeEvents(0, 10)).ok());
  log.reset();
  // A crash in the middle of the next write: a header promising more bytes
  // than the file holds.
  std::string segment = (fs::path(log_dir_) / "00000000000000000001.log").string();
  ASSERT_TRUE(fs::exists(segment));
  std::ofstream(segment, std::ios::binary | std::ios::app) << std::string("\x40\x00\x00\x00\x12\x34\x56\x78par", 11);
  auto recovered = RecoverIngestLog(log_dir_, *store_);
  ASSERT_TRUE(recovered.ok()) << recovered.status().message();
  EXPECT_EQ(*recovered, 10u);
  EXPECT_EQ(Stored().size(), 10u);
}

TEST_F(IngestLogTest, ASegmentWrittenIntoTheZeroedSpareRecoversUpToItsZerosOrATornRecord) {
  auto log = OpenLog();
  ASSERT_TRUE(log->Append(MakeEvents(0, 5)).ok());
  ASSERT_TRUE(log->PrepareSpare().ok());
  EXPECT_EQ(*log->Seal(), 1u);
  ASSERT_TRUE(log->Append(MakeEvents(5, 15)).ok());
  ASSERT_TRUE(log->PrepareSpare().ok());  // left behind by the crash
  log.reset();
  std::string segment = (fs::path(log_dir_) / "00000000000000000002.log").string();
  ASSERT_EQ(fs::file_size(segment), IngestLog::kMinSpareBytes) << "the segment did not take the spare";
  // A crash in the middle of the next write: half a record over the zeros.
  std::string bytes;
  {
    std::ifstream in(segment, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  size_t end = 0;  // after the last record: walk their length headers
  while (uint32_t length = static_cast<unsigned char>(bytes[end]) | static_cast<unsigned char>(bytes[end + 1]) << 8) {
    end += 8 + length;
  }
  {
    std::fstream out(segment, std::ios::binary | std::ios::in | std::ios::out);
    out.seekp(static_cast<std::streamoff>(end));
    out << std::string("\x40\x00\x00\x00\x12\x34\x56\x78par", 11);
  }
  auto recovered = RecoverIngestLog(log_dir_, *store_);
  ASSERT_TRUE(recovered.ok()) << recovered.status().message();
  EXPECT_EQ(*recovered, 15u);
  EXPECT_EQ(Stored().size(), 15u);
  // The next start makes a new spare rather than trust a half-written one.
  auto reopened = OpenLog();
  EXPECT_FALSE(fs::exists(fs::path(log_dir_) / "spare.zero"));
}

TEST_F(IngestLogTest, SegmentsAreNumberedOnAndDeletedThroughASealedOne) {
  auto log = OpenLog();
  ASSERT_TRUE(log->Append(MakeEvents(0, 5)).ok());
  EXPECT_EQ(*log->Seal(), 1u);
  ASSERT_TRUE(log->Append(MakeEvents(5, 10)).ok());
  EXPECT_EQ(*log->Seal(), 2u);
  ASSERT_TRUE(log->Append(MakeEvents(10, 15)).ok());
  EXPECT_EQ(SegmentFiles(log_dir_), 3u);
  ASSERT_TRUE(log->DeleteThrough(1).ok());
  EXPECT_EQ(SegmentFiles(log_dir_), 2u);
  log.reset();
  // A reopened log never appends to an old segment.
  auto reopened = OpenLog();
  EXPECT_EQ(*reopened->Seal(), 4u);
  reopened.reset();
  EXPECT_EQ(*RecoverIngestLog(log_dir_, *store_), 10u);
}

}  // namespace
}  // namespace datafast::ingest
