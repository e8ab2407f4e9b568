#include "core/progress.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "core/i18n.h"

namespace suanli {
namespace {

std::atomic<bool> progress_enabled{false};

}  // namespace

Progress::Progress(std::string label, double total)
    : label_(std::move(label)), total_(total), start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() {
  std::lock_guard<std::mutex> lock(draw_mutex_);
  if (drawn_) std::fputs("\r\x1b[2K", stderr);
}

void Progress::Enable(bool enabled) { progress_enabled.store(enabled); }

bool Progress::Enabled() { return progress_enabled.load(); }

void Progress::Set(double done) {
  done_.store(done);
  MaybeDraw(done);
}

void Progress::Add(double units) {
  double done = done_.load();
  while (!done_.compare_exchange_weak(done, done + units)) {
  }
  MaybeDraw(done + units);
}

void Progress::MaybeDraw(double done) {
  if (!Enabled() || !(total_ > 0)) return;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < kShowAfterSeconds) return;
  std::unique_lock<std::mutex> lock(draw_mutex_, std::try_to_lock);
  if (!lock.owns_lock() || now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double fraction = std::clamp(done / total_, 0.0, 1.0);
  std::string eta = fraction > 0.01 ? FormatEta(elapsed * (1 - fraction) / fraction) : "…";
  fmt::print(stderr, "\r\x1b[2K{} {:3.0f}%  {} {}", label_, 100 * fraction, Tr("ETA"), eta);
  std::fflush(stderr);
  drawn_ = true;
}

std::string FormatEta(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "…";
  const long total = std::lround(seconds);
  if (total < 60) return fmt::format("{} s", total);
  if (total < 3600) return fmt::format("{} min {} s", total / 60, total % 60);
  return fmt::format("{} h {} min", total / 3600, (total % 3600) / 60);
}

}  // namespace suanli
