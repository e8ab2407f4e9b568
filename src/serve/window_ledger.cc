// Sliding-window sums of the simulator's decode sequences (window_ledger.h).
#include "serve/window_ledger.h"

#include <algorithm>
#include <cmath>

namespace suanli {

WindowLedger::WindowLedger(const KvWindow& window, bool frees_kv, double tokens_per_step)
    : window_(window), frees_kv_(frees_kv && window.Active()), tau_(std::max(1.0, tokens_per_step)) {
  if (window_.Active() && window_.layers > 0) {
    keys_full_ = (window_.layers - window_.window_layers) / window_.layers;
    held_full_ = frees_kv_ ? keys_full_ : 1.0;
  }
}

bool WindowLedger::Join(double context, long long step, int epoch, int index) {
  if (!window_.Active() || context >= window_.window) return false;
  ++below_;
  // The first step whose context context + tau·(k − step) reaches the window.
  const double steps = std::ceil((window_.window - context) / tau_ - 1e-9);
  due_.push({step + static_cast<long long>(std::max(1.0, steps)), epoch, index});
  return true;
}

bool WindowLedger::NextDue(long long step, Crossing& out) {
  if (due_.empty() || due_.top().step > step) return false;
  out = due_.top();
  due_.pop();
  return true;
}

std::pair<double, double> WindowLedger::Cross(double context) {
  --below_;
  // Below the window a step adds tau in every layer; past it, only the full
  // layers grow: take back the sliding layers' share of the excess.
  const double over = std::max(0.0, context - window_.window);
  return {(1.0 - keys_full_) * over, (1.0 - held_full_) * over};
}

}  // namespace suanli
