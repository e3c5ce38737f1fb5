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

struct SmtpOptions {
  std::string url;   // smtp://host:587 (STARTTLS when offered) or smtps://host:465
  std::string user;  // empty: no authentication
  std::string password;
  std::string from;  // the sender address, e.g. analytics@example.com
};

// Sends through an SMTP server with libcurl, from a thread of its own: Send
// queues the mail and returns at once, so no request waits for the server;
// a failed delivery is logged (with the recipient, never the body).
std::unique_ptr<Mailer> NewSmtpMailer(SmtpOptions options);

}  // namespace datafast::auth
