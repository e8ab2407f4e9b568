// A progress line with an ETA on stderr for work that may take longer than
// about a second (layout searches, sweeps, Monte Carlo runs). Silent unless
// the CLI enabled it (stderr is a terminal, no --json, no --quiet) and the
// work has run for kShowAfterSeconds; redrawn at most ten times a second;
// erased when done. Safe to advance from several threads.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

namespace suanli {

class Progress {
 public:
  // Starts timing `total` units of work described by `label` ("searching layouts").
  Progress(std::string label, double total);
  // Erases the line if one was drawn.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Records that `done` of the total units are finished; may redraw the line.
  void Set(double done);
  // Records `units` more finished units; may redraw the line.
  void Add(double units);

  // Enables or disables every progress line of the process (the CLI's choice).
  static void Enable(bool enabled);
  // Returns whether progress lines may be drawn.
  static bool Enabled();

  static constexpr double kShowAfterSeconds = 1.0;

 private:
  void MaybeDraw(double done);

  std::string label_;
  double total_;
  std::atomic<double> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
  std::mutex draw_mutex_;
  bool drawn_ = false;
};

// Returns "3 s", "2 min 5 s", "1 h 4 min": an ETA for people.
std::string FormatEta(double seconds);

}  // namespace suanli
