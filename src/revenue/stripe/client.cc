#include "revenue/stripe/client.h"

#include <boost/json/parse.hpp>
#include <cctype>

#include "core/http_client.h"

namespace datafast::revenue::stripe {

namespace {

// application/x-www-form-urlencoded: unreserved characters as they are,
// everything else as %XX.
std::string FormEscape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

Client::Client(std::string base_url, std::string secret_key)
    : base_url_(WithoutTrailingSlash(std::move(base_url))), secret_key_(std::move(secret_key)) {}

Result<boost::json::object> Client::Post(std::string_view path,
                                         const std::vector<std::pair<std::string, std::string>>& form) const {
  std::string body;
  for (const auto& [key, value] : form) {
    if (!body.empty()) body += '&';
    body += FormEscape(key) + "=" + FormEscape(value);
  }
  auto answer = core::HttpExchange(
      "Stripe", "POST", base_url_ + "/v1/" + std::string(path),
      {"Authorization: Bearer " + secret_key_, "Content-Type: application/x-www-form-urlencoded"}, body);
  if (!answer.ok()) return answer.status();
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(answer->body, ec);
  if (ec || !json.is_object()) return Status::Unavailable("Stripe answered something that is not JSON");
  if (answer->status >= 400) {
    const boost::json::value* message = json.as_object().if_contains("error");
    std::string text = "Stripe refused the request";
    if (message && message->is_object() && message->as_object().contains("message")) {
      text += ": " + std::string(message->as_object().at("message").as_string());
    }
    return Status::Unavailable(text);
  }
  return std::move(json.as_object());
}

}  // namespace datafast::revenue::stripe
