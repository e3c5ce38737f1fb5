// Turns what providers report into payments credited to the visits that
// earned them, exactly once each: the one place payments are recorded,
// attributed, converted to the site's currency, given their revenue event,
// and deleted.
//
// Attribution finds the visitor by the first rule that yields one, and keeps
// which:
//   metadata    the tracker's visitor id passed at checkout;
//   identified  a visitor the site identified (POST /api/v1/identify) with
//               the payment's customer id or email;
//   customer    the visitor of an earlier payment with the same customer id;
//   email       the visitor of an earlier payment with the same email hash;
//   renewal     a renewal takes the visitor and session of its
//               subscription's first payment;
//   none        never guessed, from an IP address or otherwise.
// The visits that touched the payment are the visitor's non-direct sessions
// that started within the site's attribution window before it (the latest
// 50), else the last direct one: a direct visit is mostly a return to a site
// found before. Each attribution model (store::AttributionModel) credits
// them its own way:
//   last    the whole payment to the last of them (the default);
//   first   the whole payment to the first;
//   linear  an equal share to each, in whole millionths that add up.
// A renewal is credited as its subscription's first payment was, a refund
// as the payment it returns.
//
// A payment's revenue events (store::EventType::kRevenue) are one row per
// model and credited session, each with that session's attributes, so every
// report counts revenue by source, campaign, page or country without a
// join. The last-touch row has the payment's id as event id; the others
// extend it (".first", ".linear.N"). The rows are written once the payment
// can be settled: its currency has a rate (dated on or before the payment)
// and, for a refund, its payment has arrived. Until then it waits;
// SettlePending retries, and also finishes a payment whose rows a crash
// interrupted.
//
// Thread-safe; recording is serialised within the process.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "ingest/event_writer.h"
#include "revenue/payment_report.h"
#include "store/event_store.h"
#include "store/meta_store.h"

namespace datafast::revenue {

// How sure a rule is of the visitor it found: "high" when the site itself
// named the visitor (metadata, identified), "medium" when an earlier payment
// led to them (customer, email) or a renewal follows its first payment,
// "none" for none.
std::string_view AttributionConfidence(std::string_view rule);

struct RecordOutcome {
  store::Payment payment;
  // The transaction was recorded before (a retried delivery, or the tracker
  // and a webhook reporting one checkout): nothing changed.
  bool duplicate = false;
};

class PaymentRecorder {
 public:
  struct Deps {
    store::MetaStore* meta;
    store::EventStore* events;
    ingest::EventWriter* writer;
    const core::Clock* clock;
    std::string email_key;  // auth::ServerKey::Derive("email-hash")
  };
  explicit PaymentRecorder(Deps deps) : deps_(std::move(deps)) {}

  // Records `report` for `site` once. kInvalidArgument names a field that is
  // wrong; a duplicate transaction returns the payment recorded first.
  Result<RecordOutcome> Record(const store::Site& site, const PaymentReport& report);

  // Deletes `payments` of `site` with their revenue events.
  Status Delete(const store::Site& site, const std::vector<store::Payment>& payments);

  // Settles every payment still waiting for its revenue event, of any site.
  // Returns how many it settled.
  Result<size_t> SettlePending();

  // The keyed hash payments and identities store instead of an email.
  std::string EmailHash(std::string_view email) const;

 private:
  // Finds the visitor and the sessions that touched `payment` (not a
  // refund); returns the first pageview of each session the store has.
  Result<std::vector<store::Event>> Attribute(const store::Site& site, const PaymentReport& report,
                                              store::Payment& payment);
  // Writes the revenue rows if `payment` can be settled now, and marks it.
  // `touches`: first pageviews of its sessions the caller has at hand (the
  // others are read). `may_have_event`: a crash may have come between an
  // earlier write and its mark, so any rows of the payment are replaced
  // rather than doubled.
  Status Settle(const store::Site& site, store::Payment& payment, std::vector<store::Event> touches,
                bool may_have_event);
  // The revenue rows of a settled `payment`, every model's.
  Result<std::vector<store::Event>> CreditRows(const store::Site& site, const store::Payment& payment,
                                               std::vector<store::Event> touches);
  // Settles the refunds that waited for `payment`.
  Status SettleRefundsOf(const store::Site& site, const store::Payment& payment, const std::vector<std::string>& names);

  Deps deps_;
  std::mutex mu_;
};

}  // namespace datafast::revenue
