#include "store/report_dimensions.h"

namespace datafast::store {

using query::Dimension;

DimensionSql SqlOf(Dimension d) {
  auto column = [](const char* name) { return DimensionSql{DimensionKind::kSessionAttribute, name, name}; };
  constexpr const char* kReferrer = "CASE WHEN source <> '' THEN source ELSE referrer_domain END";
  switch (d) {
    case Dimension::kChannel:
      return column("channel");
    case Dimension::kReferrer:
      return {DimensionKind::kSessionAttribute, kReferrer, kReferrer};
    case Dimension::kReferrerDomain:
      return column("referrer_domain");
    case Dimension::kUtmSource:
      return column("utm_source");
    case Dimension::kUtmMedium:
      return column("utm_medium");
    case Dimension::kUtmCampaign:
      return column("utm_campaign");
    case Dimension::kUtmTerm:
      return column("utm_term");
    case Dimension::kUtmContent:
      return column("utm_content");
    case Dimension::kRef:
      return column("ref_param");
    case Dimension::kSource:
      return column("source_param");
    case Dimension::kVia:
      return column("via_param");
    case Dimension::kEntryPage:
      return {DimensionKind::kSessionAttribute, "entry_page", "pathname"};
    case Dimension::kCountry:
      return column("country");
    case Dimension::kRegion:
      return column("region");
    case Dimension::kCity:
      return column("city");
    case Dimension::kBrowser:
      return column("browser");
    case Dimension::kOs:
      return column("os");
    case Dimension::kDevice:
      return column("device");
    case Dimension::kPage:
      return {DimensionKind::kPageEvent, "", "pathname"};
    case Dimension::kHostname:
      return {DimensionKind::kPageEvent, "", "hostname"};
    case Dimension::kExitPage:
      return {DimensionKind::kExitPage, "exit_page", ""};
    case Dimension::kGoal:
      return {DimensionKind::kGoal, "", "goal_name"};
  }
  return column("channel");
}

bool HidesEmptyValue(Dimension d) {
  switch (d) {
    case Dimension::kUtmSource:
    case Dimension::kUtmMedium:
    case Dimension::kUtmCampaign:
    case Dimension::kUtmTerm:
    case Dimension::kUtmContent:
    case Dimension::kRef:
    case Dimension::kSource:
    case Dimension::kVia:
    case Dimension::kGoal:
      return true;
    default:
      return false;
  }
}

Detail DetailOf(Dimension d) {
  if (d == Dimension::kRegion || d == Dimension::kCity) return Detail::kCountryKey;
  if (d == Dimension::kReferrer) return Detail::kReferrerDomain;
  return Detail::kNone;
}

}  // namespace datafast::store
