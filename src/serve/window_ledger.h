// The sliding-window bookkeeping of one engine's decode sequences. They
// advance in lock step, so the engine keeps sums (attended keys, KV slots
// held); a sequence in a sliding layer grows until its context reaches the
// window and stays there, so the sums also need the count still below the
// window and, per sequence, the step at which it gets there.
#pragma once

#include <queue>
#include <vector>

#include "model/memory.h"

namespace suanli {

class WindowLedger {
 public:
  // `frees_kv`: the engine frees the KV outside the window (else a sequence
  // holds every token in every layer, but attention still reads the window).
  WindowLedger(const KvWindow& window, bool frees_kv, double tokens_per_step);

  // Keys a query at `context` attends, layer-averaged (KvWindow::Keys).
  double Keys(double context) const { return window_.Keys(context); }
  // KV slots a sequence of `context` tokens holds (Keys, or `context` when the KV is kept).
  double Held(double context) const { return frees_kv_ ? window_.Keys(context) : context; }
  // Growth of the sums in one decode step of `decoding` sequences.
  double KeysGrowth(int decoding) const { return tau_ * (keys_full_ * decoding + (1.0 - keys_full_) * below_); }
  double HeldGrowth(int decoding) const { return tau_ * (held_full_ * decoding + (1.0 - held_full_) * below_); }

  // A sequence starts decoding at `context` on decode step `step`; returns
  // true when it is below the window (it must then Leave or Cross).
  bool Join(double context, long long step, int epoch, int index);
  // A sequence below the window stops decoding (finished or preempted).
  void Leave() { --below_; }

  // A sequence that reached the window.
  struct Crossing {
    long long step;
    int epoch;
    int index;
    bool operator>(const Crossing& o) const { return step != o.step ? step > o.step : index > o.index; }
  };
  // Pops the next sequence due to reach the window by `step`; false when none.
  bool NextDue(long long step, Crossing& out);
  // Settles a sequence that reached the window at `context` tokens: the sums
  // grew by its whole step; returns the overshoot to take back from the
  // attended keys (first) and the held slots (second).
  std::pair<double, double> Cross(double context);

 private:
  KvWindow window_;
  bool frees_kv_ = false;
  double tau_ = 1;
  double keys_full_ = 1;  // share of a step's growth in full-attention layers
  double held_full_ = 1;
  int below_ = 0;         // decoding sequences below the window
  std::priority_queue<Crossing, std::vector<Crossing>, std::greater<Crossing>> due_;
};

}  // namespace suanli
