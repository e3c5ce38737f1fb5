#include "revenue/webhook.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json/parse.hpp>
#include <limits>

namespace datafast::revenue {

int64_t MonthlyAmount(int64_t amount, std::string_view interval, int64_t interval_count) {
  if (amount <= 0 || interval_count < 1 || interval_count > 1000) return 0;
  // amount * per_year / (12 * interval_count), with the year's count of each interval.
  int64_t per_year = 0;
  if (interval == "day") per_year = 365;
  if (interval == "week") per_year = 52;
  if (interval == "month") per_year = 12;
  if (interval == "year") per_year = 1;
  if (per_year == 0) return 0;
  int64_t denominator = 12 * interval_count;
  return (amount * per_year * 2 + denominator) / (2 * denominator);
}

namespace webhook_json {

Result<boost::json::object> ParseObject(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) return Status::InvalidArgument("the body is not valid JSON: " + ec.message());
  boost::json::object* object = value.if_object();
  if (!object) return Status::InvalidArgument("the body is not a JSON object");
  return std::move(*object);
}

const boost::json::object* ObjectAt(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value ? value->if_object() : nullptr;
}

const boost::json::array* ArrayAt(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value ? value->if_array() : nullptr;
}

std::string_view StringAt(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  const boost::json::string* text = value ? value->if_string() : nullptr;
  return text ? std::string_view(*text) : std::string_view();
}

std::optional<int64_t> IntAt(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (!value) return std::nullopt;
  if (const int64_t* number = value->if_int64()) return *number;
  const uint64_t* big = value->if_uint64();
  if (big && *big <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return static_cast<int64_t>(*big);
  return std::nullopt;
}

std::optional<int64_t> AmountAt(const boost::json::object& object, std::string_view key) {
  std::optional<int64_t> amount = IntAt(object, key);
  if (!amount || *amount < 0 || *amount > (int64_t{1} << 53)) return std::nullopt;
  return amount;
}

std::string IdAt(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (!value) return "";
  if (const boost::json::string* text = value->if_string()) return std::string(*text);
  if (const int64_t* number = value->if_int64()) return std::to_string(*number);
  if (const uint64_t* big = value->if_uint64()) return std::to_string(*big);
  return "";
}

void ReadTrackerIds(const boost::json::object* metadata, PaymentReport& report) {
  if (!metadata) return;
  report.visitor_id = StringAt(*metadata, "datafast_visitor_id");
  report.session_id = StringAt(*metadata, "datafast_session_id");
}

}  // namespace webhook_json
}  // namespace datafast::revenue
