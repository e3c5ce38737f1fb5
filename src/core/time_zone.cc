#include "core/time_zone.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace datafast::core {
namespace {

constexpr int64_t kDay = 86'400;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Reads big-endian integers from a TZif body, failing on overrun.
class Bytes {
 public:
  explicit Bytes(std::string_view data) : data_(data) {}
  bool Skip(size_t n) {
    if (data_.size() < n) return false;
    data_.remove_prefix(n);
    return true;
  }
  bool Int(size_t width, int64_t& out) {
    if (data_.size() < width) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(data_[i]);
    // Sign-extend 4-byte values.
    out = width == 4 ? static_cast<int32_t>(static_cast<uint32_t>(v)) : static_cast<int64_t>(v);
    data_.remove_prefix(width);
    return true;
  }
  std::string_view rest() const { return data_; }

 private:
  std::string_view data_;
};

// "[+-]hh[:mm[:ss]]" as seconds.
bool ParseHms(std::string_view& s, int32_t& out) {
  int sign = 1;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  int32_t parts[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (s.empty() || s[0] != ':') break;
      s.remove_prefix(1);
    }
    if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return false;
    int32_t v = 0;
    while (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) {
      v = v * 10 + (s[0] - '0');
      s.remove_prefix(1);
    }
    parts[i] = v;
  }
  out = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
  return true;
}

bool ParseZoneName(std::string_view& s) {
  if (!s.empty() && s[0] == '<') {
    size_t end = s.find('>');
    if (end == std::string_view::npos) return false;
    s.remove_prefix(end + 1);
    return true;
  }
  size_t n = 0;
  while (n < s.size() && std::isalpha(static_cast<unsigned char>(s[n]))) ++n;
  if (n < 3) return false;
  s.remove_prefix(n);
  return true;
}

}  // namespace

// H. Hinnant's days_from_civil and civil_from_days.
int64_t DaysFromCivil(const CivilDate& date) {
  int64_t y = date.year - (date.month <= 2);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int month = static_cast<int>(mp + (mp < 10 ? 3 : -9));
  return CivilDate{yoe + era * 400 + (month <= 2), month, day};
}

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

int WeekdayOfDays(int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }  // 1970-01-01: Thursday

Result<TimeZone::Rule> TimeZone::ParseRule(std::string_view tz) {
  Rule rule;
  Status bad = Status::InvalidArgument("unsupported TZ rule \"" + std::string(tz) + "\"");
  int32_t west = 0;
  if (!ParseZoneName(tz) || !ParseHms(tz, west)) return bad;
  rule.std_offset = -west;  // POSIX offsets count hours west of UTC
  if (tz.empty()) return rule;
  if (!ParseZoneName(tz)) return bad;
  rule.has_dst = true;
  rule.dst_offset = rule.std_offset + 3600;
  if (!tz.empty() && tz[0] != ',') {
    if (!ParseHms(tz, west)) return bad;
    rule.dst_offset = -west;
  }
  for (RuleDate* date : {&rule.start, &rule.end}) {
    // Only the Mm.w.d form: every zone of the tz database uses it.
    if (tz.size() < 2 || tz[0] != ',' || tz[1] != 'M') return bad;
    tz.remove_prefix(2);
    int values[3];
    for (int i = 0; i < 3; ++i) {
      if (i > 0) {
        if (tz.empty() || tz[0] != '.') return bad;
        tz.remove_prefix(1);
      }
      if (tz.empty() || !std::isdigit(static_cast<unsigned char>(tz[0]))) return bad;
      values[i] = 0;
      while (!tz.empty() && std::isdigit(static_cast<unsigned char>(tz[0]))) {
        values[i] = values[i] * 10 + (tz[0] - '0');
        tz.remove_prefix(1);
      }
    }
    if (values[0] < 1 || values[0] > 12 || values[1] < 1 || values[1] > 5 || values[2] > 6) return bad;
    date->month = values[0];
    date->week = values[1];
    date->weekday = values[2];
    if (!tz.empty() && tz[0] == '/') {
      tz.remove_prefix(1);
      if (!ParseHms(tz, date->seconds)) return bad;
    }
  }
  if (!tz.empty()) return bad;
  return rule;
}

Result<TimeZone> TimeZone::Parse(std::string name, std::string_view tzif) {
  Status bad = Status::InvalidArgument("time zone \"" + name + "\" is not a valid TZif file");
  Bytes bytes(tzif);
  auto read_header = [&](int64_t counts[6], char& version) {
    if (bytes.rest().size() < 44 || !bytes.rest().starts_with("TZif")) return false;
    version = bytes.rest()[4];
    bytes.Skip(20);
    for (int i = 0; i < 6; ++i) bytes.Int(4, counts[i]);
    return std::all_of(counts, counts + 6, [](int64_t c) { return c >= 0; });
  };
  int64_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  char version = 0;
  if (!read_header(c, version)) return bad;
  size_t time_size = 4;
  if (version >= '2') {
    // Skip the 32-bit block to the 64-bit one.
    if (!bytes.Skip(c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0])) return bad;
    if (!read_header(c, version)) return bad;
    time_size = 8;
  }
  int64_t isut = c[0], isstd = c[1], leap = c[2], timecnt = c[3], typecnt = c[4], charcnt = c[5];
  if (typecnt < 1) return bad;
  TimeZone zone;
  zone.name_ = std::move(name);
  std::vector<int64_t> types(timecnt);
  zone.transitions_.resize(timecnt);
  for (int64_t i = 0; i < timecnt; ++i) {
    if (!bytes.Int(time_size, zone.transitions_[i])) return bad;
  }
  for (int64_t i = 0; i < timecnt; ++i) {
    if (!bytes.Int(1, types[i]) || types[i] >= typecnt) return bad;
  }
  std::vector<int32_t> type_offsets(typecnt);
  for (int64_t i = 0; i < typecnt; ++i) {
    int64_t offset;
    if (!bytes.Int(4, offset) || !bytes.Skip(2)) return bad;
    type_offsets[i] = static_cast<int32_t>(offset);
  }
  if (!bytes.Skip(charcnt + leap * (time_size + 4) + isstd + isut)) return bad;
  zone.initial_offset_ = type_offsets[0];
  for (int64_t type : types) zone.offsets_.push_back(type_offsets[type]);
  if (version >= '2') {
    std::string_view footer = bytes.rest();
    if (footer.size() >= 2 && footer[0] == '\n') {
      std::string_view tz = footer.substr(1, footer.find('\n', 1) - 1);
      if (!tz.empty()) {
        auto rule = ParseRule(tz);
        // A rule we cannot read leaves the last transition's offset in force.
        if (rule.ok()) {
          zone.rule_ = *rule;
          zone.has_rule_ = true;
        }
      }
    }
  }
  return zone;
}

Result<TimeZone> TimeZone::Load(std::string_view name, const std::string& zoneinfo_dir) {
  bool safe = !name.empty() && name.size() < 64 && name.find("..") == std::string_view::npos && name[0] != '/' &&
              std::all_of(name.begin(), name.end(), [](char ch) {
                return std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' || ch == '_' || ch == '-' || ch == '+';
              });
  Status unknown = Status::InvalidArgument("time zone \"" + std::string(name) + "\" is not an IANA time zone name");
  if (!safe) return unknown;
  std::string path = zoneinfo_dir + "/" + std::string(name);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return unknown;
  std::ifstream in(path, std::ios::binary);
  if (!in) return unknown;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!bytes.starts_with("TZif")) return unknown;  // e.g. a directory or zone.tab
  return Parse(std::string(name), bytes);
}

int32_t TimeZone::RuleOffsetAt(int64_t utc) const {
  if (!rule_.has_dst) return rule_.std_offset;
  int64_t year = CivilFromDays(FloorDiv(utc + rule_.std_offset, kDay)).year;
  auto instant = [&](const RuleDate& date, int32_t offset_before) {
    int64_t first = DaysFromCivil({year, date.month, 1});
    int first_weekday = (WeekdayOfDays(first) + 1) % 7;  // POSIX counts from Sunday
    int day = 1 + (date.weekday - first_weekday + 7) % 7 + (date.week - 1) * 7;
    while (day > DaysInMonth(year, date.month)) day -= 7;
    return (first + day - 1) * kDay + date.seconds - offset_before;
  };
  int64_t start = instant(rule_.start, rule_.std_offset);
  int64_t end = instant(rule_.end, rule_.dst_offset);
  bool dst = start < end ? (utc >= start && utc < end) : !(utc >= end && utc < start);
  return dst ? rule_.dst_offset : rule_.std_offset;
}

int32_t TimeZone::OffsetAt(int64_t utc) const {
  if (transitions_.empty()) return has_rule_ ? RuleOffsetAt(utc) : initial_offset_;
  if (utc < transitions_.front()) return initial_offset_;
  if (utc >= transitions_.back() && has_rule_) return RuleOffsetAt(utc);
  size_t i = std::upper_bound(transitions_.begin(), transitions_.end(), utc) - transitions_.begin() - 1;
  return offsets_[i];
}

int64_t TimeZone::ToUtc(int64_t local) const {
  // The offsets in force a day either side bound every offset that can
  // apply to this wall time.
  int32_t before = OffsetAt(local - kDay);
  int32_t after = OffsetAt(local + kDay);
  int64_t best = INT64_MAX;
  for (int32_t offset : {before, after}) {
    int64_t utc = local - offset;
    if (OffsetAt(utc) == offset) best = std::min(best, utc);
  }
  if (best != INT64_MAX) return best;
  // In a gap: the first instant at which the later offset is in force.
  int64_t lo = local - std::max(before, after);
  int64_t hi = local - std::min(before, after);
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (OffsetAt(mid) == after) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

std::optional<int64_t> ParseIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  auto num = [](std::string_view part, int& out) {
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && ptr == part.data() + part.size();
  };
  if (!num(s.substr(0, 4), y) || !num(s.substr(5, 2), m) || !num(s.substr(8, 2), d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return DaysFromCivil({y, m, d});
}

std::optional<int64_t> ParseIsoTime(std::string_view s) {
  if (s.size() < 17 || (s[10] != 'T' && s[10] != ' ')) return std::nullopt;
  auto day = ParseIsoDate(s.substr(0, 10));
  if (!day) return std::nullopt;
  auto two = [](std::string_view p, int& out) {
    if (p.size() < 2 || !std::isdigit(static_cast<unsigned char>(p[0])) ||
        !std::isdigit(static_cast<unsigned char>(p[1]))) {
      return false;
    }
    out = (p[0] - '0') * 10 + (p[1] - '0');
    return true;
  };
  std::string_view rest = s.substr(11);
  int h = 0, mi = 0, sec = 0;
  int64_t fraction = 0;
  if (!two(rest, h) || rest.size() < 5 || rest[2] != ':' || !two(rest.substr(3), mi)) return std::nullopt;
  rest.remove_prefix(5);
  if (!rest.empty() && rest[0] == ':') {
    if (!two(rest.substr(1), sec)) return std::nullopt;
    rest.remove_prefix(3);
    if (!rest.empty() && rest[0] == '.') {
      rest.remove_prefix(1);
      int digits = 0;
      while (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest[0]))) {
        if (digits < 6) fraction = fraction * 10 + (rest[0] - '0');
        ++digits;
        rest.remove_prefix(1);
      }
      if (digits == 0) return std::nullopt;
      for (; digits < 6; ++digits) fraction *= 10;
    }
  }
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  int offset = 0;
  if (rest == "Z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh = 0, om = 0;
    if (!two(rest.substr(1), oh) || !two(rest.substr(4), om)) return std::nullopt;
    offset = (rest[0] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  int64_t seconds = *day * 86'400 + h * 3600 + mi * 60 + sec - offset;
  return seconds * 1'000'000 + fraction;
}

std::vector<OffsetSpan> OffsetSpans(const TimeZone& zone, int64_t from_seconds, int64_t to_seconds) {
  constexpr int64_t kStep = 6 * 3600;
  std::vector<OffsetSpan> spans = {{from_seconds, zone.OffsetAt(from_seconds)}};
  for (int64_t t = from_seconds; t < to_seconds; t += kStep) {
    int64_t next = std::min(t + kStep, to_seconds);
    if (zone.OffsetAt(next) == spans.back().offset_seconds) continue;
    // The transition is in (t, next]: the first second with the new offset.
    int64_t low = t, high = next;
    while (high - low > 1) {
      int64_t mid = low + (high - low) / 2;
      (zone.OffsetAt(mid) == spans.back().offset_seconds ? low : high) = mid;
    }
    if (high < to_seconds) spans.push_back({high, zone.OffsetAt(high)});
  }
  return spans;
}

int64_t DayOfSeconds(int64_t seconds) { return seconds / 86'400 - (seconds % 86'400 < 0 ? 1 : 0); }

std::string FormatLocalIsoTime(int64_t utc_micros, const TimeZone& zone) {
  int64_t seconds = utc_micros / 1'000'000 - (utc_micros % 1'000'000 < 0 ? 1 : 0);
  int32_t offset = zone.OffsetAt(seconds);
  int64_t local = seconds + offset;
  int64_t days = DayOfSeconds(local);
  int64_t in_day = local - days * 86'400;
  CivilDate date = CivilFromDays(days);
  int32_t magnitude = offset < 0 ? -offset : offset;
  char out[40];
  std::snprintf(out, sizeof out, "%04lld-%02d-%02dT%02lld:%02lld:%02lld%c%02d:%02d", static_cast<long long>(date.year),
                date.month, date.day, static_cast<long long>(in_day / 3600), static_cast<long long>(in_day / 60 % 60),
                static_cast<long long>(in_day % 60), offset < 0 ? '-' : '+', magnitude / 3600, magnitude / 60 % 60);
  return out;
}

}  // namespace datafast::core
