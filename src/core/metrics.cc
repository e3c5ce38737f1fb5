#include "core/metrics.h"

#include <fmt/format.h>

namespace datafast::core {

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)), buckets_(bounds_.size() + 1) {}

void Histogram::Observe(double value) {
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  double sum = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(sum, sum + value, std::memory_order_relaxed)) {
  }
}

size_t MetricsRegistry::FamilyIndex(const std::string& name, const std::string& help, const std::string& type) {
  for (size_t i = 0; i < families_.size(); ++i) {
    if (families_[i].name == name) return i;
  }
  families_.push_back({name, help, type});
  return families_.size() - 1;
}

Counter& MetricsRegistry::AddCounter(const std::string& name, const std::string& help, const std::string& labels) {
  std::lock_guard lock(mu_);
  size_t family = FamilyIndex(name, help, "counter");
  return counters_.emplace_back(family, labels).counter;
}

void MetricsRegistry::AddGauge(const std::string& name, const std::string& help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  gauges_.push_back({FamilyIndex(name, help, "gauge"), std::move(read)});
}

Histogram& MetricsRegistry::AddHistogram(const std::string& name, const std::string& help, std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  size_t family = FamilyIndex(name, help, "histogram");
  return histograms_.emplace_back(family, std::move(bounds)).histogram;
}

std::string MetricsRegistry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (size_t f = 0; f < families_.size(); ++f) {
    const Family& family = families_[f];
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", family.name, family.help, family.name, family.type);
    for (const auto& c : counters_) {
      if (c.family != f) continue;
      out += c.labels.empty() ? fmt::format("{} {}\n", family.name, c.counter.value())
                              : fmt::format("{}{{{}}} {}\n", family.name, c.labels, c.counter.value());
    }
    for (const auto& g : gauges_) {
      if (g.family == f) out += fmt::format("{} {}\n", family.name, g.read());
    }
    for (const auto& h : histograms_) {
      if (h.family != f) continue;
      uint64_t cumulative = 0;
      for (size_t i = 0; i < h.histogram.bounds_.size(); ++i) {
        cumulative += h.histogram.buckets_[i].load(std::memory_order_relaxed);
        out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", family.name, h.histogram.bounds_[i], cumulative);
      }
      cumulative += h.histogram.buckets_.back().load(std::memory_order_relaxed);
      out += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n", family.name, cumulative);
      out += fmt::format("{}_sum {}\n{}_count {}\n", family.name, h.histogram.sum_.load(), family.name,
                         h.histogram.count_.load());
    }
  }
  return out;
}

}  // namespace datafast::core
