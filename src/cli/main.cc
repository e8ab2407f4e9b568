// suanli: a planner for AI compute under scarcity. This file only dispatches
// to the command table; every command lives in its own cmd_*.cc file.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/text.h"

namespace suanli::cli {
namespace {

constexpr Command kCommands[] = {
    {"catalog", "list accelerators, systems or model presets with key figures", RunCatalog},
    {"show", "show one catalog entry with every field, its unit and its source", RunShow},
    {"fit", "memory per device: does a model fit, and on how few devices", RunFit},
    {"train", "step time, throughput and MFU of a layout, or --search for the best", RunTrain},
    {"validate", "predict published training runs and report the errors", RunValidate},
    {"calibrate", "fit each accelerator's GEMM fraction to measured runs", RunCalibrate},
    {"market", "the quote store: import, add, list, history, export", RunMarket},
    {"plan", "the full decision: options, schedule, cost, time-to-model", RunPlan},
    {"serve", "LLM serving: latencies and throughput of a layout, or the fewest devices for a rate and SLOs", RunServe},
    {"compare", "how many cards of each kind match a reference cluster", RunCompare},
};

void PrintUsage(std::FILE* out) {
  fmt::print(out,
             "suanli (算力) — plan AI compute under scarcity: does it fit, how fast, how many\n"
             "cards, what to buy or rent, when is the model done, what does it cost.\n\n"
             "usage: suanli <command> [options]   (suanli <command> --help for examples)\n\n"
             "commands:\n");
  for (const Command& command : kCommands) {
    fmt::print(out, "  {:<10} {}\n", command.name, command.help);
  }
  fmt::print(out, "\nexit codes: 0 ok, 1 no feasible answer, 2 bad input\n");
}

}  // namespace
}  // namespace suanli::cli

int main(int argc, char** argv) {
  using namespace suanli::cli;
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    PrintUsage(argc < 2 ? stderr : stdout);
    return argc < 2 ? kExitBadInput : kExitOk;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    fmt::print("suanli 0.1.0\n");
    return kExitOk;
  }
  const std::string name = argv[1];
  for (const Command& command : kCommands) {
    if (command.name != name) continue;
    std::string program = "suanli " + name;
    std::vector<char*> args(argv + 1, argv + argc);
    args[0] = program.data();
    try {
      return command.run(static_cast<int>(args.size()), args.data());
    } catch (const std::exception& e) {
      // Only I/O boundaries throw; anything reaching here is reported once.
      fmt::print(stderr, "suanli {}: error: {}\n", name, e.what());
      return kExitBadInput;
    }
  }
  std::vector<std::string> names;
  for (const Command& command : kCommands) names.emplace_back(command.name);
  fmt::print(stderr, "suanli: unknown command '{}'. {}\n", name,
             suanli::DidYouMean(suanli::NearestMatches(name, names)));
  PrintUsage(stderr);
  return kExitBadInput;
}
