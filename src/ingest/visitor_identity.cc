#include "ingest/visitor_identity.h"

#include "core/digest.h"
#include "core/ids.h"

namespace datafast::ingest {
namespace {

constexpr int64_t kMicrosPerDay = 86'400LL * 1'000'000;

int64_t DayOf(int64_t micros) { return micros / kMicrosPerDay; }

}  // namespace

Result<std::string> VisitorIdentity::SaltFor(int64_t day) {
  {
    std::lock_guard lock(mu_);
    if (auto it = salts_.find(day); it != salts_.end()) return it->second;
  }
  auto salt = meta_.SaltForDay(day);
  if (!salt.ok()) return salt.status().WithContext("cookieless salt");
  std::lock_guard lock(mu_);
  salts_[day] = *salt;
  return salt;
}

std::string VisitorIdentity::VisitorHash(const std::string& salt, std::string_view site_id, std::string_view ip,
                                         std::string_view user_agent) const {
  std::string message;
  message.reserve(site_id.size() + ip.size() + user_agent.size() + 2);
  message.append(site_id).append(1, '\n').append(ip).append(1, '\n').append(user_agent);
  // The first 128 bits: as many as a UUID, as the cookie ids have.
  return core::HmacSha256Hex(salt, message).substr(0, 32);
}

VisitorIdentity::ActiveSession* VisitorIdentity::LiveSession(const std::string& visitor_id, int64_t now) {
  auto it = sessions_.find(visitor_id);
  if (it == sessions_.end() || now - it->second.last_seen_micros > kSessionTimeoutMicros) return nullptr;
  return &it->second;
}

Result<VisitorIds> VisitorIdentity::Identify(std::string_view site_id, std::string_view ip,
                                             std::string_view user_agent) {
  int64_t now = clock_.NowMicros();
  int64_t today = DayOf(now);
  auto salt_today = SaltFor(today);
  if (!salt_today.ok()) return salt_today.status();
  auto salt_yesterday = SaltFor(today - 1);
  if (!salt_yesterday.ok()) return salt_yesterday.status();
  std::string id_today = VisitorHash(*salt_today, site_id, ip, user_agent);
  std::string id_yesterday = VisitorHash(*salt_yesterday, site_id, ip, user_agent);

  std::lock_guard lock(mu_);
  // A session that began before midnight continues under yesterday's id.
  for (const std::string* id : {&id_today, &id_yesterday}) {
    if (ActiveSession* s = LiveSession(*id, now)) {
      s->last_seen_micros = now;
      return VisitorIds{*id, s->session_id};
    }
  }
  std::string session_id = core::NewUuid();
  sessions_[id_today] = ActiveSession{session_id, now};
  return VisitorIds{std::move(id_today), std::move(session_id)};
}

Status VisitorIdentity::ForgetOldSalts() {
  int64_t now = clock_.NowMicros();
  int64_t yesterday = DayOf(now) - 1;
  DF_RETURN_IF_ERROR(meta_.DeleteSaltsBefore(yesterday).WithContext("delete old salts"));
  std::lock_guard lock(mu_);
  std::erase_if(salts_, [yesterday](const auto& entry) { return entry.first < yesterday; });
  std::erase_if(sessions_,
                [now](const auto& entry) { return now - entry.second.last_seen_micros > kSessionTimeoutMicros; });
  return Status::Ok();
}

}  // namespace datafast::ingest
