// The stored event: one pageview, goal, outbound click or payment signal,
// already enriched by the ingestion pipeline. Every text field uses the empty
// string for "absent", so every backend stores it the same way.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace datafast::store {

// kPayment is the tracker's sign of a checkout success page; kRevenue is
// money received (or refunded), written by the payment integrations with the
// attribution of the visit that earned it.
enum class EventType { kPageview, kGoal, kOutbound, kPayment, kRevenue };
// "pageview", "goal", "outbound", "payment", "revenue"
std::string_view ToString(EventType type);
std::optional<EventType> ParseEventType(std::string_view s);

// How a payment's revenue is shared among the visits that led to it
// (revenue/payment_recorder.h): each model has kRevenue rows of its own, and
// a report counts the rows of the model it asks for.
enum class AttributionModel { kLastTouch, kFirstTouch, kLinear };
// "last", "first", "linear": the value of Event::attribution
std::string_view ToString(AttributionModel model);
std::optional<AttributionModel> ParseAttributionModel(std::string_view s);

struct Event {
  std::string event_id;   // UUID, assigned at ingestion
  std::string site_id;    // dfid_…
  int64_t ts_micros = 0;  // UTC
  EventType type = EventType::kPageview;
  std::string visitor_id;
  std::string session_id;

  // Page
  std::string hostname;
  std::string pathname;

  // Where the visit came from
  std::string referrer;         // referrer URL without query or fragment
  std::string referrer_domain;  // host without "www."
  std::string source;           // normalised name: "Google", "X", …
  std::string channel;          // direct, organic_search, social, email, paid, referral
  std::string utm_source, utm_medium, utm_campaign, utm_term, utm_content;
  std::string ref_param, source_param, via_param;  // ?ref= ?source= ?via=
  std::string click_id;  // which ad click id the URL carried (gclid, twclid, …), not its value

  // What happened
  std::string goal_name;
  std::string goal_params;  // JSON object text, "" when none
  std::string outbound_url;
  std::string payment_provider;  // stripe, lemonsqueezy, polar
  std::string payment_id;        // checkout session / order id seen on a success page

  // Who, roughly
  std::string country, region, city;
  std::string browser, browser_version, os, os_version, device;
  int32_t screen_width = 0;
  std::string language;

  // kRevenue only: the amount in millionths of the site's currency (exact
  // for every currency's minor unit); negative for a refund.
  int64_t revenue_micros = 0;
  // kRevenue only: the attribution model this row credits (ToString of an
  // AttributionModel), and how much of its payment it credits, in
  // millionths: 1,000,000 but where the linear model splits a payment.
  std::string attribution;
  int64_t credit_micros = 0;

  bool operator==(const Event&) const = default;
};

// The descriptive text fields of Event, between `type` and `screen_width`,
// in storage order: the one list every backend and encoder walks.
inline constexpr std::array<std::string Event::*, 30> kEventTextFields = {
    &Event::visitor_id,       &Event::session_id,      &Event::hostname,    &Event::pathname,    &Event::referrer,
    &Event::referrer_domain,  &Event::source,          &Event::channel,     &Event::utm_source,  &Event::utm_medium,
    &Event::utm_campaign,     &Event::utm_term,        &Event::utm_content, &Event::ref_param,   &Event::source_param,
    &Event::via_param,        &Event::click_id,        &Event::goal_name,   &Event::goal_params, &Event::outbound_url,
    &Event::payment_provider, &Event::payment_id,      &Event::country,     &Event::region,      &Event::city,
    &Event::browser,          &Event::browser_version, &Event::os,          &Event::os_version,  &Event::device};

// Their names, as storage columns and in JSON (store/event_json.h).
inline constexpr std::array<std::string_view, kEventTextFields.size()> kEventTextFieldNames = {
    "visitor_id",  "session_id",   "hostname",         "pathname",   "referrer",     "referrer_domain",
    "source",      "channel",      "utm_source",       "utm_medium", "utm_campaign", "utm_term",
    "utm_content", "ref_param",    "source_param",     "via_param",  "click_id",     "goal_name",
    "goal_params", "outbound_url", "payment_provider", "payment_id", "country",      "region",
    "city",        "browser",      "browser_version",  "os",         "os_version",   "device"};

}  // namespace datafast::store
