#include "auth/mailer.h"

#include "core/log.h"

namespace datafast::auth {
namespace {

class LogMailer final : public Mailer {
 public:
  Status Send(const Mail& mail) override {
    core::LogInfo("mail (no SMTP server configured, so it is logged instead of sent)",
                  {{"to", mail.to}, {"subject", mail.subject}, {"text", mail.text}});
    return Status::Ok();
  }
  std::string_view delivery() const override { return "log"; }
};

}  // namespace

std::unique_ptr<Mailer> NewLogMailer() { return std::make_unique<LogMailer>(); }

}  // namespace datafast::auth
