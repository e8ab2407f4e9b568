// The simulator's view of one request (src/serve/simulator.cc) and the
// summary of a finished run into a SimulationResult (sim_summary.cc).
#pragma once

#include <vector>

#include "serve/simulator.h"
#include "serve/steady_state.h"

namespace suanli {

enum class SimState { kWaiting, kPrefilling, kDecoding, kDone, kRejected };

struct SimSequence {
  Request request;
  SimState state = SimState::kWaiting;
  int generated = 0;        // output tokens produced so far
  int prompt_tokens = 0;    // tokens to (re)compute: input + generated at preemption
  int prefilled = 0;        // prompt tokens whose KV is cached
  long long join_step = 0;  // decode step count when decoding started
  double join_context = 0;  // context when decoding started, tokens
  int epoch = 0;            // bumps on preemption; stale heap entries are skipped
  double admitted_s = -1;     // first admission into a batch (its queue wait ends), seconds
  double first_token_s = -1;
  double finish_s = -1;
  bool measured = true;     // inside the SteadyWindow: counts in the figures and the MissWatch
  bool below_window = false;  // decoding below the sliding window (WindowLedger::Join)
};

// Fills `out`'s latencies, throughputs, goodput and overload verdict from the
// finished `seqs` (the measured ones in `range`).
void Summarise(const std::vector<SimSequence>& seqs, const ServingSlo& slo, const MeasuredRange& range,
               bool steady_state, double arrival_rate_rps, SimulationResult& out);

}  // namespace suanli
