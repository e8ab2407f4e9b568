// Shared pieces of the commands: common flags, catalog loading, model
// resolution, parallel flags, error reporting and JSON printing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "core/i18n.h"
#include "core/result.h"
#include "model/perf.h"
#include "report/output.h"
#include "validate/runs_csv.h"
#include "workload/layout_defaults.h"
#include "workload/model_spec.h"
#include "workload/parallel.h"
#include "workload/stack.h"

namespace suanli::cli {

struct ParallelFlags;

struct CommonOptions {
  bool json = false;                       // --json (or --format json): machine output only on stdout
  std::vector<std::string> catalog_files;  // --catalog FILE (repeatable)
  std::string lang;                        // --lang zh|en (main applies it before the command runs)
  std::string format = "table";            // --format table|json|csv|md
  TableFormat table_format = TableFormat::kTable;  // --format, parsed
  std::string output;                      // --output FILE: stdout goes to FILE
  bool quiet = false;                      // --quiet: no notes or progress on stderr
};

// Returns whether --format asks for the command's main table alone (csv or md).
bool TableOnly(const CommonOptions& common);

// Registers --json, --format, --output, --quiet, --lang and --catalog on
// `app`; once parsed, they set the process's OutputSettings (report/output.h),
// enable progress lines (stderr a terminal, not JSON, not quiet) and send
// stdout to --output.
void AddCommonOptions(CLI::App& app, CommonOptions& options);

// Returns the language --lang / --lang=X in argv names, else the environment's
// (LanguageFromEnvironment); the error names --lang. main() calls it before
// building any command so option help is in that language too.
Result<Language> LanguageOfArgs(int argc, char** argv);

// Prints one line per option of `app` ("--tp", "--model", ...): the source of
// the shell completions (suanli completion bash|zsh).
void PrintOptionNames(const CLI::App& app);

// Registers --assume NAME=VALUE (repeatable): what-if values of the step
// model's named assumptions.
void AddAssumeOption(CLI::App& app, std::vector<std::string>& assignments);

// Returns the default step-model assumptions with each --assume applied.
Result<PerfAssumptions> MakePerfAssumptions(const std::vector<std::string>& assignments);

// Returns "what-if: a, b\n" naming the --assume values, or "" without any.
std::string AssumedText(const std::vector<std::string>& assignments);

// Which --stack a command defaults to: `auto` (each accelerator's own platform
// stack) for fit, train and compare; megatron for validate and calibrate, whose
// rows with a blank stack column read as megatron (docs/validation.md).
enum class StackDefault { kAuto, kMegatron };

// Registers --stack ID: the training software stack (data/stacks.yaml), its
// help naming the default.
void AddStackOption(CLI::App& app, std::string& stack, StackDefault default_stack);

// Returns the stack --stack names and sets `flags.attention` to the stack's
// kernel unless --attention was given, and --zero / --recompute defaults the
// stack does not offer to ones it does; the error lists the known stacks.
Result<const SoftwareStack*> UseStackFlag(const std::string& stack, const CLI::App& app, ParallelFlags& flags);

// Applies what `stack` does on `accelerator`: a stack whose platforms leave
// the device out is an error at --stack (exit 2); a fitted efficiency that
// does not apply on its platform is noted (1.0 is used); the attention kernel
// becomes the platform's (noted when --attention asked for another). Sets
// the stack's step terms in `assumptions` when not null.
Status UseStackOn(const SoftwareStack& stack, const Accelerator& accelerator, const CLI::App& app,
                  ParallelFlags& flags, PerfAssumptions* assumptions);

// Sets `config`'s recompute to what `stack` runs for the mode asked
// (StackRecomputeOf) and notes the change on stderr.
void UseStackRecompute(const SoftwareStack& stack, const ModelSpec& model, ParallelConfig& config);

// Notes on stderr when `stack` runs its "selective" otherwise than Megatron
// and a search may choose it (`asked`: the pinned --recompute, if any).
void NoteStackSelective(const SoftwareStack& stack, std::optional<Recompute> asked);

// Notes on stderr when `tokens` (the sequence `flag` gives) exceed the
// context `model` was trained on; the estimate is still made.
void NoteBeyondContext(const ModelSpec& model, int64_t tokens, std::string_view flag);

// Returns the first of `flags` given on the command line, or "" when none
// was: the flags a mode ignores are refused by the commands (exit 2).
std::string FirstGiven(const CLI::App& app, std::initializer_list<const char*> flags);

// Prints "note: <text>" on stderr unless --quiet.
void PrintNote(const std::string& text);

// Checks --precision against `accelerator`'s catalog peaks: a precision it
// lacks is an error naming the ones it has (exit 2); the default bf16 on a
// part without bf16 but with fp16 (V100, T4) becomes fp16 with a note.
Status UsePrecisionFlag(const Accelerator& accelerator, const CLI::App& app, ParallelFlags& flags);

// Returns an error at `flag` when `accelerator` has no catalog peak at
// `asked`, naming the precisions it has (train's and compare's refusal).
Status CheckPrecisionOn(const Accelerator& accelerator, Precision asked, std::string_view flag);

// Gives the runs whose `stack` column is blank the stack --stack names
// (nothing without --stack) and returns the id blank rows read as (megatron
// without --stack); the error lists the known stacks.
Result<std::string> UseStackForBlankRuns(const std::string& stack, RunsFile& runs);

// Registers the required --model (preset id, config.json or YAML file) and,
// when `accel` is not null, the required --accel (accelerator id or spelling).
void AddModelOptions(CLI::App& app, std::string& model, std::string* accel);

// Parses argv with CLI11; returns the exit code to use when parsing ended the
// command (help printed → 0, bad usage → 2), or nullopt to continue.
std::optional<int> ParseArgs(CLI::App& app, int argc, char** argv);

// Returns the embedded catalog merged with the --catalog files.
Result<Catalog> LoadCatalog(const CommonOptions& options);

// Returns the model of --model (ResolveModelArg: a file or model folder on disk
// wins over a preset of the same name), printing on stderr, unless --quiet,
// a note when a preset shared the name and when MTP modules go uncounted.
Result<ModelSpec> ResolveModel(const Catalog& catalog, const std::string& model_arg);

// Prints "suanli <command>: error: <where>: <message> (<hint>)" on stderr;
// returns kExitBadInput.
int ReportError(std::string_view command, const Error& error);

// The one place a command's error becomes stderr and an exit code: returns
// the body's exit code (kExitOk, kExitInfeasible), or ReportError's
// kExitBadInput when the body failed. Usage:
//   return ExitCode("train", RunTrainBody(flags));
int ExitCode(std::string_view command, const Result<int>& body);

// Returns the training tokens --tokens gives ("2T", "300B", "1.5e12"), 0 when
// `text` is empty; the error names --tokens and the accepted range.
Result<double> ParseTokensFlag(const std::string& text);

// Returns the region code a --region/--buyer flag names (an alias such as
// "China" is read as CN, said on stderr); errors name `flag` and list the codes.
Result<std::string> RegionFlag(const std::string& text, std::string_view flag);
// Returns a --currency/--from/--to value in the form the market uses
// (market/market.h NormalizeCurrency: "usd" -> "USD"); a CLI11 transform.
std::string CurrencyCode(std::string text);

// Prints `error` as ReportError does; returns kExitInfeasible: the question
// was well formed but has no answer (compare: the reference cluster cannot
// train the model).
int ReportInfeasible(std::string_view command, const Error& error);

// Prints "suanli <command>: bad row: <where>: <message>" on stderr for each
// row of a runs file that could not be read; returns kExitBadInput when there
// is any, else kExitOk when something was `answered`, else kExitInfeasible.
int FinishRuns(std::string_view command, bool answered, const std::vector<BadRow>& bad_rows);

// Version of the JSON documents every command prints ("schema_version"):
// raised when a field is removed or changes meaning (docs/reports.md §Schema versions).
inline constexpr int kJsonSchemaVersion = 2;

// Prints `value` as indented JSON followed by a newline on stdout; an object
// gains "schema_version" first.
void PrintJson(const nlohmann::json& value);

// Prints `rows` (JSON objects with the command's English keys) as one CSV
// table on stdout: the CSV contract of docs/reports.md (JsonRowsTable), the
// keys of `first` in front.
void PrintCsvRows(const std::vector<nlohmann::json>& rows, const std::vector<std::string>& first);

// Prints `value` as PrintJson does, with "assumed": the --assume values when
// there are any.
void PrintJsonAssumed(nlohmann::json value, const std::vector<std::string>& assumed);

// kMaxDevices and kMaxGlobalBatch (the bounds of --gpus, each parallel size
// and --global-batch) come from workload/layout_defaults.h.

// Parallel-layout flags shared by fit and train (docs/architecture.md, the CLI contract).
struct ParallelFlags {
  int tp = 1, pp = 1, cp = 1, ep = 1, vp = 1;
  int expert_tp = 0;      // 0 = tp (experts split like dense layers), 1 = whole experts, ep folded over tp
  std::optional<int> dp;  // derived from --gpus when absent
  int micro_batch = 1;
  std::optional<int> global_batch;
  int seq_len = 0;        // 0 = the model's default training length (capped at 4096)
  std::string sequence_parallel = "on";  // on|off (Megatron SP when tp > 1)
  int recompute_layers = 0;              // with --recompute full: layers per stage (0 = all)
  std::string dp_overlap = "on";         // on|off (overlap DP communication with compute)
  std::string attention = "flash";       // flash|flash2|unfused (see AttentionKernel)
  std::string ep_overlap = "off";        // on|off (expert all-to-all hidden behind another micro-batch)
  std::string recompute = "selective";
  int zero = 1;
  std::string precision = "bf16";
  std::string offload = "none";  // --offload none|optimizer (ZeRO-Offload: optimizer states and step on the host)
};

// Applies --offload: `optimizer` moves the optimizer states (and, from ZeRO
// 2, the gradient partition) to host memory in `memory` and the optimizer
// step to the host in `assumptions` (when not null). An error at --offload
// (exit 2) when `stack` has no optimizer offload or --zero is 0 (offload is
// a ZeRO option).
Status UseOffloadFlag(const ParallelFlags& flags, const SoftwareStack& stack, MemoryOptions& memory,
                      PerfAssumptions* assumptions);

// Returns "try X, Y or Z": what might make a training layout of `model`
// that does not fit in `usable_bytes` fit, leaving out what `config` already
// sets (--zero 3, --recompute full, --offload optimizer in `memory_options`),
// what `stack` does not offer and --zero 3 with one data-parallel rank;
// --ep for a MoE model at ep 1 (ExpertParallelHint: the value that fits, if
// one does); offload when the stack has it and the model states outweigh the
// activations, a shorter --seq-len when the activations do; "--search" first
// when `search` is available. Translated.
std::string NoFitAdvice(const SoftwareStack& stack, const ModelSpec& model, const ParallelConfig& config,
                        const MemoryBreakdown& memory, const MemoryOptions& memory_options, double usable_bytes,
                        bool search);

// Prints a note when --global-batch times the sequence length is implausibly
// many tokens per step (workload/layout_defaults.h LargeGlobalBatchNote): it
// counts sequences.
void NoteLargeGlobalBatch(const ModelSpec& model, const ParallelFlags& flags);

// Registers --tp --pp --dp --cp --ep --vp --micro-batch --global-batch
// --seq-len --recompute --zero --precision.
void AddParallelFlags(CLI::App& app, ParallelFlags& flags);

// Returns the layout the flags ask for (names parsed); errors name the flag.
Result<LayoutRequest> MakeLayoutRequest(const ParallelFlags& flags);

// Returns the complete layout for `gpus` devices: MakeLayoutRequest, then
// CompleteLayout (workload/layout_defaults.h); errors name the violated
// constraint (tp*pp*dp*cp != gpus, tp not dividing heads, ...).
Result<ParallelConfig> MakeParallelConfig(const ParallelFlags& flags, const ModelSpec& model,
                                          int gpus);

}  // namespace suanli::cli
