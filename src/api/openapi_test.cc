// The OpenAPI document (src/api/openapi.json) describes every analytics
// endpoint the server routes, and docs/api.md renders every path it has.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

#include "api/analytics.h"

namespace datafast::api {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(OpenApiTest, DescribesEveryReportAndDocsRenderEveryPath) {
  boost::json::object doc = boost::json::parse(Read(DATAFAST_SOURCE_DIR "/src/api/openapi.json")).as_object();
  EXPECT_TRUE(doc.at("openapi").as_string().starts_with("3."));
  const boost::json::object& paths = doc.at("paths").as_object();
  std::vector<std::string> reports = {"overview", "timeseries", "realtime", "realtime/map", "notes", "revenue", "x"};
  for (const auto& [name, dimension] : BreakdownReports()) reports.emplace_back(name);
  for (const std::string& report : reports) {
    EXPECT_TRUE(paths.contains("/analytics/" + report)) << report << " is routed but not in openapi.json";
  }
  std::string docs = Read(DATAFAST_SOURCE_DIR "/docs/api.md");
  for (const auto& [path, item] : paths) {
    std::string name(path);
    std::string leaf = name.substr(name.rfind('/') + 1);
    if (leaf.starts_with("{")) leaf = name.substr(1, name.find('/', 1) - 1);
    EXPECT_NE(docs.find(leaf), std::string::npos) << name << " is not in docs/api.md";
  }
}

}  // namespace
}  // namespace datafast::api
