// Parses a User-Agent header into browser, operating system and device type
// with the uap-core rules (regexes.yaml, embedded as JSON). Thread-safe: the
// compiled rules are immutable and the result cache is internally locked.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace datafast::ingest {

enum class DeviceType { kDesktop, kMobile, kTablet };
std::string_view ToString(DeviceType type);  // "desktop", "mobile", "tablet"

struct UserAgentInfo {
  std::string browser;          // uap family, e.g. "Chrome", "Mobile Safari"; "Other" if unknown
  std::string browser_version;  // major version only, e.g. "131"; empty if unknown
  std::string os;               // e.g. "Windows", "Mac OS X", "iOS", "Android"; "Other" if unknown
  std::string os_version;       // major version only
  DeviceType device = DeviceType::kDesktop;
  bool operator==(const UserAgentInfo&) const = default;
};

class UserAgentParser {
 public:
  // `regexes_json` is uap-core's regexes.yaml converted to JSON
  // (user_agent_parsers, os_parsers, device_parsers). Rules RE2 cannot compile
  // are skipped; ParsersSkipped() says how many.
  static Result<std::unique_ptr<UserAgentParser>> Create(std::string_view regexes_json);
  virtual ~UserAgentParser() = default;

  virtual UserAgentInfo Parse(std::string_view user_agent) const = 0;
  virtual size_t ParsersSkipped() const = 0;
};

}  // namespace datafast::ingest
