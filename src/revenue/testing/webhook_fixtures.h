// The webhook payloads of tests/fixtures/webhooks/PROVIDER/NAME.json, shaped
// as each provider documents them, with the tracker ids they carry. Tests only.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace datafast::revenue::testing {

inline constexpr std::string_view kFixtureVisitorId = "3f1e2d4c-5b6a-4789-8abc-def012345678";
inline constexpr std::string_view kFixtureSessionId = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

inline std::string WebhookFixture(std::string_view provider, std::string_view name) {
  std::ifstream in(std::string(DATAFAST_SOURCE_DIR "/tests/fixtures/webhooks/") + std::string(provider) + "/" +
                   std::string(name) + ".json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace datafast::revenue::testing
