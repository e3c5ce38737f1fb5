#include "ingest/tracker_payload.h"

#include <cctype>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>

#include "core/ids.h"

namespace datafast::ingest {
namespace {

namespace json = boost::json;

bool IsGoalNameChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; }

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// Reads an optional string field; Ok with "" when absent or null.
Result<std::string> OptionalString(const json::object& obj, std::string_view key, size_t max_length) {
  const json::value* v = obj.if_contains(key);
  if (!v || v->is_null()) return std::string();
  if (!v->is_string()) return Status::InvalidArgument(std::string(key) + " must be a string");
  const json::string& s = v->get_string();
  if (s.size() > max_length) {
    return Status::InvalidArgument(std::string(key) + " is longer than " + std::to_string(max_length) + " characters");
  }
  // JSON allows \u0000; no field of an event has a use for it, and the
  // embedded store does not keep it (EventStoreTest found it lost).
  if (std::string_view(s).find('\0') != std::string_view::npos) {
    return Status::InvalidArgument(std::string(key) + " must not contain NUL characters");
  }
  return std::string(s);
}

Result<std::string> RequiredString(const json::object& obj, std::string_view key, size_t max_length) {
  auto s = OptionalString(obj, key, max_length);
  if (s.ok() && s->empty()) return Status::InvalidArgument(std::string(key) + " is required");
  return s;
}

// An absolute http or https URL with a host, viewed in `url`.
Result<boost::urls::url_view> ParseWebUrl(std::string_view key, std::string_view url) {
  // The scheme is checked first so data:, javascript: and file: URLs get the
  // same clear answer whether or not the rest of them parses.
  size_t colon = url.find(':');
  std::string scheme(url.substr(0, colon == std::string_view::npos ? 0 : colon));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") {
    return Status::InvalidArgument(std::string(key) + " must be an http or https URL" +
                                   (scheme.empty() || scheme.size() > 16 ? "" : ", not " + scheme + ":"));
  }
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return Status::InvalidArgument(std::string(key) + " is not a valid absolute URL");
  if (parsed->encoded_host().empty()) return Status::InvalidArgument(std::string(key) + " has no host");
  return *parsed;
}

// Visitor and session ids come from our own cookies (UUIDs) or from a
// customer's code passing them through; anything else is refused rather
// than stored.
Status CheckClientId(std::string_view key, std::string_view id) {
  if (id.empty()) return Status::Ok();
  if (id.size() < 8 || id.size() > 64) {
    return Status::InvalidArgument(std::string(key) + " must be 8 to 64 characters");
  }
  for (char c : id) {
    if (!IsIdChar(c)) return Status::InvalidArgument(std::string(key) + " may contain only letters, digits, - and _");
  }
  return Status::Ok();
}

Status ParseGoal(const json::object& obj, TrackerPayload& out) {
  auto name = RequiredString(obj, "name", 1024);
  if (!name.ok()) return name.status();
  if (name->size() > kMaxGoalNameLength) {
    return Status::InvalidArgument("goal name is longer than " + std::to_string(kMaxGoalNameLength) + " characters");
  }
  for (char c : *name) {
    if (!IsGoalNameChar(c)) {
      return Status::InvalidArgument("goal name \"" + *name + "\" may contain only lowercase letters, digits, _ and -");
    }
  }
  out.goal_name = std::move(*name);
  const json::value* params = obj.if_contains("params");
  if (!params || params->is_null()) return Status::Ok();
  if (!params->is_object()) return Status::InvalidArgument("params must be an object");
  const json::object& p = params->get_object();
  if (p.size() > kMaxGoalParams) {
    return Status::InvalidArgument("params has " + std::to_string(p.size()) + " entries; at most " +
                                   std::to_string(kMaxGoalParams) + " are allowed");
  }
  for (const auto& [key, value] : p) {
    if (key.empty() || key.size() > kMaxGoalNameLength) {
      return Status::InvalidArgument("params keys must be 1 to 64 characters");
    }
    std::string text;
    if (value.is_string()) {
      text = value.get_string();
    } else if (value.is_int64() || value.is_uint64() || value.is_double() || value.is_bool()) {
      text = json::serialize(value);
    } else {
      return Status::InvalidArgument("params." + std::string(key) + " must be a string, number or boolean");
    }
    if (text.size() > kMaxGoalParamValueLength) {
      return Status::InvalidArgument("params." + std::string(key) + " is longer than " +
                                     std::to_string(kMaxGoalParamValueLength) + " characters");
    }
    out.goal_params.emplace_back(key, std::move(text));
  }
  return Status::Ok();
}

}  // namespace

Result<TrackerPayload> ParseTrackerPayload(std::string_view body) {
  if (body.size() > kMaxBodyBytes) {
    return Status::TooLarge("request body is larger than " + std::to_string(kMaxBodyBytes) + " bytes");
  }
  boost::system::error_code ec;
  // Boost.JSON refuses invalid UTF-8 in strings, so nothing malformed reaches
  // the stores.
  json::value root = json::parse(body, ec);
  if (ec) return Status::InvalidArgument("body is not valid JSON: " + ec.message());
  if (!root.is_object()) return Status::InvalidArgument("body must be a JSON object");
  const json::object& obj = root.get_object();

  TrackerPayload out;
  auto website_id = RequiredString(obj, "websiteId", 64);
  if (!website_id.ok()) return website_id.status();
  if (!core::IsSiteId(*website_id)) {
    return Status::InvalidArgument("websiteId \"" + *website_id + "\" is not a website id (dfid_…)");
  }
  out.website_id = std::move(*website_id);

  auto type = OptionalString(obj, "type", 16);
  if (!type.ok()) return type.status();
  if (!type->empty()) {
    auto parsed = store::ParseEventType(*type);
    if (!parsed) {
      return Status::InvalidArgument("type \"" + *type + "\" is not one of pageview, goal, outbound, payment");
    }
    out.type = *parsed;
  }

  auto href = RequiredString(obj, "href", kMaxUrlLength);
  if (!href.ok()) return href.status();
  auto href_url = ParseWebUrl("href", *href);
  if (!href_url.ok()) return href_url.status();
  out.href = *href_url;

  auto referrer = OptionalString(obj, "referrer", kMaxUrlLength);
  if (!referrer.ok()) return referrer.status();
  // Apps send referrers like android-app://com.google.android.gm; those carry
  // no web origin we can classify, so they count as no referrer.
  if (!referrer->empty()) {
    auto referrer_url = ParseWebUrl("referrer", *referrer);
    if (referrer_url.ok()) out.referrer = *referrer_url;
  }

  if (const json::value* w = obj.if_contains("screenWidth"); w && !w->is_null()) {
    if (!w->is_number()) return Status::InvalidArgument("screenWidth must be a number");
    double width = w->to_number<double>();
    if (width < 0 || width > 100000) return Status::InvalidArgument("screenWidth is out of range");
    out.screen_width = static_cast<int32_t>(width);
  }

  auto language = OptionalString(obj, "language", 35);
  if (!language.ok()) return language.status();
  out.language = std::move(*language);

  auto visitor = OptionalString(obj, "visitorId", 64);
  if (!visitor.ok()) return visitor.status();
  DF_RETURN_IF_ERROR(CheckClientId("visitorId", *visitor));
  auto session = OptionalString(obj, "sessionId", 64);
  if (!session.ok()) return session.status();
  DF_RETURN_IF_ERROR(CheckClientId("sessionId", *session));
  if (visitor->empty() != session->empty()) {
    return Status::InvalidArgument("visitorId and sessionId must be sent together");
  }
  out.visitor_id = std::move(*visitor);
  out.session_id = std::move(*session);

  if (const json::value* h = obj.if_contains("hash"); h && h->is_bool()) out.hash_mode = h->get_bool();

  switch (out.type) {
    case store::EventType::kPageview:
      break;
    case store::EventType::kGoal:
      DF_RETURN_IF_ERROR(ParseGoal(obj, out));
      break;
    case store::EventType::kOutbound: {
      auto url = RequiredString(obj, "url", kMaxUrlLength);
      if (!url.ok()) return url.status();
      DF_RETURN_IF_ERROR(ParseWebUrl("url", *url).status());
      out.outbound_url = std::move(*url);
      break;
    }
    case store::EventType::kPayment: {
      auto provider = RequiredString(obj, "provider", 32);
      if (!provider.ok()) return provider.status();
      if (*provider != "stripe" && *provider != "lemonsqueezy" && *provider != "polar") {
        return Status::InvalidArgument("provider \"" + *provider + "\" is not one of stripe, lemonsqueezy, polar");
      }
      auto transaction = RequiredString(obj, "transactionId", 255);
      if (!transaction.ok()) return transaction.status();
      out.payment_provider = std::move(*provider);
      out.transaction_id = std::move(*transaction);
      break;
    }
    case store::EventType::kRevenue:
      // Money is what payment providers and the payments API report, never
      // a page.
      return Status::InvalidArgument("type \"revenue\" is not one of pageview, goal, outbound, payment");
  }
  return out;
}

}  // namespace datafast::ingest
