// Wording shared by the planner's reasons and the plan report; inline so
// renderers need no link dependency on the planner.
#pragma once

#include "core/i18n.h"

namespace suanli {

// FormatMoney (language-aware) lives in core/i18n.h.

}  // namespace suanli
