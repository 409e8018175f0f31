#pragma once

#include "ApiRequest.h"
#include "core/DomainError.h"

#include <functional>

namespace authrealm {

// The one error boundary: the only place that turns a failure into an HTTP
// status and the {"error","message"} body. Handlers throw; this catches.
[[nodiscard]] ApiResponse errorResponse(const DomainError &error);
[[nodiscard]] ApiResponse runGuarded(const std::function<ApiResponse()> &handler, const ApiRequest &request);

} // namespace authrealm
