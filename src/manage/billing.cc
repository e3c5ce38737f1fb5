#include "manage/billing.h"

#include <boost/json/parse.hpp>

#include "core/log.h"
#include "revenue/stripe/signature.h"

namespace datafast::manage {
namespace {

namespace json = boost::json;

std::string StringAt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::object* ObjectAt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

}  // namespace

Billing::Billing(store::MetaStore& meta, const Plans& plans, const core::Clock& clock, BillingOptions options)
    : meta_(meta),
      plans_(plans),
      clock_(clock),
      options_(std::move(options)),
      client_(options_.api_url, options_.secret_key) {}

Result<std::string> Billing::CheckoutUrl(const store::Account& account, std::string_view customer_email,
                                         std::string_view plan_id) {
  if (!enabled()) return Status::NotFound("billing is not configured on this DataFast");
  const Plan* plan = nullptr;
  for (const Plan& p : plans_.all()) {
    if (p.id == plan_id && !p.stripe_price.empty()) plan = &p;
  }
  if (!plan) return Status::InvalidArgument("plan: " + std::string(plan_id) + " cannot be bought here");
  std::vector<std::pair<std::string, std::string>> form = {
      {"mode", "subscription"},
      {"line_items[0][price]", plan->stripe_price},
      {"line_items[0][quantity]", "1"},
      {"client_reference_id", account.id},
      {"metadata[account_id]", account.id},
      {"metadata[plan]", plan->id},
      {"subscription_data[metadata][account_id]", account.id},
      {"success_url", options_.public_url + "/usage?checkout=success"},
      {"cancel_url", options_.public_url + "/usage?checkout=cancelled"},
  };
  if (!account.billing_customer_id.empty()) {
    form.emplace_back("customer", account.billing_customer_id);
  } else {
    form.emplace_back("customer_email", std::string(customer_email));
  }
  auto session = client_.Post("checkout/sessions", form);
  if (!session.ok()) return session.status();
  std::string url = StringAt(*session, "url");
  if (url.empty()) return Status::Unavailable("Stripe answered a Checkout session without a url");
  return url;
}

Result<std::string> Billing::PortalUrl(const store::Account& account) {
  if (!enabled()) return Status::NotFound("billing is not configured on this DataFast");
  if (account.billing_customer_id.empty()) {
    return Status::InvalidArgument("this account has no subscription yet: upgrade first");
  }
  auto session = client_.Post("billing_portal/sessions", {{"customer", account.billing_customer_id},
                                                          {"return_url", options_.public_url + "/usage"}});
  if (!session.ok()) return session.status();
  std::string url = StringAt(*session, "url");
  if (url.empty()) return Status::Unavailable("Stripe answered a portal session without a url");
  return url;
}

Status Billing::ApplySubscription(const json::object& subscription, bool deleted) {
  auto account = meta_.FindAccountByBillingCustomer(StringAt(subscription, "customer"));
  if (!account.ok()) return account.status();
  if (!*account) return Status::Ok();  // not ours (another product on the same Stripe account)
  std::string status = StringAt(subscription, "status");
  bool live = !deleted && (status == "active" || status == "trialing" || status == "past_due");
  const Plan* plan = nullptr;
  if (live) {
    const json::object* items = ObjectAt(subscription, "items");
    const json::value* data = items ? items->if_contains("data") : nullptr;
    if (data && data->is_array() && !data->get_array().empty() && data->get_array()[0].is_object()) {
      const json::object* price = ObjectAt(data->get_array()[0].get_object(), "price");
      if (price) plan = plans_.FindByStripePrice(StringAt(*price, "id"));
    }
  }
  store::Account updated = **account;
  updated.plan = plan ? plan->id : plans_.default_plan().id;
  core::LogInfo("billing changed the plan", {{"account", updated.id}, {"plan", updated.plan}});
  return meta_.UpdateAccount(updated);
}

Result<std::string> Billing::HandleWebhook(std::string_view signature_header, std::string_view body) {
  if (!enabled() || options_.webhook_secret.empty()) return Status::NotFound("billing is not configured");
  DF_RETURN_IF_ERROR(revenue::stripe::VerifySignature(signature_header, body, options_.webhook_secret,
                                                      clock_.NowMicros() / 1'000'000));
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) return Status::InvalidArgument("the body is not a Stripe event");
  const json::object& event = parsed.get_object();
  std::string id = StringAt(event, "id");
  std::string type = StringAt(event, "type");
  const json::object* data = ObjectAt(event, "data");
  const json::object* object = data ? ObjectAt(*data, "object") : nullptr;
  if (id.empty() || type.empty() || !object) return Status::InvalidArgument("the body is not a Stripe event");
  auto seen = meta_.HasWebhookDelivery("stripe-billing", id);
  if (!seen.ok()) return seen.status();
  if (*seen) return std::string("duplicate");

  std::string outcome = "applied";
  if (type == "checkout.session.completed") {
    std::string account_id = StringAt(*object, "client_reference_id");
    auto account = meta_.FindAccount(account_id);
    if (!account.ok()) return account.status();
    if (!*account) {
      outcome = "ignored";  // a checkout of something else
    } else {
      store::Account updated = **account;
      updated.billing_customer_id = StringAt(*object, "customer");
      const json::object* metadata = ObjectAt(*object, "metadata");
      std::string plan = metadata ? StringAt(*metadata, "plan") : "";
      if (!plan.empty() && plans_.Find(plan).id == plan) updated.plan = plan;
      DF_RETURN_IF_ERROR(meta_.UpdateAccount(updated));
    }
  } else if (type == "customer.subscription.updated" || type == "customer.subscription.created") {
    DF_RETURN_IF_ERROR(ApplySubscription(*object, false));
  } else if (type == "customer.subscription.deleted") {
    DF_RETURN_IF_ERROR(ApplySubscription(*object, true));
  } else {
    outcome = "ignored";
  }
  // Recorded after it is applied: a failure above leaves Stripe to retry.
  DF_RETURN_IF_ERROR(meta_.RecordWebhookDelivery("stripe-billing", id, clock_.NowMicros()));
  return outcome;
}

}  // namespace datafast::manage
