#include "core/json_text.h"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>

namespace datafast::core {
namespace {

void Write(const boost::json::value& value, std::string& out) {
  switch (value.kind()) {
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.get_object()) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(boost::json::string_view(key));
        out += ':';
        Write(item, out);
      }
      out += '}';
      return;
    }
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.get_array()) {
        if (!first) out += ',';
        first = false;
        Write(item, out);
      }
      out += ']';
      return;
    }
    case boost::json::kind::double_: {
      double d = value.get_double();
      if (!std::isfinite(d)) {  // JSON has no NaN or infinity
        out += "null";
        return;
      }
      char buffer[32];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
      out.append(buffer, ec == std::errc() ? end : buffer);
      return;
    }
    default:
      out += boost::json::serialize(value);
  }
}

}  // namespace

std::string WriteJson(const boost::json::value& value) {
  std::string out;
  Write(value, out);
  return out;
}

}  // namespace datafast::core
