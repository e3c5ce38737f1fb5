// Imports a site's past payments through its provider's list API, page by
// page: Stripe's checkout sessions, paid invoices and refunded charges; Lemon
// Squeezy's orders and subscription invoices; Polar's orders; Shopify's
// orders and their refunds. Each object becomes the report its webhook event
// would have made, so the recorder keeps one payment per transaction however
// the backfill and the webhooks overlap. Progress is saved after every page
// (store::Backfill): an interrupted import resumes where it stopped.
//
// Past payments come without the visitor id at checkout unless the provider
// kept the metadata (Stripe and Polar do); the others are credited by
// customer or email where an identified visitor or a later payment allows,
// else counted unattributed.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <mutex>
#include <set>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "revenue/connections.h"
#include "revenue/payment_recorder.h"
#include "store/meta_store.h"

namespace datafast::revenue {

class Backfills {
 public:
  Backfills(store::MetaStore& meta, Connections& connections, PaymentRecorder& recorder, const core::Clock& clock)
      : meta_(meta), connections_(connections), recorder_(recorder), clock_(clock) {}

  using Progress = std::function<void(const store::Backfill&)>;

  // Claims the import of the site's payments from `provider` and saves it as
  // running: a new one of the last `days` days (1 to 3650), or the one that
  // did not finish. kConflict without a connection, or while an import of
  // the same site and provider runs in this process. Quick.
  Result<store::Backfill> Start(const store::Site& site, const Provider& provider, int days);
  // Imports what `started` has left, page after page, calling `progress`
  // after each, until done or failed (a provider's refusal: resumable), then
  // releases the claim. Blocks for as long as the provider takes.
  Result<store::Backfill> Continue(const store::Site& site, const Provider& provider, store::Backfill started,
                                   const Progress& progress);
  // Start, then Continue.
  Result<store::Backfill> Run(const store::Site& site, const Provider& provider, int days, const Progress& progress);

  // Goes on with every import a stopped process left running, on `pool`:
  // called once at start.
  Status ResumeInterrupted(boost::asio::thread_pool& pool);

  // Whether an import of the site and provider runs in this process.
  bool Running(std::string_view site_id, const Provider& provider);

 private:
  Result<store::Backfill> Pages(const store::Site& site, const Provider& provider, store::Backfill b,
                                const Progress& progress);
  void Release(std::string_view site_id, const Provider& provider);

  std::mutex mu_;
  std::set<std::string> running_;  // site/provider
  store::MetaStore& meta_;
  Connections& connections_;
  PaymentRecorder& recorder_;
  const core::Clock& clock_;
};

}  // namespace datafast::revenue
