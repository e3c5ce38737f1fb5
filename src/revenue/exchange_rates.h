// Exchange rates as operators load them (`datafast rates import FILE`): a
// CSV file with the header "date,currency,per_usd" and one rate a line, the
// units of the currency one US dollar bought on that date, e.g.
//   date,currency,per_usd
//   2026-11-25,EUR,0.9512
// ECB reference rates (published against the euro) convert by dividing each
// rate by that day's USD rate. No rate is ever fetched at run time.
#pragma once

#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/meta_store.h"

namespace datafast::revenue {

// Every rate of `csv`; kInvalidArgument naming the first bad line, and no
// rates then.
Result<std::vector<store::ExchangeRate>> ParseExchangeRates(std::string_view csv);

}  // namespace datafast::revenue
