#include "revenue/payment_report.h"

#include <array>

namespace datafast::revenue {
namespace {

constexpr std::array<std::pair<PaymentKind, std::string_view>, 4> kKinds = {{
    {PaymentKind::kPurchase, "purchase"},
    {PaymentKind::kRenewal, "renewal"},
    {PaymentKind::kFreeTrial, "free_trial"},
    {PaymentKind::kRefund, "refund"},
}};

}  // namespace

std::string_view ToString(PaymentKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "purchase";
}

std::optional<PaymentKind> ParsePaymentKind(std::string_view s) {
  for (const auto& [k, name] : kKinds) {
    if (name == s) return k;
  }
  return std::nullopt;
}

}  // namespace datafast::revenue
