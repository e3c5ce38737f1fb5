#include "revenue/backfill.h"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "core/http_client.h"
#include "core/time_zone.h"
#include "revenue/lemonsqueezy/webhook.h"
#include "revenue/polar/webhook.h"
#include "revenue/shopify/webhook.h"
#include "revenue/stripe/webhook.h"

namespace datafast::revenue {
namespace {

namespace json = boost::json;
using webhook_json::ArrayAt;
using webhook_json::IdAt;
using webhook_json::IntAt;
using webhook_json::ObjectAt;
using webhook_json::StringAt;

constexpr int64_t kDay = 86'400'000'000;

// One page of a list: the reports of its objects, and the cursor of the page
// after it ("" after the last).
struct Page {
  std::vector<PaymentReport> reports;
  std::string next;
};

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

Result<json::object> GetJson(const Provider& provider, const std::string& url,
                             const std::vector<std::string>& headers) {
  auto answer = core::HttpExchange(provider.name, "GET", url, headers);
  if (!answer.ok()) return answer.status();
  auto body = webhook_json::ParseObject(answer->body);
  if (answer->status != 200) {
    return Status::Unavailable(std::string(provider.name) + " answered " + std::to_string(answer->status) + " to " +
                               url.substr(url.find("/", 8)));
  }
  if (!body.ok()) return Status::Unavailable(std::string(provider.name) + " answered something that is not JSON");
  return body;
}

// Adds what `delivery` reports to `page`; a malformed object is skipped, as
// its webhook would have been refused.
void Add(Result<WebhookDelivery> delivery, Page& page) {
  if (!delivery.ok()) return;
  for (PaymentReport& r : delivery->payments) page.reports.push_back(std::move(r));
}

// The cursor's phase ("sessions") and position ("cs_…"), split at ':'.
std::pair<std::string, std::string> Split(const std::string& cursor) {
  size_t colon = cursor.find(':');
  return {cursor.substr(0, colon), colon == std::string::npos ? "" : cursor.substr(colon + 1)};
}

// Stripe: checkout sessions, then paid invoices, then refunded charges,
// newest first, `starting_after` the last id of a page.
Result<Page> StripePage(const Provider& provider, const ProviderUrls& urls, const std::string& key, int64_t since,
                        const std::string& cursor) {
  auto [phase, after] = Split(cursor);
  std::string path = phase == "sessions"   ? "checkout/sessions?"
                     : phase == "invoices" ? "invoices?status=paid&"
                                           : "charges?";
  std::string url = WithoutTrailingSlash(urls.stripe) + "/v1/" + path +
                    "limit=100&created%5Bgte%5D=" + std::to_string(since / 1'000'000) +
                    (after.empty() ? "" : "&starting_after=" + after);
  auto list = GetJson(provider, url, {"Authorization: Bearer " + key});
  if (!list.ok()) return list.status();
  Page page;
  const json::array* data = ArrayAt(*list, "data");
  std::string last;
  for (const json::value& item : data ? *data : json::array()) {
    const json::object* object = item.if_object();
    if (!object) continue;
    last = StringAt(*object, "id");
    std::string type = phase == "sessions"   ? "checkout.session.completed"
                       : phase == "invoices" ? "invoice.paid"
                                             : "charge.refunded";
    if (phase == "charges" && IntAt(*object, "amount_refunded").value_or(0) <= 0) continue;
    std::optional<int64_t> created = IntAt(*object, "created");
    if (const json::object* transitions = ObjectAt(*object, "status_transitions")) {
      if (auto paid_at = IntAt(*transitions, "paid_at")) created = paid_at;
    }
    json::object event{{"id", "backfill:" + last},
                       {"object", "event"},
                       {"type", type},
                       {"created", created.value_or(0)},
                       {"data", json::object{{"object", *object}}}};
    Add(stripe::ParseWebhook(json::serialize(event)), page);
  }
  bool more = data && !data->empty() && list->if_contains("has_more") && list->at("has_more").is_bool() &&
              list->at("has_more").get_bool();
  if (more) {
    page.next = phase + ":" + last;
  } else {
    page.next = phase == "sessions" ? "invoices:" : phase == "invoices" ? "charges:" : "";
  }
  return page;
}

// Lemon Squeezy: orders, then subscription invoices, by page number.
Result<Page> LemonSqueezyPage(const Provider& provider, const ProviderUrls& urls, const std::string& key, int64_t since,
                              const std::string& cursor) {
  auto [phase, number] = Split(cursor);
  std::string url = WithoutTrailingSlash(urls.lemonsqueezy) +
                    (phase == "orders" ? "/v1/orders" : "/v1/subscription-invoices") + "?page%5Bnumber%5D=" + number +
                    "&page%5Bsize%5D=100";
  auto list = GetJson(provider, url, {"Authorization: Bearer " + key, "Accept: application/vnd.api+json"});
  if (!list.ok()) return list.status();
  Page page;
  const json::array* data = ArrayAt(*list, "data");
  for (const json::value& item : data ? *data : json::array()) {
    const json::object* object = item.if_object();
    const json::object* attributes = object ? ObjectAt(*object, "attributes") : nullptr;
    if (!attributes) continue;
    auto created = core::ParseIsoTime(StringAt(*attributes, "created_at"));
    if (!created || *created < since) continue;
    auto wrap = [&](std::string_view event_name) {
      json::object event{{"meta", json::object{{"event_name", event_name}}}, {"data", *object}};
      Add(lemonsqueezy::ParseWebhook(json::serialize(event)), page);
    };
    if (phase == "orders") {
      wrap("order_created");
      if (webhook_json::AmountAt(*attributes, "refunded_amount").value_or(0) > 0) wrap("order_refunded");
    } else if (StringAt(*attributes, "status") == "paid") {
      wrap("subscription_payment_success");
    }
  }
  const json::object* meta = ObjectAt(*list, "meta");
  const json::object* paging = meta ? ObjectAt(*meta, "page") : nullptr;
  int64_t current = paging ? IntAt(*paging, "currentPage").value_or(0) : 0;
  int64_t last_page = paging ? IntAt(*paging, "lastPage").value_or(0) : 0;
  if (current > 0 && current < last_page) {
    page.next = phase + ":" + std::to_string(current + 1);
  } else {
    page.next = phase == "orders" ? "invoices:1" : "";
  }
  return page;
}

// Polar: orders by page number.
Result<Page> PolarPage(const Provider& provider, const ProviderUrls& urls, const std::string& key, int64_t since,
                       const std::string& cursor) {
  std::string url = WithoutTrailingSlash(urls.polar) + "/v1/orders/?page=" + cursor + "&limit=100";
  auto list = GetJson(provider, url, {"Authorization: Bearer " + key, "Accept: application/json"});
  if (!list.ok()) return list.status();
  Page page;
  const json::array* items = ArrayAt(*list, "items");
  for (const json::value& item : items ? *items : json::array()) {
    const json::object* order = item.if_object();
    if (!order) continue;
    std::string_view created_at = StringAt(*order, "created_at");
    auto created = core::ParseIsoTime(created_at);
    std::string_view status = StringAt(*order, "status");
    if (!created || *created < since || status == "pending") continue;
    auto wrap = [&](std::string_view type) {
      json::object event{{"type", type}, {"timestamp", created_at}, {"data", *order}};
      Add(polar::ParseWebhook("backfill:" + std::string(type) + ":" + IdAt(*order, "id"), json::serialize(event)),
          page);
    };
    wrap("order.paid");
    if (webhook_json::AmountAt(*order, "refunded_amount").value_or(0) > 0) wrap("order.refunded");
  }
  const json::object* pagination = ObjectAt(*list, "pagination");
  int64_t max_page = pagination ? IntAt(*pagination, "max_page").value_or(0) : 0;
  int64_t number = std::stoll(cursor);
  page.next = number < max_page ? std::to_string(number + 1) : "";
  return page;
}

// Shopify: orders (with their refunds) by ascending id after `since_id`.
Result<Page> ShopifyPage(const Provider& provider, const ProviderUrls& urls, const Connections::Opened& connection,
                         int64_t since, const std::string& cursor) {
  constexpr size_t kPageSize = 250;
  std::string base = urls.shopify;
  if (size_t at = base.find("{shop}"); at != std::string::npos) base.replace(at, 6, connection.shop);
  std::string url = WithoutTrailingSlash(base) +
                    "/admin/api/2025-01/orders.json?status=any&limit=" + std::to_string(kPageSize) +
                    "&since_id=" + cursor + "&created_at_min=" + core::FormatIsoTime(since);
  auto list = GetJson(provider, url, {"X-Shopify-Access-Token: " + connection.api_key, "Accept: application/json"});
  if (!list.ok()) return list.status();
  Page page;
  const json::array* orders = ArrayAt(*list, "orders");
  std::string last;
  for (const json::value& item : orders ? *orders : json::array()) {
    const json::object* order = item.if_object();
    if (!order) continue;
    last = IdAt(*order, "id");
    std::string_view financial = StringAt(*order, "financial_status");
    if (financial != "paid" && financial != "partially_refunded" && financial != "refunded") continue;
    Add(shopify::ParseWebhook("orders/paid", "backfill:" + last, json::serialize(*order)), page);
    const json::array* refunds = ArrayAt(*order, "refunds");
    for (const json::value& refund : refunds ? *refunds : json::array()) {
      if (!refund.is_object()) continue;
      Add(shopify::ParseWebhook("refunds/create", "backfill:" + IdAt(refund.get_object(), "id"),
                                json::serialize(refund)),
          page);
    }
  }
  page.next = orders && orders->size() == kPageSize ? last : "";
  return page;
}

std::string FirstCursor(const Provider& provider) {
  if (provider.id == "stripe") return "sessions:";
  if (provider.id == "lemonsqueezy") return "orders:1";
  if (provider.id == "polar") return "1";
  return "0";
}

}  // namespace

Result<store::Backfill> Backfills::Start(const store::Site& site, const Provider& provider, int days) {
  if (days < 1 || days > 3650) return Status::InvalidArgument("days: must be a whole number from 1 to 3650");
  auto connection = meta_.FindConnection(site.id, provider.id);
  if (!connection.ok()) return connection.status();
  if (!connection->has_value()) {
    return Status::Conflict("connect " + std::string(provider.name) + " to this website first");
  }
  std::string key = site.id + "/" + std::string(provider.id);
  {
    std::lock_guard lock(mu_);
    if (!running_.insert(key).second) {
      return Status::Conflict("an import of " + std::string(provider.name) + " payments is running already");
    }
  }
  auto existing = meta_.FindBackfill(site.id, provider.id);
  int64_t now = clock_.NowMicros();
  store::Backfill b;
  if (existing.ok() && existing->has_value() && (*existing)->state != "done") {
    b = **existing;  // resume where it stopped
  } else {
    b = store::Backfill{site.id, std::string(provider.id), now - days * kDay, "", FirstCursor(provider), 0, 0, "", now,
                        now};
  }
  b.state = "running";
  b.error.clear();
  Status saved = existing.ok() ? meta_.PutBackfill(b) : existing.status();
  if (!saved.ok()) {
    Release(site.id, provider);
    return saved;
  }
  return b;
}

void Backfills::Release(std::string_view site_id, const Provider& provider) {
  std::lock_guard lock(mu_);
  running_.erase(std::string(site_id) + "/" + std::string(provider.id));
}

Status Backfills::ResumeInterrupted(boost::asio::thread_pool& pool) {
  auto interrupted = meta_.ListBackfills("running");
  if (!interrupted.ok()) return interrupted.status();
  for (const store::Backfill& b : *interrupted) {
    const Provider* provider = FindProvider(b.provider);
    auto site = meta_.FindSite(b.site_id);
    if (!provider || !site.ok() || !site->has_value()) continue;
    auto started = Start(**site, *provider, 1);  // resumes `b`, whose span is kept
    if (!started.ok()) continue;
    boost::asio::post(pool, [this, site = **site, provider, started = *started] {
      (void)Continue(site, *provider, started, [](const store::Backfill&) {});
    });
  }
  return Status::Ok();
}

bool Backfills::Running(std::string_view site_id, const Provider& provider) {
  std::lock_guard lock(mu_);
  return running_.contains(std::string(site_id) + "/" + std::string(provider.id));
}

Result<store::Backfill> Backfills::Run(const store::Site& site, const Provider& provider, int days,
                                       const Progress& progress) {
  auto started = Start(site, provider, days);
  if (!started.ok()) return started.status();
  return Continue(site, provider, std::move(*started), progress);
}

Result<store::Backfill> Backfills::Continue(const store::Site& site, const Provider& provider, store::Backfill b,
                                            const Progress& progress) {
  auto result = Pages(site, provider, std::move(b), progress);
  Release(site.id, provider);
  return result;
}

Result<store::Backfill> Backfills::Pages(const store::Site& site, const Provider& provider, store::Backfill b,
                                         const Progress& progress) {
  progress(b);
  auto connection = connections_.Open(site.id, provider);
  Status failure = connection.status();
  if (connection.ok() && !connection->has_value()) failure = Status::Conflict("the connection was removed");
  const ProviderUrls& urls = connections_.urls();
  while (failure.ok()) {
    const Connections::Opened& opened = **connection;
    Result<Page> page = provider.id == "stripe" ? StripePage(provider, urls, opened.api_key, b.since_micros, b.cursor)
                        : provider.id == "lemonsqueezy"
                            ? LemonSqueezyPage(provider, urls, opened.api_key, b.since_micros, b.cursor)
                        : provider.id == "polar" ? PolarPage(provider, urls, opened.api_key, b.since_micros, b.cursor)
                                                 : ShopifyPage(provider, urls, opened, b.since_micros, b.cursor);
    failure = page.status();
    if (page.ok()) {
      for (const PaymentReport& report : page->reports) {
        auto recorded = recorder_.Record(site, report);
        // A report the recorder refuses is skipped, as its webhook would be.
        if (!recorded.ok() && recorded.status().code() != StatusCode::kInvalidArgument) {
          failure = recorded.status();
          break;
        }
        ++b.payments;
      }
    }
    if (!failure.ok()) break;
    ++b.pages;
    b.cursor = page->next;
    b.updated_at_micros = clock_.NowMicros();
    if (b.cursor.empty()) b.state = "done";
    DF_RETURN_IF_ERROR(meta_.PutBackfill(b));
    progress(b);
    if (b.state == "done") return b;
  }
  b.state = "failed";
  b.error = failure.message();
  b.updated_at_micros = clock_.NowMicros();
  DF_RETURN_IF_ERROR(meta_.PutBackfill(b));
  progress(b);
  return b;
}

}  // namespace datafast::revenue
