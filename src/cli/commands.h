// The suanli command table: each command is one function over the library.
#pragma once

#include <string_view>

namespace suanli::cli {

// Exit codes of every command (docs/architecture.md, the CLI contract).
inline constexpr int kExitOk = 0;
inline constexpr int kExitInfeasible = 1;
inline constexpr int kExitBadInput = 2;

// A command receives argv with argv[0] = "suanli <name>" and returns the exit code.
using CommandFn = int (*)(int argc, char** argv);

struct Command {
  std::string_view name;
  std::string_view help;  // one line
  CommandFn run;
};

int RunCatalog(int argc, char** argv);
int RunShow(int argc, char** argv);
int RunFit(int argc, char** argv);
int RunTrain(int argc, char** argv);
int RunValidate(int argc, char** argv);
int RunCalibrate(int argc, char** argv);
int RunMarket(int argc, char** argv);
int RunPlan(int argc, char** argv);
int RunCompare(int argc, char** argv);
int RunServe(int argc, char** argv);

}  // namespace suanli::cli
