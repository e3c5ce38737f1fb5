#include "store/read_windows.h"

#include <gtest/gtest.h>

namespace datafast::store {
namespace {

constexpr int64_t M = kMinuteMicros;

std::vector<std::pair<int64_t, int64_t>> Bounds(const std::vector<ReadWindow>& windows) {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const ReadWindow& w : windows) out.emplace_back(w.from_micros, w.to_micros);
  return out;
}

TEST(ReadWindows, NoMinutesNoWindows) { EXPECT_TRUE(PlanReadWindows({}, 100).empty()); }

TEST(ReadWindows, MinutesJoinUpToAPageAndWindowsMeetWithoutGaps) {
  std::vector<MinuteCount> minutes = {{0, 40}, {M, 40}, {5 * M, 30}, {6 * M, 90}, {7 * M, 10}};
  // 40 + 40 fit; 30 more would make 110; 30 + 90 would make 120; 90 + 10 fit.
  EXPECT_EQ(Bounds(PlanReadWindows(minutes, 100)),
            (std::vector<std::pair<int64_t, int64_t>>{{0, 5 * M}, {5 * M, 6 * M}, {6 * M, 8 * M}}));
}

TEST(ReadWindows, AMinuteLargerThanAPageIsAWindowOfItsOwn) {
  std::vector<MinuteCount> minutes = {{0, 10}, {M, 250}, {2 * M, 10}};
  EXPECT_EQ(Bounds(PlanReadWindows(minutes, 100)),
            (std::vector<std::pair<int64_t, int64_t>>{{0, M}, {M, 2 * M}, {2 * M, 3 * M}}));
}

TEST(ReadWindows, EveryMinuteIsInExactlyOneWindow) {
  std::vector<MinuteCount> minutes;
  for (int64_t i = 0; i < 1000; ++i) minutes.push_back({i * 3 * M, static_cast<uint64_t>(1 + i % 7)});
  auto windows = PlanReadWindows(minutes, 50);
  size_t w = 0;
  for (const MinuteCount& minute : minutes) {
    while (w < windows.size() && windows[w].to_micros <= minute.minute_micros) ++w;
    ASSERT_LT(w, windows.size());
    EXPECT_GE(minute.minute_micros, windows[w].from_micros);
  }
  for (size_t i = 1; i < windows.size(); ++i) EXPECT_EQ(windows[i].from_micros, windows[i - 1].to_micros);
}

}  // namespace
}  // namespace datafast::store
