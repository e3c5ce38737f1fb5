// The payment providers' webhook URLs, POST /webhooks/PROVIDER/SITE_ID: the
// signature is checked on the raw body first (400 and nothing stored when
// it fails), each delivery is handled once (by the provider's delivery id;
// a payment is in any case recorded once per transaction), event types that
// are not payments are acknowledged and ignored, and every delivery, good or
// bad, is noted on the connection for the settings screen. A failure of our
// own stores answers 503, so the provider delivers again later.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include "core/clock.h"
#include "http/router.h"
#include "revenue/connections.h"
#include "revenue/payment_recorder.h"
#include "store/meta_store.h"

namespace datafast::revenue {

struct WebhookEndpointDeps {
  store::MetaStore* meta;
  Connections* connections;
  PaymentRecorder* recorder;
  const core::Clock* clock;
  boost::asio::thread_pool* pool;  // deliveries wait on the stores
};

void AddWebhookEndpoint(http::Router& router, WebhookEndpointDeps deps);

}  // namespace datafast::revenue
