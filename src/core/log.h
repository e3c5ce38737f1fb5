// Structured logging: one JSON object per line on standard error, so logs can
// be shipped and queried without parsing prose. Thread-safe (spdlog's
// multi-threaded sink). Never pass an IP address or a secret as a field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>
#include <variant>

namespace datafast::core {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

using LogValue = std::variant<std::string_view, int64_t, double, bool>;
using LogField = std::pair<std::string_view, LogValue>;

// Sets up the process-wide sink once, at start-up, before any thread logs.
void InitLogging(LogLevel min_level);

// {"ts":"…","level":"info","msg":"…","key":value,…}
void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields = {});

inline void LogInfo(std::string_view msg, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kInfo, msg, fields);
}
inline void LogWarn(std::string_view msg, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kWarn, msg, fields);
}
inline void LogError(std::string_view msg, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kError, msg, fields);
}

}  // namespace datafast::core
