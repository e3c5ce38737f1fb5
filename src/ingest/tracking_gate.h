// Whether an account's tracking is paused: over its plan's monthly events
// with "pause" chosen by its owner. The pipeline asks for every event, so an
// implementation answers from memory. Thread-safe.
#pragma once

#include <string_view>

namespace datafast::ingest {

class TrackingGate {
 public:
  virtual ~TrackingGate() = default;
  virtual bool Paused(std::string_view account_id) const = 0;
};

}  // namespace datafast::ingest
