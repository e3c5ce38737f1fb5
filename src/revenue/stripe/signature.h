// Stripe's webhook signature scheme (docs.stripe.com/webhooks#verify-manually):
// the Stripe-Signature header is "t=UNIX,v1=HEX[,v1=HEX…][,v0=…]"; each v1 is
// the lowercase hex HMAC-SHA256 of "{t}.{raw body}" keyed with the endpoint's
// whole signing secret ("whsec_…"). Any matching v1 passes; a timestamp more
// than `tolerance` from now is refused, so a captured delivery cannot be
// replayed later. Comparisons take constant time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace datafast::revenue::stripe {

inline constexpr int64_t kDefaultToleranceSeconds = 300;

// kUnauthenticated, naming what is wrong, unless `header` signs `body`.
Status VerifySignature(std::string_view header, std::string_view body, std::string_view secret, int64_t now_seconds,
                       int64_t tolerance_seconds = kDefaultToleranceSeconds);

// The header Stripe would send for `body` at `timestamp`: for tests and for
// replaying a stored delivery.
std::string SignatureHeader(std::string_view body, std::string_view secret, int64_t timestamp);

}  // namespace datafast::revenue::stripe
