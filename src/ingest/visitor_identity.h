// Visitor and session ids for the cookieless tracker, which sends none.
//
// visitor id = HMAC-SHA256(key = the day's random salt, site id | IP | UA),
// cut to 128 bits: the same browser on the same site gets the same id all
// day, and nobody can link it to an address once the salt is deleted. Salts
// live in the MetaStore (shared by every instance), are created at random
// for each UTC day, kept two days (so a session running past midnight keeps
// its visitor), and then deleted by ForgetOldSalts.
//
// Sessions end after 30 minutes without an event; the active ones are kept
// in memory. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/status.h"
#include "store/meta_store.h"

namespace datafast::ingest {

struct VisitorIds {
  std::string visitor_id;
  std::string session_id;
};

class VisitorIdentity {
 public:
  static constexpr int64_t kSessionTimeoutMicros = 30LL * 60 * 1'000'000;

  VisitorIdentity(store::MetaStore& meta, const core::Clock& clock) : meta_(meta), clock_(clock) {}

  // Ids for an event without cookies. `ip` is used here and forgotten.
  Result<VisitorIds> Identify(std::string_view site_id, std::string_view ip, std::string_view user_agent);

  // Deletes the salts older than yesterday and sessions that have ended.
  Status ForgetOldSalts();

 private:
  struct ActiveSession {
    std::string session_id;
    int64_t last_seen_micros;
  };

  Result<std::string> SaltFor(int64_t day);
  std::string VisitorHash(const std::string& salt, std::string_view site_id, std::string_view ip,
                          std::string_view user_agent) const;
  // REQUIRES: mu_ held.
  ActiveSession* LiveSession(const std::string& visitor_id, int64_t now);

  store::MetaStore& meta_;
  const core::Clock& clock_;
  std::mutex mu_;
  std::unordered_map<int64_t, std::string> salts_;           // by UTC day
  std::unordered_map<std::string, ActiveSession> sessions_;  // by visitor id
};

}  // namespace datafast::ingest
