// Cost of one durable commit of a batch of events in the embedded event
// store, by batch size: the writer's ceiling, without HTTP in the way.
// Reported per event (items/s) so batch sizes compare directly.
#include <benchmark/benchmark.h>

#include "store/duckdb/duckdb_event_store.h"
#include "store/testing/temp_dir.h"

namespace datafast::store {
namespace {

Event RealisticEvent(int i) {
  Event e;
  e.event_id = "0b6f2d9e-3b7a-4c55-9a3e-" + std::to_string(100000000000 + i);
  e.site_id = "dfid_0123456789abcdef";
  e.ts_micros = 1'790'000'000'000'000 + i * 1000;
  e.type = EventType::kPageview;
  e.visitor_id = "0b6f2d9e-3b7a-4c55-9a3e-1f6b8c2d4e5f";
  e.session_id = "5c1e7a2b-8d4f-4e6a-b9c3-2a1d0f8e7b6c";
  e.hostname = "bench.example";
  e.pathname = "/pricing/" + std::to_string(i % 50);
  e.referrer = "https://www.google.com/";
  e.referrer_domain = "www.google.com";
  e.source = "Google";
  e.channel = "organic_search";
  e.utm_source = "newsletter";
  e.country = "GB";
  e.region = "England";
  e.city = "London";
  e.browser = "Chrome";
  e.browser_version = "131";
  e.os = "Mac OS X";
  e.os_version = "10.15";
  e.device = "desktop";
  e.screen_width = 1440;
  e.language = "en-US";
  return e;
}

void BM_DuckDbAppendBatch(benchmark::State& state) {
  testing::TempDir dir;
  auto store = OpenDuckDbEventStore(dir.File("events.duckdb"));
  if (!store.ok()) {
    state.SkipWithError(store.status().message().c_str());
    return;
  }
  std::vector<Event> batch;
  for (int i = 0; i < state.range(0); ++i) batch.push_back(RealisticEvent(i));
  for (auto _ : state) {
    Status s = (*store)->Append(batch);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DuckDbAppendBatch)->Arg(1)->Arg(32)->Arg(256)->Arg(2048)->Arg(16384)->UseRealTime();

}  // namespace
}  // namespace datafast::store

BENCHMARK_MAIN();
