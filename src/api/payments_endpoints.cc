#include "api/payments_endpoints.h"

#include <boost/json.hpp>

#include "core/time_zone.h"
#include "http/json_body.h"
#include "revenue/money.h"

namespace datafast::api {
namespace {

namespace beast_http = http::beast_http;
namespace json = boost::json;

constexpr size_t kMaxTextLength = 255;

// The first of `names` present in `body` as a string of at most 255
// characters; "" when none is.
Result<std::string> TextField(const json::object& body, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    auto value = http::OptionalStringField(body, name);
    if (!value.ok()) return value.status();
    if (!value->has_value()) continue;
    if ((*value)->size() > kMaxTextLength) {
      return Status::InvalidArgument(std::string(name) + ": must be at most 255 characters");
    }
    return **value;
  }
  return std::string();
}

Result<bool> BoolField(const json::object& body, std::string_view name) {
  const json::value* v = body.if_contains(name);
  if (!v || v->is_null()) return false;
  if (!v->is_bool()) return Status::InvalidArgument(std::string(name) + ": must be true or false");
  return v->get_bool();
}

// `amount` in major units, as a JSON number or decimal text, in minor units.
Result<int64_t> AmountField(const json::object& body, const std::string& currency) {
  const json::value* v = body.if_contains("amount");
  if (!v || v->is_null()) return Status::InvalidArgument("amount: is required");
  Result<int64_t> minor = Status::InvalidArgument("amount: must be a number");
  if (v->is_string()) minor = revenue::MajorToMinor(std::string_view(v->get_string()), currency);
  if (v->is_int64()) minor = revenue::MajorToMinor(static_cast<double>(v->get_int64()), currency);
  if (v->is_uint64()) minor = revenue::MajorToMinor(static_cast<double>(v->get_uint64()), currency);
  if (v->is_double()) minor = revenue::MajorToMinor(v->get_double(), currency);
  if (!minor.ok()) return Status::InvalidArgument("amount: " + minor.status().message());
  return minor;
}

// `timestamp` as ISO 8601 text or Unix seconds (or milliseconds); 0 when
// absent, which means now.
Result<int64_t> TimestampField(const json::object& body) {
  const json::value* v = body.if_contains("timestamp");
  if (!v || v->is_null()) return int64_t{0};
  if (v->is_string()) {
    if (auto micros = core::ParseIsoTime(v->get_string())) return *micros;
  } else if (v->is_int64() && v->get_int64() > 0) {
    int64_t n = v->get_int64();
    return n < 100'000'000'000 ? n * 1'000'000 : n * 1'000;  // seconds, else milliseconds
  }
  return Status::InvalidArgument("timestamp: must be ISO 8601 (2026-11-26T10:00:00Z) or Unix seconds");
}

Result<json::value> CreatePayment(revenue::PaymentRecorder& recorder, const store::Site& site,
                                  const http::Request& request) {
  auto body = http::ParseJsonObject(request);
  if (!body.ok()) return body.status();
  auto transaction_id = TextField(*body, {"transaction_id"});
  if (!transaction_id.ok()) return transaction_id.status();
  if (transaction_id->empty()) return Status::InvalidArgument("transaction_id: is required");
  auto currency = TextField(*body, {"currency"});
  if (!currency.ok()) return currency.status();
  if (currency->empty()) return Status::InvalidArgument("currency: is required");
  if (auto exponent = revenue::CurrencyExponent(*currency); !exponent.ok()) {
    return Status::InvalidArgument("currency: " + exponent.status().message());
  }
  auto amount = AmountField(*body, *currency);
  if (!amount.ok()) return amount.status();
  auto visitor = TextField(*body, {"datafast_visitor_id"});
  auto email = TextField(*body, {"email", "customer_email"});
  auto name = TextField(*body, {"name", "customer_name"});
  auto customer = TextField(*body, {"customer_id"});
  auto renewal = BoolField(*body, "renewal");
  auto refunded = BoolField(*body, "refunded");
  auto free_trial = BoolField(*body, "is_free_trial");
  auto timestamp = TimestampField(*body);
  for (const Status& s : {visitor.status(), email.status(), name.status(), customer.status(), renewal.status(),
                          refunded.status(), free_trial.status(), timestamp.status()}) {
    if (!s.ok()) return s;
  }

  revenue::PaymentReport report;
  report.provider = "api";
  report.transaction_id = *transaction_id;
  report.amount_minor = *amount;
  report.currency = revenue::NormalizeCurrency(*currency);
  report.ts_micros = *timestamp;
  report.visitor_id = *visitor;
  report.email = *email;
  report.customer_name = *name;
  report.customer_id = *customer;
  report.kind = *renewal                        ? revenue::PaymentKind::kRenewal
                : (*free_trial || *amount == 0) ? revenue::PaymentKind::kFreeTrial
                                                : revenue::PaymentKind::kPurchase;
  auto recorded = recorder.Record(site, report);
  if (!recorded.ok()) return recorded.status();
  bool duplicate = recorded->duplicate;
  if (*refunded) {
    // The payment, recorded above if it was not yet, is refunded whole.
    revenue::PaymentReport refund = report;
    refund.kind = revenue::PaymentKind::kRefund;
    refund.transaction_id = *transaction_id + ":refund";
    refund.refunded_transaction_id = *transaction_id;
    auto refund_recorded = recorder.Record(site, refund);
    if (!refund_recorded.ok()) return refund_recorded.status();
    duplicate = refund_recorded->duplicate;
  }
  std::string message = duplicate   ? "Payment already recorded: transaction_id is a duplicate"
                        : *refunded ? "Refund recorded"
                                    : "Payment recorded";
  return json::value(json::object{{"message", message}, {"transaction_id", *transaction_id}});
}

Result<json::value> DeletePayments(revenue::PaymentRecorder& recorder, store::MetaStore& meta, const store::Site& site,
                                   const http::Request& request) {
  auto params = http::ParseQueryParams(request.target());
  std::string transaction_id(http::ParamValue(params, "transaction_id"));
  if (transaction_id.empty()) transaction_id = http::ParamValue(params, "tx_id");
  std::string visitor(http::ParamValue(params, "datafast_visitor_id"));
  std::string_view start_at = http::ParamValue(params, "startAt"), end_at = http::ParamValue(params, "endAt");
  std::vector<store::Payment> doomed;
  if (!transaction_id.empty()) {
    auto all = meta.ListPayments({.site_id = site.id});
    if (!all.ok()) return all.status();
    for (store::Payment& p : *all) {
      // The payment, and the refunds booked against it.
      if (p.transaction_id == transaction_id || p.refunds_transaction_id == transaction_id) {
        doomed.push_back(std::move(p));
      }
    }
    if (doomed.empty()) return Status::NotFound("no payment with transaction_id " + transaction_id);
  } else {
    if (visitor.empty() && (start_at.empty() || end_at.empty())) {
      return Status::InvalidArgument("name what to delete: transaction_id, datafast_visitor_id, or startAt and endAt");
    }
    store::PaymentQuery query{.site_id = site.id, .visitor_id = visitor};
    if (!start_at.empty() || !end_at.empty()) {
      auto from = core::ParseIsoTime(start_at), to = core::ParseIsoTime(end_at);
      if (!from || !to || *from >= *to) {
        return Status::InvalidArgument("startAt and endAt: must both be ISO 8601 times, startAt before endAt");
      }
      query.from_micros = *from;
      query.to_micros = *to;
    }
    auto matched = meta.ListPayments(query);
    if (!matched.ok()) return matched.status();
    doomed = std::move(*matched);
  }
  DF_RETURN_IF_ERROR(recorder.Delete(site, doomed));
  json::array ids;
  for (const store::Payment& p : doomed) ids.push_back(json::string(p.transaction_id));
  return json::value(json::object{{"message", std::to_string(doomed.size()) + " payment records deleted"},
                                  {"deleted", doomed.size()},
                                  {"transaction_ids", std::move(ids)}});
}

Result<json::value> Identify(revenue::PaymentRecorder& recorder, store::MetaStore& meta, const store::Site& site,
                             const http::Request& request, int64_t now_micros) {
  auto body = http::ParseJsonObject(request);
  if (!body.ok()) return body.status();
  auto user_id = TextField(*body, {"user_id"});
  if (!user_id.ok()) return user_id.status();
  if (user_id->empty()) return Status::InvalidArgument("user_id: is required");
  auto visitor = TextField(*body, {"datafast_visitor_id"});
  if (!visitor.ok()) return visitor.status();
  if (visitor->empty()) return Status::InvalidArgument("datafast_visitor_id: is required");
  auto email = TextField(*body, {"email"});
  if (!email.ok()) return email.status();
  DF_RETURN_IF_ERROR(meta.Identify(site.id, *user_id, recorder.EmailHash(*email), *visitor, now_micros));
  return json::value(json::object{{"message", "Visitor identified"}, {"user_id", *user_id}});
}

}  // namespace

void AddPaymentsEndpoints(http::Router& router, const V1Deps& deps, revenue::PaymentRecorder& recorder) {
  AddV1Route(
      router, deps, beast_http::verb::post, "/api/v1/payments", "payments:write",
      [&recorder](http::RequestContext& ctx, const auth::ApiCaller& caller) {
        return CreatePayment(recorder, caller.site, ctx.request);
      },
      V1Body::kPlain);
  AddV1Route(router, deps, beast_http::verb::delete_, "/api/v1/payments", "payments:write",
             [&recorder, deps](http::RequestContext& ctx, const auth::ApiCaller& caller) {
               return DeletePayments(recorder, *deps.meta, caller.site, ctx.request);
             });
  AddV1Route(router, deps, beast_http::verb::post, "/api/v1/identify", "identify:write",
             [&recorder, deps](http::RequestContext& ctx, const auth::ApiCaller& caller) {
               return Identify(recorder, *deps.meta, caller.site, ctx.request, deps.clock->NowMicros());
             });
}

}  // namespace datafast::api
