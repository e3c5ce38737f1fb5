#include "revenue/stripe/signature.h"

#include <cstdlib>
#include <vector>

#include "auth/secrets.h"
#include "core/digest.h"

namespace datafast::revenue::stripe {
Status VerifySignature(std::string_view header, std::string_view body, std::string_view secret, int64_t now_seconds,
                       int64_t tolerance_seconds) {
  std::string_view timestamp;
  std::vector<std::string_view> signatures;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.starts_with("t=")) timestamp = item.substr(2);
    if (item.starts_with("v1=")) signatures.push_back(item.substr(3));
  }
  if (timestamp.empty() || signatures.empty()) {
    return Status::Unauthenticated("Stripe-Signature has no timestamp or no v1 signature");
  }
  char* end = nullptr;
  std::string digits(timestamp);
  long long t = std::strtoll(digits.c_str(), &end, 10);
  if (end == digits.c_str() || *end != '\0')
    return Status::Unauthenticated("Stripe-Signature timestamp is not a number");
  if (std::llabs(now_seconds - t) > tolerance_seconds) {
    return Status::Unauthenticated("Stripe-Signature timestamp is outside the tolerance");
  }
  std::string expected = core::HmacSha256Hex(secret, std::string(timestamp) + "." + std::string(body));
  bool match = false;
  for (std::string_view candidate : signatures) match |= auth::ConstantTimeEquals(candidate, expected);
  if (!match) return Status::Unauthenticated("no Stripe-Signature v1 matches the body");
  return Status::Ok();
}

std::string SignatureHeader(std::string_view body, std::string_view secret, int64_t timestamp) {
  std::string t = std::to_string(timestamp);
  return "t=" + t + ",v1=" + core::HmacSha256Hex(secret, t + "." + std::string(body));
}

}  // namespace datafast::revenue::stripe
