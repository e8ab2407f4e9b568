// The continuous-batching simulator. Decode sequences advance together, so
// the engine keeps only aggregates per iteration (decode count, summed
// context, KV tokens held) and a heap of finishing steps: an iteration costs
// O(1) plus O(log n) per event, which makes 100,000 requests take well under
// a second (bench/serve_bench.cc).
#include "serve/simulator.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <queue>

#include "serve/latency_stats.h"
#include "serve/sim_sequence.h"
#include "serve/window_ledger.h"

namespace suanli {
namespace {

struct FinishEvent {
  long long step;
  int epoch;
  int index;
  bool operator>(const FinishEvent& o) const { return step != o.step ? step > o.step : index > o.index; }
};

// One engine (one virtual engine of a replica) serving its share of requests.
class Engine {
 public:
  // `clients` > 0: a closed loop of that many clients on this engine.
  Engine(std::vector<SimSequence>& seqs, const IterationCost& cost, const SchedulerLimits& limits,
         double kv_capacity_tokens, MissWatch* watch, int clients)
      : seqs_(seqs), cost_(cost), limits_(limits), watch_(watch), capacity_(kv_capacity_tokens),
        slack_(0.5 * std::max(0, limits.block_tokens - 1)), clients_(static_cast<size_t>(std::max(0, clients))),
        window_(limits.window, limits.window_frees_kv, limits.tokens_per_step),
        frees_kv_(limits.window_frees_kv && limits.window.Active()) {}

  // Runs the requests `order` (indices into seqs, by arrival) to completion.
  void Run(const std::vector<int>& order, long long& iterations, int& preemptions, double& batch_time) {
    size_t next = 0;
    while (finished_ < order.size() && !(watch_ && watch_->missed)) {
      while (next < order.size() && Arrives(seqs_[order[next]], next)) waiting_.push_back(order[next++]);
      BatchWork work = Schedule(preemptions);
      if (work.decode_seqs == 0 && work.prefill_tokens == 0) {
        if (RejectHeadIfHopeless()) continue;
        if (Running() > 0 && PreemptLast()) {  // prefills holding the cache block each other
          ++preemptions;
          continue;
        }
        if (next < order.size() && clients_ == 0) {
          now_ = std::max(now_, seqs_[order[next]].request.arrival_s);
          continue;
        }
        break;  // nothing can run and nothing will arrive (cannot happen after rejection)
      }
      const double dt = cost_.Seconds(work);
      now_ += dt;
      ++iterations;
      batch_time += dt * work.decode_seqs;
      Advance(work);
    }
  }

 private:
  // Tokens a decoding sequence has emitted since it joined (tokens_per_step a step).
  double Emitted(const SimSequence& s) const { return tau_ * static_cast<double>(step_ - s.join_step); }
  double Context(const SimSequence& s) const { return s.join_context + Emitted(s); }
  // Releases a sequence's reservation: what it still held of its output at
  // joining minus what it has emitted since (negative undoes an overshoot).
  // With a window the reservation is in held slots, Held(P + outputs) −
  // Held(P) from prompt P, of which the sampled first token and the decode
  // steps since joining have used their growth of the held slots.
  void Unreserve(const SimSequence& s, double emitted) {
    if (!limits_.reserve_output) return;
    if (!frees_kv_) {
      reserved_ -= s.request.output_tokens - s.generated - emitted;
      return;
    }
    const double p = s.prompt_tokens;
    const double sampled = s.state == SimState::kDecoding && !limits_.first_token_in_decode ? 1.0 : 0.0;
    const double remaining = s.request.output_tokens - s.generated + sampled;
    reserved_ -= window_.Held(p + remaining) - window_.Held(p) - sampled * (window_.Held(p + 1) - window_.Held(p)) -
                 (window_.Held(p + emitted) - window_.Held(p));
  }
  // A decoding sequence of `context` tokens leaves the decode sums.
  void LeaveDecode(SimSequence& s, double context) {
    --decoding_;
    decode_context_ -= window_.Keys(context);
    kv_used_ -= window_.Held(context) + slack_;
    if (s.below_window) window_.Leave();
    s.below_window = false;
  }
  int Running() const { return decoding_ + static_cast<int>(prefilling_.size()); }

  // True when the `sent`-th request of this engine has arrived by now. Open
  // loop: its own arrival time. Closed loop: a client is free (fewer than
  // `clients_` requests sent and not finished); the request arrives now.
  bool Arrives(SimSequence& s, size_t sent) {
    if (clients_ == 0) return s.request.arrival_s <= now_;
    if (sent - finished_ >= clients_) return false;
    s.request.arrival_s = now_;
    return true;
  }

  // Frees the KV of the last admitted running sequence and requeues it first.
  bool PreemptLast() {
    while (!admitted_.empty()) {
      const int i = admitted_.back();
      admitted_.pop_back();
      SimSequence& s = seqs_[i];
      if (s.state == SimState::kDecoding) {
        const double context = Context(s);
        Unreserve(s, Emitted(s));
        s.generated = std::min(s.request.output_tokens - 1,
                               s.generated + static_cast<int>(std::lround(Emitted(s))));
        LeaveDecode(s, context);
      } else if (s.state == SimState::kPrefilling) {
        prefilling_.erase(std::find(prefilling_.begin(), prefilling_.end(), i));
        kv_used_ -= window_.Held(s.prefilled) + slack_;
        Unreserve(s, 0);
      } else {
        continue;  // finished: a stale entry
      }
      ++s.epoch;
      s.state = SimState::kWaiting;
      s.prompt_tokens = s.request.input_tokens + s.generated;  // recompute the whole context
      s.prefilled = 0;
      waiting_.push_front(i);
      return true;
    }
    return false;
  }

  // Takes `chunk` prompt tokens of sequence `i` into the iteration.
  void AddChunk(int i, int chunk, BatchWork& work) {
    SimSequence& s = seqs_[i];
    const double start = s.prefilled;
    // Causal pairs of queries start+1..start+chunk against their prefixes
    // (a sliding layer's against the window). The chunk is scheduled whole
    // (its slots are needed while it runs); what falls out of the window is
    // freed with it.
    work.prefill_attention_pairs += limits_.window.CausalPairs(start, chunk);
    work.prefill_tokens += chunk;
    ++work.prefill_seqs;
    s.prefilled += chunk;
    kv_used_ += window_.Held(s.prefilled) - window_.Held(start);
  }

  BatchWork Schedule(int& preemptions) {
    // Decode tokens need one new slot each; preempt from the back until they fit.
    while (decoding_ > 0 && kv_used_ + window_.HeldGrowth(decoding_) > capacity_) {
      if (!PreemptLast()) break;
      ++preemptions;
    }
    BatchWork work;
    work.decode_seqs = decoding_;
    work.decode_context_tokens = decode_context_;
    int budget = limits_.prefill_budget_tokens - decoding_;
    double free = capacity_ - kv_used_ - window_.HeldGrowth(decoding_);
    for (int i : prefilling_) {
      if (budget <= 0 || free < 1) break;
      const SimSequence& s = seqs_[i];
      const int chunk = static_cast<int>(std::min<double>({double(s.prompt_tokens - s.prefilled), double(budget), std::floor(free)}));
      if (chunk <= 0) continue;
      AddChunk(i, chunk, work);
      budget -= chunk;
      free -= chunk;
    }
    while (budget > 0 && !waiting_.empty() && Running() < limits_.max_batch) {
      const int i = waiting_.front();
      SimSequence& s = seqs_[i];
      if (Hopeless(s.request)) {  // longer than the whole cache: never admitted
        waiting_.pop_front();
        Reject(s);
        continue;
      }
      if (s.prompt_tokens == 0) s.prompt_tokens = s.request.input_tokens;
      // No-eviction admission (TensorRT-LLM's GUARANTEED_NO_EVICT) keeps the
      // slots of every admitted sequence's remaining output free.
      const double outputs = limits_.reserve_output ? s.request.output_tokens - s.generated : 0.0;
      const double future = window_.Held(s.prompt_tokens + outputs) - window_.Held(s.prompt_tokens);
      if (limits_.reserve_output && window_.Held(s.prompt_tokens + outputs) + slack_ > free - reserved_) break;
      const double room = std::floor(free - slack_);
      const int chunk = static_cast<int>(std::min<double>({double(s.prompt_tokens), double(budget), room}));
      if (chunk <= 0) break;
      waiting_.pop_front();
      if (s.admitted_s < 0) s.admitted_s = now_;
      s.state = SimState::kPrefilling;
      prefilling_.push_back(i);
      admitted_.push_back(i);
      kv_used_ += slack_;
      reserved_ += future;
      AddChunk(i, chunk, work);
      budget -= chunk;
      free -= chunk + slack_;
    }
    return work;
  }

  // Returns true when even an empty cache cannot hold the request's context.
  bool Hopeless(const Request& r) const { return window_.Held(r.input_tokens + r.output_tokens) + slack_ > capacity_; }

  // Rejects the head of the queue when even an empty cache cannot hold it.
  bool RejectHeadIfHopeless() {
    if (waiting_.empty() || !Hopeless(seqs_[waiting_.front()].request)) return false;
    Reject(seqs_[waiting_.front()]);
    waiting_.pop_front();
    return true;
  }

  void FirstToken(SimSequence& s) {
    s.first_token_s = now_;
    if (watch_ && s.measured) watch_->Ttft(s.first_token_s - s.request.arrival_s);
  }

  void Finish(SimSequence& s) {
    s.state = SimState::kDone;
    s.finish_s = now_;
    ++finished_;
    if (watch_ && s.measured && s.request.output_tokens > 1) {
      watch_->Tpot((s.finish_s - s.first_token_s) / (s.request.output_tokens - 1));
    }
  }

  void Reject(SimSequence& s) {
    s.state = SimState::kRejected;
    ++finished_;
    if (watch_) watch_->missed = true;  // a rejection misses the SLO
  }

  void Advance(const BatchWork& work) {
    if (work.decode_seqs > 0) {
      ++step_;
      const double held = window_.HeldGrowth(decoding_);
      decode_context_ += window_.KeysGrowth(decoding_);
      kv_used_ += held;
      if (limits_.reserve_output) reserved_ -= held;
      // Sequences that joined before this step get their first token from it.
      while (!first_tokens_.empty() && first_tokens_.front().step <= step_) {
        const FinishEvent f = first_tokens_.front();
        first_tokens_.pop_front();
        SimSequence& s = seqs_[f.index];
        if (s.epoch == f.epoch && s.first_token_s < 0) FirstToken(s);
      }
    }
    WindowLedger::Crossing due{};
    while (window_.NextDue(step_, due)) {  // sequences reaching the window stop growing there
      SimSequence& s = seqs_[due.index];
      if (s.epoch != due.epoch || s.state != SimState::kDecoding || !s.below_window) continue;
      s.below_window = false;
      const auto [keys, held] = window_.Cross(Context(s));
      decode_context_ -= keys;
      kv_used_ -= held;
      if (limits_.reserve_output) reserved_ += held;
    }
    while (!finishing_.empty() && finishing_.top().step <= step_) {
      const FinishEvent f = finishing_.top();
      finishing_.pop();
      SimSequence& s = seqs_[f.index];
      if (s.epoch != f.epoch || s.state != SimState::kDecoding) continue;
      const double context = Context(s);
      Unreserve(s, Emitted(s));
      s.generated = s.request.output_tokens;
      LeaveDecode(s, context);
      Finish(s);
    }
    for (size_t k = 0; k < prefilling_.size();) {
      const int i = prefilling_[k];
      SimSequence& s = seqs_[i];
      if (s.prefilled < s.prompt_tokens) {
        ++k;
        continue;
      }
      prefilling_.erase(prefilling_.begin() + static_cast<long>(k));
      if (!limits_.first_token_in_decode) {
        ++s.generated;  // the last chunk samples a token
        if (limits_.reserve_output) reserved_ -= window_.Held(s.prefilled + 1.0) - window_.Held(s.prefilled);
        if (s.first_token_s < 0) FirstToken(s);
      } else if (s.first_token_s < 0) {
        first_tokens_.push_back({step_ + 1, s.epoch, i});
      }
      if (s.generated >= s.request.output_tokens) {
        kv_used_ -= window_.Held(s.prefilled) + slack_;
        Finish(s);
        continue;
      }
      s.state = SimState::kDecoding;
      s.join_step = step_;
      s.join_context = s.prefilled;
      ++decoding_;
      decode_context_ += window_.Keys(s.join_context);
      s.below_window = window_.Join(s.join_context, step_, s.epoch, i);
      const double steps = std::ceil((s.request.output_tokens - s.generated) / tau_ - 1e-9);
      finishing_.push({step_ + static_cast<long long>(steps), s.epoch, i});
    }
  }

  std::vector<SimSequence>& seqs_;
  const IterationCost& cost_;
  const SchedulerLimits& limits_;
  MissWatch* watch_;            // null unless Simulate stops at a certain miss
  const double capacity_;
  const double slack_;
  const size_t clients_;        // closed-loop clients (0 = open loop)
  const double tau_ = std::max(1.0, limits_.tokens_per_step);
  WindowLedger window_;         // sliding-window sums (no window: the plain token counts)
  const bool frees_kv_;         // a sequence holds only its window in sliding layers
  double reserved_ = 0;         // output slots promised to admitted sequences (reserve_output)
  double now_ = 0;
  long long step_ = 0;          // decode iterations so far
  int decoding_ = 0;
  double decode_context_ = 0;   // summed keys the decode sequences attend, layer-averaged (KvWindow::Keys)
  double kv_used_ = 0;          // KV slots held, tokens (with block slack)
  size_t finished_ = 0;
  std::deque<int> waiting_;
  std::deque<FinishEvent> first_tokens_;  // first decode step of sequences (first_token_in_decode)
  std::vector<int> prefilling_;  // admission order
  std::vector<int> admitted_;    // admission order of running sequences (stale entries skipped)
  std::priority_queue<FinishEvent, std::vector<FinishEvent>, std::greater<FinishEvent>> finishing_;
};

}  // namespace

SimulationResult Simulate(const std::vector<Request>& requests, const IterationCost& cost,
                          const SchedulerLimits& limits, const ServingSlo& slo, int replicas, bool stop_at_miss) {
  SimulationResult out;
  out.requests = static_cast<int>(requests.size());
  // A closed loop is the run its benchmark made: measured whole.
  const bool steady = limits.steady_state && limits.closed_loop_clients <= 0;
  const MeasuredRange range = SteadyWindow(requests.size(), steady);
  out.measured = static_cast<int>(range.last - range.first);
  std::vector<SimSequence> seqs(requests.size());
  size_t multi_token = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    seqs[i].request = requests[i];
    seqs[i].measured = i >= range.first && i < range.last;
    multi_token += seqs[i].measured && requests[i].output_tokens > 1;
  }
  MissWatch watch{slo.ttft_s, slo.tpot_s, OverToMiss(range.last - range.first, slo.percentile),
                  OverToMiss(multi_token, slo.percentile)};
  // Round-robin over replicas, then over each replica's virtual engines
  // (vLLM gives every pipeline-parallel virtual engine its own scheduler and
  // an equal share of the KV blocks).
  const int engines = std::max(1, replicas) * std::max(1, limits.virtual_engines);
  const double kv_per_engine = limits.kv_capacity_tokens / std::max(1, limits.virtual_engines);
  double batch_time = 0;
  for (int e = 0; e < engines; ++e) {
    std::vector<int> order;
    for (size_t i = static_cast<size_t>(e); i < requests.size(); i += static_cast<size_t>(engines)) {
      order.push_back(static_cast<int>(i));
    }
    // A closed loop's clients are dealt to the engines like the requests.
    const int clients = limits.closed_loop_clients <= 0 ? 0
                        : std::max(1, limits.closed_loop_clients / engines + (e < limits.closed_loop_clients % engines));
    Engine engine(seqs, cost, limits, kv_per_engine, stop_at_miss ? &watch : nullptr, clients);
    engine.Run(order, out.iterations, out.preemptions, batch_time);
    if (watch.missed) {
      out.stopped_at_miss = true;  // meets_slo stays false; the other figures are partial
      return out;
    }
  }
  Summarise(seqs, slo, range, steady, limits.arrival_rate_rps, out);
  out.mean_decode_batch = batch_time / (out.duration_s * engines);
  return out;
}

}  // namespace suanli
