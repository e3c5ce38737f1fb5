// The cost of the account primitives: an Argon2id hash or verification (by
// design about 20 ms: what a login costs the server) and the SHA-256 lookup
// hash of a session cookie or API key (paid on every authenticated request).
#include <benchmark/benchmark.h>

#include "auth/password.h"
#include "auth/secrets.h"

namespace datafast::auth {
namespace {

void BM_HashPassword(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(HashPassword("correct horse battery staple"));
}
BENCHMARK(BM_HashPassword)->Unit(benchmark::kMillisecond);

void BM_VerifyPassword(benchmark::State& state) {
  std::string hash = *HashPassword("correct horse battery staple");
  for (auto _ : state) benchmark::DoNotOptimize(VerifyPassword(hash, "correct horse battery staple"));
}
BENCHMARK(BM_VerifyPassword)->Unit(benchmark::kMillisecond);

void BM_HashSecret(benchmark::State& state) {
  std::string key = NewSecret("df_");
  for (auto _ : state) benchmark::DoNotOptimize(HashSecret(key));
}
BENCHMARK(BM_HashSecret);

}  // namespace
}  // namespace datafast::auth

BENCHMARK_MAIN();
