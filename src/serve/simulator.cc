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

namespace suanli {
namespace {

enum class State { kWaiting, kPrefilling, kDecoding, kDone, kRejected };

struct Sequence {
  Request request;
  State state = State::kWaiting;
  int generated = 0;        // output tokens produced so far
  int prompt_tokens = 0;    // tokens to (re)compute: input + generated at preemption
  int prefilled = 0;        // prompt tokens whose KV is cached
  long long join_step = 0;  // decode step count when decoding started
  double join_context = 0;  // context when decoding started, tokens
  int epoch = 0;            // bumps on preemption; stale heap entries are skipped
  double first_token_s = -1;
  double finish_s = -1;
  bool measured = true;     // inside the SteadyWindow: counts in the figures and the MissWatch
};

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
  Engine(std::vector<Sequence>& seqs, const IterationCost& cost, const SchedulerLimits& limits,
         double kv_capacity_tokens, MissWatch* watch, int clients)
      : seqs_(seqs), cost_(cost), limits_(limits), watch_(watch), capacity_(kv_capacity_tokens),
        slack_(0.5 * std::max(0, limits.block_tokens - 1)), clients_(static_cast<size_t>(std::max(0, clients))) {}

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
  double Emitted(const Sequence& s) const { return tau_ * static_cast<double>(step_ - s.join_step); }
  double Context(const Sequence& s) const { return s.join_context + Emitted(s); }
  // Releases a sequence's reservation: what it still held of its output at
  // joining minus what it has emitted since (negative undoes an overshoot).
  void Unreserve(const Sequence& s, double emitted) {
    if (limits_.reserve_output) reserved_ -= s.request.output_tokens - s.generated - emitted;
  }
  int Running() const { return decoding_ + static_cast<int>(prefilling_.size()); }

  // True when the `sent`-th request of this engine has arrived by now. Open
  // loop: its own arrival time. Closed loop: a client is free (fewer than
  // `clients_` requests sent and not finished); the request arrives now.
  bool Arrives(Sequence& s, size_t sent) {
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
      Sequence& s = seqs_[i];
      if (s.state == State::kDecoding) {
        const double context = Context(s);
        Unreserve(s, Emitted(s));
        s.generated = std::min(s.request.output_tokens - 1,
                               s.generated + static_cast<int>(std::lround(Emitted(s))));
        --decoding_;
        decode_context_ -= context;
        kv_used_ -= context + slack_;
      } else if (s.state == State::kPrefilling) {
        prefilling_.erase(std::find(prefilling_.begin(), prefilling_.end(), i));
        kv_used_ -= s.prefilled + slack_;
        Unreserve(s, 0);
      } else {
        continue;  // finished: a stale entry
      }
      ++s.epoch;
      s.state = State::kWaiting;
      s.prompt_tokens = s.request.input_tokens + s.generated;  // recompute the whole context
      s.prefilled = 0;
      waiting_.push_front(i);
      return true;
    }
    return false;
  }

  // Takes `chunk` prompt tokens of sequence `i` into the iteration.
  void AddChunk(int i, int chunk, BatchWork& work) {
    Sequence& s = seqs_[i];
    const double start = s.prefilled;
    // Causal pairs of queries start+1..start+chunk against their prefixes.
    work.prefill_attention_pairs += chunk * start + 0.5 * chunk * (chunk + 1.0);
    work.prefill_tokens += chunk;
    ++work.prefill_seqs;
    s.prefilled += chunk;
    kv_used_ += chunk;
  }

  BatchWork Schedule(int& preemptions) {
    // Decode tokens need one new slot each; preempt from the back until they fit.
    while (decoding_ > 0 && kv_used_ + tau_ * decoding_ > capacity_) {
      if (!PreemptLast()) break;
      ++preemptions;
    }
    BatchWork work;
    work.decode_seqs = decoding_;
    work.decode_context_tokens = decode_context_;
    int budget = limits_.prefill_budget_tokens - decoding_;
    double free = capacity_ - kv_used_ - tau_ * decoding_;
    for (int i : prefilling_) {
      if (budget <= 0 || free < 1) break;
      const Sequence& s = seqs_[i];
      const int chunk = static_cast<int>(std::min<double>({double(s.prompt_tokens - s.prefilled), double(budget), std::floor(free)}));
      if (chunk <= 0) continue;
      AddChunk(i, chunk, work);
      budget -= chunk;
      free -= chunk;
    }
    while (budget > 0 && !waiting_.empty() && Running() < limits_.max_batch) {
      const int i = waiting_.front();
      Sequence& s = seqs_[i];
      if (Hopeless(s.request)) {  // longer than the whole cache: never admitted
        waiting_.pop_front();
        Reject(s);
        continue;
      }
      if (s.prompt_tokens == 0) s.prompt_tokens = s.request.input_tokens;
      // No-eviction admission (TensorRT-LLM's GUARANTEED_NO_EVICT) keeps the
      // slots of every admitted sequence's remaining output free.
      const double future = limits_.reserve_output ? s.request.output_tokens - s.generated : 0.0;
      if (limits_.reserve_output && s.prompt_tokens + future + slack_ > free - reserved_) break;
      const double room = std::floor(free - slack_);
      const int chunk = static_cast<int>(std::min<double>({double(s.prompt_tokens), double(budget), room}));
      if (chunk <= 0) break;
      waiting_.pop_front();
      s.state = State::kPrefilling;
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
  bool Hopeless(const Request& r) const { return r.input_tokens + r.output_tokens + slack_ > capacity_; }

  // Rejects the head of the queue when even an empty cache cannot hold it.
  bool RejectHeadIfHopeless() {
    if (waiting_.empty() || !Hopeless(seqs_[waiting_.front()].request)) return false;
    Reject(seqs_[waiting_.front()]);
    waiting_.pop_front();
    return true;
  }

  void FirstToken(Sequence& s) {
    s.first_token_s = now_;
    if (watch_ && s.measured) watch_->Ttft(s.first_token_s - s.request.arrival_s);
  }

  void Finish(Sequence& s) {
    s.state = State::kDone;
    s.finish_s = now_;
    ++finished_;
    if (watch_ && s.measured && s.request.output_tokens > 1) {
      watch_->Tpot((s.finish_s - s.first_token_s) / (s.request.output_tokens - 1));
    }
  }

  void Reject(Sequence& s) {
    s.state = State::kRejected;
    ++finished_;
    if (watch_) watch_->missed = true;  // a rejection misses the SLO
  }

  void Advance(const BatchWork& work) {
    if (work.decode_seqs > 0) {
      ++step_;
      decode_context_ += tau_ * decoding_;
      kv_used_ += tau_ * decoding_;
      if (limits_.reserve_output) reserved_ -= tau_ * decoding_;
      // Sequences that joined before this step get their first token from it.
      while (!first_tokens_.empty() && first_tokens_.front().step <= step_) {
        const FinishEvent f = first_tokens_.front();
        first_tokens_.pop_front();
        Sequence& s = seqs_[f.index];
        if (s.epoch == f.epoch && s.first_token_s < 0) FirstToken(s);
      }
    }
    while (!finishing_.empty() && finishing_.top().step <= step_) {
      const FinishEvent f = finishing_.top();
      finishing_.pop();
      Sequence& s = seqs_[f.index];
      if (s.epoch != f.epoch || s.state != State::kDecoding) continue;
      const double context = Context(s);
      Unreserve(s, Emitted(s));
      s.generated = s.request.output_tokens;
      --decoding_;
      decode_context_ -= context;
      kv_used_ -= context + slack_;
      Finish(s);
    }
    for (size_t k = 0; k < prefilling_.size();) {
      const int i = prefilling_[k];
      Sequence& s = seqs_[i];
      if (s.prefilled < s.prompt_tokens) {
        ++k;
        continue;
      }
      prefilling_.erase(prefilling_.begin() + static_cast<long>(k));
      if (!limits_.first_token_in_decode) {
        ++s.generated;  // the last chunk samples a token
        if (limits_.reserve_output) reserved_ -= 1;
        if (s.first_token_s < 0) FirstToken(s);
      } else if (s.first_token_s < 0) {
        first_tokens_.push_back({step_ + 1, s.epoch, i});
      }
      if (s.generated >= s.request.output_tokens) {
        kv_used_ -= s.prefilled + slack_;
        Finish(s);
        continue;
      }
      s.state = State::kDecoding;
      s.join_step = step_;
      s.join_context = s.prefilled;
      ++decoding_;
      decode_context_ += s.join_context;
      const double steps = std::ceil((s.request.output_tokens - s.generated) / tau_ - 1e-9);
      finishing_.push({step_ + static_cast<long long>(steps), s.epoch, i});
    }
  }

  std::vector<Sequence>& seqs_;
  const IterationCost& cost_;
  const SchedulerLimits& limits_;
  MissWatch* watch_;            // null unless Simulate stops at a certain miss
  const double capacity_;
  const double slack_;
  const size_t clients_;        // closed-loop clients (0 = open loop)
  const double tau_ = std::max(1.0, limits_.tokens_per_step);
  double reserved_ = 0;         // output slots promised to admitted sequences (reserve_output)
  double now_ = 0;
  long long step_ = 0;          // decode iterations so far
  int decoding_ = 0;
  double decode_context_ = 0;   // summed context of the decode sequences, tokens
  double kv_used_ = 0;          // KV slots held, tokens (with block slack)
  size_t finished_ = 0;
  std::deque<int> waiting_;
  std::deque<FinishEvent> first_tokens_;  // first decode step of sequences (first_token_in_decode)
  std::vector<int> prefilling_;  // admission order
  std::vector<int> admitted_;    // admission order of running sequences (stale entries skipped)
  std::priority_queue<FinishEvent, std::vector<FinishEvent>, std::greater<FinishEvent>> finishing_;
};

// The span the throughputs divide by: the whole run, or (steady) the window
// from the first to the last measured arrival, in which every request that
// completes counts, measured or not. (The span of the measured requests' own
// completions would stretch by their spread of lifetimes.)
struct ThroughputWindow {
  bool steady = false;
  double from_s = 0, to_s = 0;
  bool Counts(const Sequence& s) const { return !steady || (s.finish_s >= from_s && s.finish_s <= to_s); }
};

// Completions and their tokens within a span of time.
struct Completions {
  int requests = 0;
  double input_tokens = 0, output_tokens = 0;
  void Add(const Sequence& s) {
    ++requests;
    input_tokens += s.request.input_tokens;
    output_tokens += s.request.output_tokens;
  }
};

// Returns the completions from `from_s` to `to_s`.
Completions CompletedBetween(const std::vector<Sequence>& seqs, double from_s, double to_s) {
  Completions c;
  for (const Sequence& s : seqs) {
    if (s.state == State::kDone && s.finish_s >= from_s && s.finish_s <= to_s) c.Add(s);
  }
  return c;
}

void Summarise(const std::vector<Sequence>& seqs, const ServingSlo& slo, const MeasuredRange& range,
               bool steady_state, double arrival_rate_rps, SimulationResult& out) {
  std::vector<double> ttft, tpot, e2e;
  double first = seqs.empty() ? 0 : seqs.front().request.arrival_s, last = first;
  ThroughputWindow window;
  if (steady_state && range.last > range.first + 1) {
    window.from_s = seqs[range.first].request.arrival_s;
    window.to_s = seqs[range.last - 1].request.arrival_s;
    window.steady = window.to_s > window.from_s;
  }
  Completions counted, measured;  // in the throughput window; the measured requests that completed
  int good = 0, measured_done = 0;
  double busy_from = 0, busy_to = 0;  // the first and last completion of a measured request
  for (const Sequence& s : seqs) {
    if (s.state != State::kDone) {
      ++out.rejected;
      continue;
    }
    ++out.completed;
    last = std::max(last, s.finish_s);
    if (window.Counts(s)) counted.Add(s);
    if (!s.measured) continue;
    measured.Add(s);
    busy_from = measured_done == 0 ? s.finish_s : std::min(busy_from, s.finish_s);
    busy_to = measured_done == 0 ? s.finish_s : std::max(busy_to, s.finish_s);
    ++measured_done;
    const double t = s.first_token_s - s.request.arrival_s;
    ttft.push_back(t);
    e2e.push_back(s.finish_s - s.request.arrival_s);
    double per_token = 0;
    if (s.request.output_tokens > 1) {
      per_token = (s.finish_s - s.first_token_s) / (s.request.output_tokens - 1);
      tpot.push_back(per_token);
    }
    if ((slo.ttft_s <= 0 || t <= slo.ttft_s) && (slo.tpot_s <= 0 || per_token <= slo.tpot_s)) ++good;
  }
  out.duration_s = std::max(1e-9, last - first);
  out.ttft = Stats(ttft, slo.percentile);
  out.tpot = Stats(tpot, slo.percentile);
  out.e2e = Stats(e2e, slo.percentile);
  const double seconds = window.steady ? window.to_s - window.from_s : out.duration_s;
  out.requests_per_s = counted.requests / seconds;
  if (window.steady) {
    // n arrivals span n - 1 gaps. Completions in the window of a stable
    // engine match these arrivals within their scatter, at most ~1/sqrt(n).
    const double arrived_rps = (range.last - range.first - 1.0) / seconds;
    out.overloaded = out.measured >= kMinOverloadSample &&
                     out.requests_per_s < OverloadShare(out.measured) * arrived_rps;
    out.offered_rps = arrival_rate_rps > 0 ? arrival_rate_rps : arrived_rps;
    if (!out.overloaded) {
      // A stable engine serves what arrives, less what it rejects. (The window's
      // completions follow its own arrivals, ~1/sqrt(n) off the nominal rate: the
      // default seed's middle 1,000 of 2,000 come 9% fast, 21.99 req/s at 20.)
      counted = measured;
      out.requests_per_s = out.measured > 0 ? out.offered_rps * measured.requests / out.measured : 0;
    } else if (busy_to > busy_from) {
      // A growing queue: its completions per second while the measured
      // requests finish are the engine's capacity (the arrival window may be
      // far shorter than a request's wait).
      counted = CompletedBetween(seqs, busy_from, busy_to);
      out.requests_per_s = std::min(out.offered_rps, counted.requests / (busy_to - busy_from));
    }
  }
  // The completions' mean lengths at the completion rate.
  const double per_request = counted.requests > 0 ? out.requests_per_s / counted.requests : 0;
  out.output_tokens_per_s = counted.output_tokens * per_request;
  out.total_tokens_per_s = (counted.output_tokens + counted.input_tokens) * per_request;
  // The completions per second, in the measured requests' share within the SLO.
  out.goodput_rps = measured_done > 0 ? out.requests_per_s * good / measured_done : 0;
  out.slo_attainment = out.measured > 0 ? static_cast<double>(good) / out.measured : 0;
  out.meets_slo = out.rejected == 0 && out.completed > 0 && !out.overloaded &&
                  (slo.ttft_s <= 0 || out.ttft.at_slo_percentile_s <= slo.ttft_s) &&
                  (slo.tpot_s <= 0 || out.tpot.at_slo_percentile_s <= slo.tpot_s);
}

}  // namespace

SimulationResult Simulate(const std::vector<Request>& requests, const IterationCost& cost,
                          const SchedulerLimits& limits, const ServingSlo& slo, int replicas, bool stop_at_miss) {
  SimulationResult out;
  out.requests = static_cast<int>(requests.size());
  // A closed loop is the run its benchmark made: measured whole.
  const bool steady = limits.steady_state && limits.closed_loop_clients <= 0;
  const MeasuredRange range = SteadyWindow(requests.size(), steady);
  out.measured = static_cast<int>(range.last - range.first);
  std::vector<Sequence> seqs(requests.size());
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
