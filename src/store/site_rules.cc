#include "store/site_rules.h"

#include "core/time_zone.h"

namespace datafast::store {

Result<std::string> NormalizeDomain(std::string_view input) {
  std::string_view s = input;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (size_t scheme = s.find("://"); scheme != std::string_view::npos) s.remove_prefix(scheme + 3);
  s = s.substr(0, s.find_first_of("/?#"));
  if (size_t colon = s.find(':'); colon != std::string_view::npos) s = s.substr(0, colon);
  while (!s.empty() && s.back() == '.') s.remove_suffix(1);
  std::string domain;
  for (char c : s) domain += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (domain.starts_with("www.")) domain.erase(0, 4);
  std::string quoted = "\"" + std::string(input) + "\"";
  if (domain.empty()) return Status::InvalidArgument("domain " + quoted + " is empty");
  if (domain.size() > 253) return Status::InvalidArgument("domain " + quoted + " is too long");
  size_t label_length = 0;
  for (size_t i = 0; i <= domain.size(); ++i) {
    char c = i < domain.size() ? domain[i] : '.';
    if (c == '.') {
      if (label_length == 0 || label_length > 63) {
        return Status::InvalidArgument("domain " + quoted + " has an empty or too long label");
      }
      if (domain[i - 1] == '-' || domain[i - label_length] == '-') {
        return Status::InvalidArgument("domain " + quoted + " has a label starting or ending with -");
      }
      label_length = 0;
      continue;
    }
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) {
      return Status::InvalidArgument("domain " + quoted +
                                     " may contain only letters, digits, - and . (use the xn-- form for "
                                     "international names)");
    }
    ++label_length;
  }
  return domain;
}

Status CheckTimezone(std::string_view name) {
  // Loading it proves the name and that reports can be cut in it.
  if (core::TimeZone::Load(name).ok()) return Status::Ok();
  return Status::InvalidArgument("time zone \"" + std::string(name) + "\" is not an IANA name such as Europe/Paris");
}

Status CheckCurrency(std::string_view code) {
  bool ok = code.size() == 3;
  for (char c : code) ok = ok && c >= 'A' && c <= 'Z';
  if (!ok) return Status::InvalidArgument("currency \"" + std::string(code) + "\" is not an ISO 4217 code such as EUR");
  return Status::Ok();
}

}  // namespace datafast::store
