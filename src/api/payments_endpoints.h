// The v1 payments and identity API for sites whose payments come from
// elsewhere than a connected provider (../shared/API-COMPAT.md,
// docs/api.md): POST and DELETE /api/v1/payments, POST /api/v1/identify.
#pragma once

#include "api/v1_endpoints.h"
#include "revenue/payment_recorder.h"

namespace datafast::api {

void AddPaymentsEndpoints(http::Router& router, const V1Deps& deps, revenue::PaymentRecorder& recorder);

}  // namespace datafast::api
