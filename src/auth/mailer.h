// Outgoing mail: password resets, email verification, invitations, usage
// warnings. With SMTP configured, mail goes through it; without, each mail
// (its links included) is written to the server log, so a self-hoster is
// never locked out of their own install. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace datafast::auth {

struct Mail {
  std::string to;
  std::string subject;
  std::string text;  // plain text, links on their own lines
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual Status Send(const Mail& mail) = 0;
  // "smtp" or "log", for the app to tell users where their link went.
  virtual std::string_view delivery() const = 0;
};

// Writes every mail to the log at info level.
std::unique_ptr<Mailer> NewLogMailer();

}  // namespace datafast::auth
