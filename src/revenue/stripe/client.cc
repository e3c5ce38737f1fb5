#include "revenue/stripe/client.h"

#include <curl/curl.h>

#include <boost/json/parse.hpp>

namespace datafast::revenue::stripe {

namespace {

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

Client::Client(std::string base_url, std::string secret_key)
    : base_url_(WithoutTrailingSlash(std::move(base_url))), secret_key_(std::move(secret_key)) {}

Result<boost::json::object> Client::Post(std::string_view path,
                                         const std::vector<std::pair<std::string, std::string>>& form) const {
  CURL* curl = curl_easy_init();
  if (!curl) return Status::Internal("curl_easy_init failed");
  std::string body;
  for (const auto& [key, value] : form) {
    char* k = curl_easy_escape(curl, key.c_str(), static_cast<int>(key.size()));
    char* v = curl_easy_escape(curl, value.c_str(), static_cast<int>(value.size()));
    if (!body.empty()) body += '&';
    body += std::string(k) + "=" + v;
    curl_free(k);
    curl_free(v);
  }
  std::string url = base_url_ + "/v1/" + std::string(path);
  std::string auth = "Authorization: Bearer " + secret_key_;
  curl_slist* headers = curl_slist_append(nullptr, auth.c_str());
  headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
  std::string response;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t count, void* out) -> size_t {
        static_cast<std::string*>(out)->append(data, size * count);
        return size * count;
      });
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) return Status::Unavailable(std::string("Stripe cannot be reached: ") + curl_easy_strerror(rc));
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(response, ec);
  if (ec || !json.is_object()) return Status::Unavailable("Stripe answered something that is not JSON");
  if (status >= 400) {
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
