// The golden query tests: each tests/golden/*.json file holds hand-built
// events and, for each case, a report request and the exact response body it
// must produce. Every case runs against every EventStore backend.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "api/analytics.h"
#include "core/json_text.h"
#include "core/time_zone.h"
#include "store/clickhouse/clickhouse_event_store.h"
#include "store/duckdb/duckdb_event_store.h"
#include "store/event_json.h"
#include "store/testing/clickhouse.h"
#include "store/testing/temp_dir.h"

namespace datafast::api {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

struct Backend {
  std::string name;
  std::function<Result<std::unique_ptr<store::EventStore>>(const store::testing::TempDir&)> open;
};

void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

std::vector<Backend> Backends() {
  return {
      {"duckdb", [](const store::testing::TempDir& dir) { return store::OpenDuckDbEventStore(dir.File("e.duckdb")); }},
      {"clickhouse", [](const store::testing::TempDir& dir) -> Result<std::unique_ptr<store::EventStore>> {
         auto url = store::testing::ClickHouseDatabaseFor(dir);
         if (!url.ok()) return url.status();
         return store::OpenClickHouseEventStore(*url);
       }}};
}

std::vector<fs::path> GoldenFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(DATAFAST_GOLDEN_DIR)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Equal JSON, numbers compared by value: the fixtures write 25 where the
// server computes the double 25.0.
bool SameJson(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
  if (a.kind() != b.kind()) return false;
  if (a.is_object()) {
    const json::object &x = a.get_object(), &y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& [key, value] : x) {
      if (!y.contains(key) || !SameJson(value, y.at(key))) return false;
    }
    return true;
  }
  if (a.is_array()) {
    const json::array &x = a.get_array(), &y = b.get_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!SameJson(x[i], y[i])) return false;
    return true;
  }
  return a == b;
}

json::object ReadFixture(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str()).as_object();
}

// How the fixture's events reach the store: all in one Append, or one event
// per Append in reverse order with a report between each, so that every
// session is rebuilt from events that arrive late and out of order.
enum class Arrival { kOneBatch, kTrickled };

class GoldenTest : public ::testing::TestWithParam<std::tuple<Backend, fs::path, Arrival>> {};

TEST_P(GoldenTest, EveryCaseMatchesItsExpectedBody) {
  const auto& [backend, path, arrival] = GetParam();
  json::object fixture = ReadFixture(path);
  store::testing::TempDir dir;
  auto events = backend.open(dir);
  ASSERT_TRUE(events.ok()) << events.status().message();

  store::Site site;
  site.id = "dfid_golden";
  site.domain = "example.com";
  site.timezone = std::string(fixture.at("site").at("timezone").as_string());
  site.currency = std::string(fixture.at("site").at("currency").as_string());

  json::object defaults = fixture.contains("defaults") ? fixture.at("defaults").as_object() : json::object{};
  std::vector<store::Event> batch;
  for (const json::value& item : fixture.at("events").as_array()) {
    json::object merged = defaults;
    for (const auto& [k, v] : item.as_object()) merged[k] = v;
    auto event = store::EventFromJson(merged);
    ASSERT_TRUE(event.ok()) << path.filename() << ": " << event.status().message() << " in " << core::WriteJson(item);
    event->site_id = site.id;
    batch.push_back(std::move(*event));
  }
  auto now = core::ParseIsoTime(std::string(fixture.at("now").as_string()));
  ASSERT_TRUE(now.has_value());
  if (arrival == Arrival::kOneBatch) {
    ASSERT_TRUE((*events)->Append(batch).ok());
  } else {
    for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
      ASSERT_TRUE((*events)->Append(std::span(&*it, 1)).ok());
      ASSERT_TRUE(RunReport(**events, "overview", ReportRequest{&site, {}, *now}).ok());
    }
  }
  for (const json::value& c : fixture.at("cases").as_array()) {
    const json::object& golden = c.as_object();
    std::string name(golden.at("name").as_string());
    ReportRequest request{&site, {}, *now};
    if (golden.contains("params")) {
      for (const auto& [k, v] : golden.at("params").as_object()) {
        request.params.emplace_back(std::string(k), std::string(v.as_string()));
      }
    }
    auto body = RunReport(**events, std::string(golden.at("report").as_string()), request);
    if (golden.contains("error")) {
      ASSERT_FALSE(body.ok()) << name;
      EXPECT_EQ(body.status().message(), std::string(golden.at("error").as_string())) << name;
      continue;
    }
    ASSERT_TRUE(body.ok()) << name << ": " << body.status().message();
    EXPECT_TRUE(SameJson(json::value(*body), golden.at("expect")))
        << path.filename() << " / " << name << "\n got: " << core::WriteJson(*body)
        << "\nwant: " << core::WriteJson(golden.at("expect"));
  }
}

INSTANTIATE_TEST_SUITE_P(AllFixtures, GoldenTest,
                         ::testing::Combine(::testing::ValuesIn(Backends()), ::testing::ValuesIn(GoldenFiles()),
                                            ::testing::Values(Arrival::kOneBatch, Arrival::kTrickled)),
                         [](const auto& info) {
                           std::string name = std::get<0>(info.param).name + "_" +
                                              std::get<1>(info.param).stem().string() +
                                              (std::get<2>(info.param) == Arrival::kOneBatch ? "" : "_trickled");
                           for (char& ch : name)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

}  // namespace
}  // namespace datafast::api
