// A small thread-safe LRU map from User-Agent headers to what was worked
// out from them: real traffic repeats a few thousand distinct headers, so
// most events skip the regexes entirely. Sharded so concurrent pipeline
// threads rarely wait on the same lock.
#pragma once

#include <array>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace datafast::ingest {

template <typename Value>
class LruCache {
 public:
  static constexpr size_t kShards = 16;
  static constexpr size_t kCapacity = 10'000;
  // Longer headers are worked out but not kept, so a client sending huge
  // headers cannot grow the cache's memory beyond kCapacity * kMaxKeyLength.
  static constexpr size_t kMaxKeyLength = 512;

  std::optional<Value> Get(std::string_view key) const {
    Shard& shard = ShardFor(key);
    std::lock_guard lock(shard.mutex);
    auto it = shard.index.find(key);
    if (it == shard.index.end()) return std::nullopt;
    shard.entries.splice(shard.entries.begin(), shard.entries, it->second);
    return it->second->second;
  }

  void Put(std::string_view key, const Value& value) const {
    if (key.size() > kMaxKeyLength) return;
    Shard& shard = ShardFor(key);
    std::lock_guard lock(shard.mutex);
    if (shard.index.contains(key)) return;
    shard.entries.emplace_front(std::string(key), value);
    // The index's keys view the strings owned by the list nodes, which never
    // move, so a hit costs no allocation.
    shard.index.emplace(shard.entries.front().first, shard.entries.begin());
    if (shard.entries.size() > kCapacity / kShards) {
      shard.index.erase(shard.entries.back().first);
      shard.entries.pop_back();
    }
  }

 private:
  using Entries = std::list<std::pair<std::string, Value>>;
  struct Shard {
    std::mutex mutex;
    Entries entries;
    std::unordered_map<std::string_view, typename Entries::iterator> index;
  };

  Shard& ShardFor(std::string_view key) const { return shards_[std::hash<std::string_view>{}(key) % kShards]; }

  mutable std::array<Shard, kShards> shards_;
};

}  // namespace datafast::ingest
