// Process metrics in the Prometheus text format: counters, gauges read on
// demand, and histograms with fixed buckets. Registration happens at start-up;
// updating and rendering are thread-safe and lock-free on the hot path.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace datafast::core {

class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Histogram {
 public:
  // `bounds`: ascending upper bounds of the buckets, in the observed unit.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

 private:
  friend class MetricsRegistry;
  std::vector<double> bounds_;
  std::deque<std::atomic<uint64_t>> buckets_;  // one per bound, plus +Inf
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

class MetricsRegistry {
 public:
  // `labels` is the Prometheus label set without braces, e.g. `reason="bot"`,
  // or empty. The returned reference lives as long as the registry.
  Counter& AddCounter(const std::string& name, const std::string& help, const std::string& labels = "");
  void AddGauge(const std::string& name, const std::string& help, std::function<double()> read);
  Histogram& AddHistogram(const std::string& name, const std::string& help, std::vector<double> bounds);

  std::string Render() const;

 private:
  struct Family {
    std::string name, help, type;
  };
  struct CounterEntry {
    size_t family;
    std::string labels;
    Counter counter;
  };
  struct GaugeEntry {
    size_t family;
    std::function<double()> read;
  };
  struct HistogramEntry {
    HistogramEntry(size_t f, std::vector<double> bounds) : family(f), histogram(std::move(bounds)) {}
    size_t family;
    Histogram histogram;
  };
  size_t FamilyIndex(const std::string& name, const std::string& help, const std::string& type);

  mutable std::mutex mu_;  // guards registration against rendering
  std::vector<Family> families_;
  std::deque<CounterEntry> counters_;  // deque: references stay valid as it grows
  std::deque<GaugeEntry> gauges_;
  std::deque<HistogramEntry> histograms_;
};

}  // namespace datafast::core
