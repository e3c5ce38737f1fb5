#include "auth/mailer.h"

#include <curl/curl.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "core/log.h"
#include "core/current_thread.h"

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

// RFC 5322 message text: headers, a blank line, the body with CRLF line ends.
std::string Format(const Mail& mail, const std::string& from, int64_t id) {
  std::string body;
  for (char c : mail.text) {
    if (c == '\n')
      body += "\r\n";
    else
      body += c;
  }
  // A line of a single "." would end the message early: SMTP dot-stuffing.
  std::string stuffed;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find("\r\n", start);
    std::string_view line(body.data() + start, (end == std::string::npos ? body.size() : end) - start);
    if (line.starts_with(".")) stuffed += '.';
    stuffed += line;
    stuffed += "\r\n";
    start = end == std::string::npos ? body.size() : end + 2;
  }
  return "From: DataFast <" + from + ">\r\nTo: <" + mail.to + ">\r\nSubject: " + mail.subject + "\r\nMessage-ID: <" +
         std::to_string(id) + "." + from +
         ">\r\nMIME-Version: 1.0\r\n"
         "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
         stuffed;
}

class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpOptions options) : options_(std::move(options)), thread_([this] { Run(); }) {}
  ~SmtpMailer() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    ready_.notify_one();
    thread_.join();
  }

  Status Send(const Mail& mail) override {
    if (mail.to.find_first_of("\r\n<>") != std::string::npos ||
        mail.subject.find_first_of("\r\n") != std::string::npos) {
      return Status::InvalidArgument("a mail header may not contain line breaks");
    }
    {
      std::lock_guard lock(mu_);
      if (queue_.size() >= 10'000) return Status::Unavailable("too many mails waiting to be sent");
      queue_.push_back(mail);
    }
    ready_.notify_one();
    return Status::Ok();
  }
  std::string_view delivery() const override { return "smtp"; }

 private:
  void Run() {
    core::NameCurrentThread("mailer");
    for (;;) {
      Mail mail;
      {
        std::unique_lock lock(mu_);
        ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything is sent
        mail = std::move(queue_.front());
        queue_.pop_front();
      }
      if (Status s = Deliver(mail); !s.ok()) {
        core::LogError("mail not delivered", {{"to", mail.to}, {"subject", mail.subject}, {"error", s.message()}});
      }
    }
  }

  Status Deliver(const Mail& mail) {
    CURL* curl = curl_easy_init();
    if (!curl) return Status::Internal("curl_easy_init failed");
    std::string message = Format(mail, options_.from, ++sent_);
    std::string_view rest = message;
    curl_slist* recipients = curl_slist_append(nullptr, ("<" + mail.to + ">").c_str());
    std::string from = "<" + options_.from + ">";
    curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    if (!options_.user.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, options_.user.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READDATA, &rest);
    curl_easy_setopt(
        curl, CURLOPT_READFUNCTION, +[](char* buffer, size_t size, size_t count, void* data) -> size_t {
          auto* remaining = static_cast<std::string_view*>(data);
          size_t n = std::min(size * count, remaining->size());
          std::memcpy(buffer, remaining->data(), n);
          remaining->remove_prefix(n);
          return n;
        });
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) return Status::Unavailable(curl_easy_strerror(rc));
    return Status::Ok();
  }

  const SmtpOptions options_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Mail> queue_;
  bool stopping_ = false;
  int64_t sent_ = 0;
  std::thread thread_;  // last: starts once the rest exists
};

}  // namespace

std::unique_ptr<Mailer> NewLogMailer() { return std::make_unique<LogMailer>(); }

std::unique_ptr<Mailer> NewSmtpMailer(SmtpOptions options) {
  // Once, before any thread uses libcurl.
  static const bool initialized = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialized;
  return std::make_unique<SmtpMailer>(std::move(options));
}

}  // namespace datafast::auth
