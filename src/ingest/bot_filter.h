// Recognises crawlers, bots and headless browsers by their User-Agent, using
// the crawler-user-agents pattern list (embedded) plus headless-browser
// signals. Thread-safe and immutable after creation.
#pragma once

#include <memory>
#include <string_view>

#include "core/status.h"

namespace datafast::ingest {

class BotFilter {
 public:
  // `crawler_json` is crawler-user-agents.json: an array of {"pattern": …}.
  // Patterns RE2 cannot compile (lookarounds) are skipped and counted.
  static Result<std::unique_ptr<BotFilter>> Create(std::string_view crawler_json);
  virtual ~BotFilter() = default;

  // True for a crawler, a headless browser, an automation tool, or an empty
  // User-Agent.
  virtual bool IsBot(std::string_view user_agent) const = 0;
  virtual size_t PatternsSkipped() const = 0;
};

}  // namespace datafast::ingest
