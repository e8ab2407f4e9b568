// `suanli catalog accelerators|systems|models` and `suanli show ID`: parse
// the flags, look the entries up, render them (report/catalog_*).
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/i18n.h"
#include "cli/common.h"
#include "core/text.h"
#include "model/assumptions.h"
#include "report/catalog_json.h"
#include "report/catalog_text.h"

namespace suanli::cli {
namespace {

using nlohmann::json;

constexpr const char* kCatalogExamples = R"(examples:
  suanli catalog accelerators
  suanli catalog systems --json | jq '.systems[].id'
  suanli catalog models
  suanli catalog accelerators --catalog my_cards.yaml   # with your own entries
Every number comes with a source and confidence: `suanli show ID`.)";

constexpr const char* kShowExamples = R"(examples:
  suanli show a800-sxm-80gb
  suanli show A800                       # vendor spellings and aliases work
  suanli show 天垓100
  suanli show llama-2-70b --json
  suanli show path/to/config.json        # a Hugging Face config, imported
  suanli show hgx-h800-8gpu               # a system (server node)
  suanli show assumptions                # the named assumptions of the memory and step models
  suanli show torchtitan                 # a training software stack (docs/stacks.md)
  suanli show vllm                       # a serving engine (data/engines.yaml, docs/serving.md)
Unknown ids exit 2 with the nearest ids suggested.)";

// Returns the parameter counts of each model, in order.
std::vector<ParamCounts> CountAll(const std::vector<ModelSpec>& models) {
  std::vector<ParamCounts> counts;
  for (const ModelSpec& m : models) counts.push_back(CountParams(m));
  return counts;
}

// Lists `what` (accelerators, systems or models) of the --catalog-merged catalog.
Result<int> CatalogBody(const CommonOptions& common, const std::string& what) {
  SUANLI_ASSIGN_OR_RETURN(const Catalog catalog, LoadCatalog(common));
  if (common.json) {
    json items = json::array();
    if (what == "accelerators") {
      for (const Accelerator& a : catalog.accelerators()) items.push_back(AcceleratorJson(a));
    } else if (what == "systems") {
      for (const System& s : catalog.systems()) items.push_back(SystemJson(s));
    } else {
      for (const ModelSpec& m : catalog.models()) items.push_back(ModelJson(m, CountParams(m)));
    }
    PrintJson(json{{what, items}});
    return kExitOk;
  }
  const TableFormat format = common.table_format;
  if (format == TableFormat::kCsv) {  // the CSV contract (docs/reports.md): the JSON's keys and numbers
    std::vector<json> rows;
    if (what == "accelerators") {
      for (const Accelerator& a : catalog.accelerators()) {
        rows.push_back(AcceleratorJson(a));
        rows.back()["key_confidence"] = AcceleratorKeyConfidence(a);
      }
    } else if (what == "systems") {
      for (const System& s : catalog.systems()) rows.push_back(SystemJson(s));
    } else {
      for (const ModelSpec& m : catalog.models()) rows.push_back(ModelJson(m, CountParams(m)));
    }
    PrintCsvRows(rows, {"id", "name"});
    return kExitOk;
  }
  if (TableOnly(common)) {
    if (what == "accelerators") fmt::print("{}", AcceleratorsTable(catalog).RenderAs(format));
    if (what == "systems") fmt::print("{}", SystemsTable(catalog).RenderAs(format));
    if (what == "models") fmt::print("{}", ModelsTable(catalog.models(), CountAll(catalog.models())).RenderAs(format));
    return kExitOk;
  }
  if (what == "accelerators") fmt::print("{}", AcceleratorsText(catalog));
  if (what == "systems") fmt::print("{}", SystemsText(catalog));
  if (what == "models") fmt::print("{}", ModelsText(catalog.models(), CountAll(catalog.models())));
  return kExitOk;
}

// Prints one model, as JSON or text.
int PrintModel(const ModelSpec& model, bool as_json) {
  if (as_json) {
    PrintJson(json{{"kind", "model"}, {"model", ModelJson(model, CountParams(model))}});
  } else {
    fmt::print("{}", ModelText(model, CountParams(model)));
  }
  return kExitOk;
}

// Returns the error for an id nothing in the catalog matches, suggesting the
// nearest ids (aliases count as spellings of their id).
Error UnknownIdError(const Catalog& catalog, const std::string& id) {
  // Nearest ids over the whole catalog (aliases count as spellings of their id).
  std::vector<std::string> spellings, owners;
  for (const Accelerator& a : catalog.accelerators()) {
    spellings.push_back(a.id);
    owners.push_back(a.id);
  }
  for (const System& s : catalog.systems()) {
    spellings.push_back(s.id);
    owners.push_back(s.id);
  }
  for (const ModelSpec& m : catalog.models()) {
    spellings.push_back(m.id);
    owners.push_back(m.id);
  }
  for (const SoftwareStack& stack : BuiltinStacks()) {
    spellings.push_back(stack.id);
    owners.push_back(stack.id);
  }
  if (auto engines = LoadEmbeddedEngines(); engines.ok()) {
    for (const EngineSpec& engine : *engines) {
      spellings.push_back(engine.id);
      owners.push_back(engine.id);
    }
  }
  for (const Accelerator& a : catalog.accelerators()) {
    for (const std::string& alias : a.aliases) {
      spellings.push_back(alias);
      owners.push_back(a.id);
    }
  }
  for (const ModelSpec& m : catalog.models()) {
    for (const std::string& alias : m.aliases) {
      spellings.push_back(alias);
      owners.push_back(m.id);
    }
  }
  std::vector<std::string> nearest;
  for (const std::string& match : NearestMatches(id, spellings, spellings.size())) {
    const size_t index = static_cast<size_t>(
        std::find(spellings.begin(), spellings.end(), match) - spellings.begin());
    if (std::find(nearest.begin(), nearest.end(), owners[index]) == nearest.end()) {
      nearest.push_back(owners[index]);
    }
    if (nearest.size() == 3) break;
  }
  std::string hint = DidYouMean(nearest);
  hint += (hint.empty() ? "" : " ") + Tr("run `suanli catalog accelerators|systems|models` for the lists");
  return MakeError(TrFormat("unknown id '{}'", id), "ID", hint);
}

// Shows the entry `id`: the named assumptions, a model file, or a catalog entry.
Result<int> ShowBody(const CommonOptions& common, const std::string& id) {
  if (TableOnly(common)) {  // show prints one entry's fields, not a table: never the text under another name
    return MakeError(TrFormat("show prints table or json, not {}", common.format), "--format",
                     Tr("use --format table (default) or --json; `suanli catalog ... --format csv` lists the catalog "
                        "as CSV"));
  }
  SUANLI_ASSIGN_OR_RETURN(const Catalog catalog, LoadCatalog(common));
  if (id == "assumptions") {
    if (common.json) {
      PrintJson(json{{"kind", "assumptions"}, {"assumptions", AssumptionsJson(ModelAssumptions())}});
    } else {
      fmt::print("{}", AssumptionsText(ModelAssumptions()));
    }
    return kExitOk;
  }
  // A model on disk or a preset resolves as --model does (ResolveModelArg):
  // a folder of a preset's name without a config.json gets the same note, one
  // of no preset's name the same error.
  auto show_model = [&]() -> Result<int> {
    std::vector<std::string> notes;
    SUANLI_ASSIGN_OR_RETURN(const ModelSpec model, ResolveModelArg(catalog, id, &notes));
    for (const std::string& note : notes) PrintNote(note);
    return PrintModel(model, common.json);
  };
  if (LooksLikeModelPath(id)) return show_model();
  if (auto accelerator = catalog.FindAccelerator(id); accelerator.ok()) {
    if (common.json) {
      json out = AcceleratorJson(**accelerator);
      out["notes"] = (*accelerator)->notes;
      PrintJson(json{{"kind", "accelerator"}, {"accelerator", out}});
    } else {
      fmt::print("{}", AcceleratorText(**accelerator));
    }
    return kExitOk;
  }
  if (auto system = catalog.FindSystem(id); system.ok()) {
    if (common.json) {
      json out = SystemJson(**system);
      out["notes"] = (*system)->notes;
      PrintJson(json{{"kind", "system"}, {"system", out}});
    } else {
      fmt::print("{}", SystemText(**system));
    }
    return kExitOk;
  }
  if (catalog.FindModel(id).ok()) return show_model();
  if (auto engines = LoadEmbeddedEngines(); engines.ok() && !id.empty()) {
    if (auto engine = FindEngine(*engines, id); engine.ok()) {
      if (common.json) {
        PrintJson(json{{"kind", "engine"}, {"engine", EngineJson(**engine)}});
      } else {
        fmt::print("{}", EngineText(**engine));
      }
      return kExitOk;
    }
  }
  if (auto stack = FindStack(id); !id.empty() && stack.ok()) {
    if (common.json) {
      PrintJson(json{{"kind", "stack"}, {"stack", StackJson(**stack)}});
    } else {
      fmt::print("{}", StackText(**stack));
    }
    return kExitOk;
  }
  std::error_code ec;
  if (!id.empty() && std::filesystem::exists(id, ec)) return show_model();
  return UnknownIdError(catalog, id);
}

}  // namespace

int RunCatalog(int argc, char** argv) {
  CLI::App app{Tr("List the catalog: accelerators, systems or model presets with key figures."),
               "suanli catalog"};
  CommonOptions common;
  std::string what;
  AddCommonOptions(app, common);
  app.add_option("what", what, Tr("accelerators | systems | models"))
      ->required()
      ->check(CLI::IsMember({"accelerators", "systems", "models"}));
  app.footer(Tr(kCatalogExamples));
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  return ExitCode("catalog", CatalogBody(common, what));
}

int RunShow(int argc, char** argv) {
  CLI::App app{Tr("Show one catalog entry (accelerator, system, model preset, software stack or serving "
                  "engine) or a model file with every field, its unit, its source and its confidence."),
               "suanli show"};
  CommonOptions common;
  std::string id;
  AddCommonOptions(app, common);
  app.add_option("id", id, Tr("catalog id, vendor spelling, stack or engine id, or a path to config.json / model YAML"))
      ->required();
  app.footer(Tr(kShowExamples));
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  return ExitCode("show", ShowBody(common, id));
}

}  // namespace suanli::cli
