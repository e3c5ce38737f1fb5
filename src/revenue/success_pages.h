// Payments that success pages report: the tracker's payment events, from a
// page opened with Stripe's `?session_id=` or Lemon Squeezy's `?order_id=`.
// The page knows the visitor but not the amount, so the payment is fetched
// from the provider with the site's connection and recorded with the page's
// visitor, under the same transaction id a webhook gives it: reported twice,
// it is one payment. Sites without a connection to that provider are left
// alone; the event itself is stored either way. Lookups run on a pool, off
// the ingestion path; failures are logged. Thread-safe.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include "revenue/connections.h"
#include "revenue/payment_recorder.h"
#include "store/event.h"
#include "store/meta_store.h"

namespace datafast::revenue {

class SuccessPages {
 public:
  SuccessPages(store::MetaStore& meta, Connections& connections, PaymentRecorder& recorder,
               boost::asio::thread_pool& pool)
      : meta_(meta), connections_(connections), recorder_(recorder), pool_(pool) {}

  // Queues the lookup of the payment of `event` (a stored kPayment event).
  void Report(const store::Event& event);

  // The lookup itself, synchronously.
  Status Resolve(const store::Event& event);

 private:
  store::MetaStore& meta_;
  Connections& connections_;
  PaymentRecorder& recorder_;
  boost::asio::thread_pool& pool_;
};

}  // namespace datafast::revenue
