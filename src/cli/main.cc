// suanli: a planner for AI compute under scarcity. This file only dispatches
// to the command table; every command lives in its own cmd_*.cc file.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/completion.h"
#include "cli/common.h"
#include "core/i18n.h"
#include "core/output_guard.h"
#include "core/text.h"

namespace suanli::cli {
namespace {

constexpr std::string_view kVersion = "0.2.0";

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
  fmt::print(out, "{}\n\n{}\n\n{}\n",
             Tr("suanli (算力) — plan AI compute under scarcity: does it fit, how fast, how many\n"
                "cards, what to buy or rent, when is the model done, what does it cost."),
             Tr("usage: suanli <command> [options]   (suanli <command> --help for examples)"),
             Tr("commands:"));
  for (const Command& command : kCommands) {
    fmt::print(out, "  {:<10} {}\n", command.name, Tr(command.help));
  }
  fmt::print(out, "  {:<10} {}\n", "completion", Tr("print a bash or zsh completion script: suanli completion bash"));
  fmt::print(out, "\n{}\n{}\n", Tr("common options: --lang zh|en, --format table|json|csv|md, --output FILE, --quiet"),
             Tr("exit codes: 0 ok, 1 no feasible answer, 2 bad input"));
}

// With SUANLI_I18N_CHECK set, a Chinese run that printed an untranslated
// string lists it on stderr and exits 3 (tests/i18n runs every command so).
int CheckTranslations(int code) {
  const char* check = std::getenv("SUANLI_I18N_CHECK");
  if (check == nullptr || *check == '\0') return code;
  const auto missing = MissingTranslations();
  for (const std::string& english : missing) fmt::print(stderr, "i18n-missing: {}\n", english);
  return missing.empty() ? code : 3;
}

std::vector<std::string_view> CommandNames() {
  std::vector<std::string_view> names;
  for (const Command& command : kCommands) names.push_back(command.name);
  return names;
}

}  // namespace
}  // namespace suanli::cli

int main(int argc, char** argv) {
  using namespace suanli::cli;
  auto language = LanguageOfArgs(argc, argv);
  if (!language.ok()) {
    fmt::print(stderr, "suanli: error: {}\n", language.error().ToString());
    return kExitBadInput;
  }
  suanli::SetLanguage(*language);
  // "suanli --lang zh <command> ..." : the language may also come first.
  while (argc > 1 && std::strncmp(argv[1], "--lang", 6) == 0) {
    const int taken = std::strcmp(argv[1], "--lang") == 0 ? 2 : 1;
    if (argc <= taken) break;
    argv[taken] = argv[0];
    argv += taken;
    argc -= taken;
  }
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    PrintUsage(argc < 2 ? stderr : stdout);
    return CheckTranslations(argc < 2 ? kExitBadInput : kExitOk);
  }
  if (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "-V") == 0) {
    fmt::print("suanli {}\n", kVersion);
    return kExitOk;
  }
  const std::string name = argv[1];
  if (name == "completion") return PrintCompletion(argc > 2 ? argv[2] : "", CommandNames());
  for (const Command& command : kCommands) {
    if (command.name != name) continue;
    std::string program = "suanli " + name;
    std::vector<char*> args(argv + 1, argv + argc);
    args[0] = program.data();
    const suanli::Status outputs = suanli::CheckOutputsAreNotInputs({argv + 2, argv + argc});
    if (!outputs.ok()) return CheckTranslations(ReportError(name, outputs.error()));
    try {
      int code = command.run(static_cast<int>(args.size()), args.data());
      // --output FILE: replaced only by an answer (exit 0 or 1); bad input leaves it as it was.
      const bool answered = code == kExitOk || code == kExitInfeasible;
      const suanli::Status written = suanli::FinishOutputFile(answered);
      if (!written.ok()) code = ReportError(name, written.error());
      // A full disk or closed stdout: the answer was not written (exit 2), whatever the command said.
      if (const suanli::Status out = suanli::CheckStdoutWritten(); written.ok() && answered && !out.ok()) {
        code = ReportError(name, out.error());
      }
      return CheckTranslations(code);
    } catch (const std::exception& e) {
      (void)suanli::FinishOutputFile(false);
      // Only I/O boundaries throw; anything reaching here is reported once.
      fmt::print(stderr, "suanli {}: {}: {}\n", name, suanli::Tr("error"), e.what());
      return kExitBadInput;
    }
  }
  std::vector<std::string> names;
  for (const Command& command : kCommands) names.emplace_back(command.name);
  fmt::print(stderr, "{}\n", suanli::TrFormat("suanli: unknown command '{}'. {}", name,
                                              suanli::DidYouMean(suanli::NearestMatches(name, names))));
  PrintUsage(stderr);
  return kExitBadInput;
}
