// JSON text for people and clients: Boost.JSON writes every double in
// exponent form ("1.15E0"); this writes the shortest decimal that reads
// back to the same double ("1.15", "12"). Thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace datafast::core {

std::string WriteJson(const boost::json::value& value);

}  // namespace datafast::core
