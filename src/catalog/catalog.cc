// The Catalog: loading the embedded data files and user files (all or
// nothing), merging by id and forgiving lookups (ids, aliases, vendor
// spellings); the entry schemas are read in catalog_yaml.cc.
#include "catalog/catalog.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/embedded.h"
#include "core/text.h"
#include "core/units.h"
#include "core/yaml_reader.h"
#include "catalog/catalog_yaml.h"
#include "workload/hf_quant.h"
#include "workload/model_io.h"
#include "core/i18n.h"

namespace suanli {
namespace {


template <class T>
void MergeById(std::vector<T>& into, std::vector<T> from) {
  for (T& item : from) {
    auto it = std::find_if(into.begin(), into.end(), [&](const T& x) { return x.id == item.id; });
    if (it != into.end()) {
      *it = std::move(item);
    } else {
      into.push_back(std::move(item));
    }
  }
}

// Finds an entry by id, normalised id, alias or name; the error suggests the
// nearest ids (aliases count as spellings of their id).
template <class T, class AliasFn>
Result<const T*> FindEntry(const std::vector<T>& items, std::string_view query,
                           std::string_view kind, std::string_view list_command, AliasFn aliases) {
  for (const T& item : items) {
    if (item.id == query) return &item;
  }
  const std::string normalized = NormalizeId(query);
  for (const T& item : items) {
    if (NormalizeId(item.id) == normalized) return &item;
  }
  for (const T& item : items) {
    for (const std::string& alias : aliases(item)) {
      if (NormalizeId(alias) == normalized) return &item;
    }
  }
  for (const T& item : items) {
    if (NormalizeId(item.name) == normalized) return &item;
  }
  std::vector<std::string> spellings;
  std::vector<std::string> owner;
  for (const T& item : items) {
    spellings.push_back(item.id);
    owner.push_back(item.id);
  }
  for (const T& item : items) {
    for (const std::string& alias : aliases(item)) {
      spellings.push_back(alias);
      owner.push_back(item.id);
    }
  }
  std::vector<std::string> nearest;
  for (const std::string& match : NearestMatches(query, spellings, spellings.size())) {
    const size_t index = static_cast<size_t>(
        std::find(spellings.begin(), spellings.end(), match) - spellings.begin());
    const std::string& id = owner[index];
    if (std::find(nearest.begin(), nearest.end(), id) == nearest.end()) nearest.push_back(id);
    if (nearest.size() == 3) break;
  }
  std::string hint = DidYouMean(nearest);
  const std::string listing = TrFormat("run `suanli catalog {}` for the list", list_command);
  hint = hint.empty() ? listing : hint + " " + listing;
  const std::string message = kind == "accelerator" ? TrFormat("unknown accelerator '{}'", query)
                              : kind == "system"    ? TrFormat("unknown system '{}'", query)
                                                    : TrFormat("unknown model '{}'", query);
  return MakeError(message, std::string(kind), hint);
}

// Returns the words of a spelling, lower-case, split at spaces, '-', '_' and '/'.
std::vector<std::string> NameWords(std::string_view text) {
  std::vector<std::string> words(1);
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '_' || c == '/') {
      if (!words.back().empty()) words.emplace_back();
    } else {
      words.back().push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

// Returns true when the words of `query` begin the words of `spelling`.
bool WordsBegin(const std::vector<std::string>& query, std::string_view spelling) {
  const std::vector<std::string> words = NameWords(spelling);
  return !query.empty() && query.size() <= words.size() && std::equal(query.begin(), query.end(), words.begin());
}

// Returns "a100-sxm-80gb (80 GiB)": the id with its memory.
std::string VariantLabel(const Accelerator& a) {
  return fmt::format("{} ({})", a.id, FormatBytes(a.memory_bytes));
}

}  // namespace


Result<Catalog> Catalog::LoadEmbedded() {
  Catalog catalog;
  for (const char* name : {"accelerators.yaml", "systems.yaml", "models.yaml"}) {
    const std::string_view text = FindEmbeddedFile(name);
    if (text.empty()) continue;
    SUANLI_RETURN_IF_ERROR(catalog.MergeText(text, std::string("data/") + name));
  }
  return catalog;
}

Status Catalog::MergeFile(const std::string& path) {
  SUANLI_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(path));
  return MergeText(text, path);
}

Status Catalog::MergeText(std::string_view text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(YAML::Node root, ParseYaml(text, file_name));
  if (root.IsNull()) return OkStatus();  // an empty file (or comments only)
  YamlMap top(root, file_name, "");
  SUANLI_RETURN_IF_ERROR(top.CheckKeys({"accelerators", "systems", "models"}));
  // Parse everything first so a failing file leaves the catalog unchanged.
  std::vector<Accelerator> accelerators = accelerators_;
  if (top.Has("accelerators")) {
    SUANLI_ASSIGN_OR_RETURN(std::vector<Accelerator> parsed, ParseAcceleratorList(top));
    MergeById(accelerators, std::move(parsed));
  }
  std::vector<System> systems = systems_;
  if (top.Has("systems")) {
    SUANLI_ASSIGN_OR_RETURN(std::vector<System> parsed, ParseSystemList(top, &accelerators));
    MergeById(systems, std::move(parsed));
  }
  std::vector<ModelSpec> models = models_;
  if (top.Has("models")) {
    SUANLI_ASSIGN_OR_RETURN(std::vector<ModelSpec> parsed, ParseModelList(text, file_name));
    MergeById(models, std::move(parsed));
  }
  accelerators_ = std::move(accelerators);
  systems_ = std::move(systems);
  models_ = std::move(models);
  return OkStatus();
}

Result<const Accelerator*> Catalog::FindAccelerator(std::string_view query) const {
  return FindEntry(accelerators_, query, "accelerator", "accelerators",
                   [](const Accelerator& a) -> const std::vector<std::string>& { return a.aliases; });
}

std::string Catalog::AmbiguousAcceleratorNote(std::string_view query) const {
  Result<const Accelerator*> found = FindAccelerator(query);
  if (!found.ok() || NormalizeId((*found)->id) == NormalizeId(query)) return "";
  const std::vector<std::string> words = NameWords(query);
  std::vector<std::string> others;
  for (const Accelerator& a : accelerators_) {
    if (&a == *found) continue;
    bool begins = WordsBegin(words, a.id);
    for (const std::string& alias : a.aliases) begins = begins || WordsBegin(words, alias);
    if (begins) others.push_back(VariantLabel(a));
  }
  if (others.empty()) return "";
  return TrFormat("'{}' names several catalog accelerators: using {}; the others are {}; name the card you will "
                  "get by its id (e.g. {}) to size memory and speed for it",
                  query, VariantLabel(**found), Join(others, ", "), others.front().substr(0, others.front().find(' ')));
}

Result<const System*> Catalog::FindSystem(std::string_view query) const {
  static const std::vector<std::string> kNone;
  return FindEntry(systems_, query, "system", "systems",
                   [](const System&) -> const std::vector<std::string>& { return kNone; });
}

Result<const ModelSpec*> Catalog::FindModel(std::string_view query) const {
  return FindEntry(models_, query, "model", "models",
                   [](const ModelSpec& m) -> const std::vector<std::string>& { return m.aliases; });
}

Status Catalog::SetGemmEfficiency(std::string_view accelerator_id, double fraction) {
  if (!(fraction > 0.0 && fraction <= 1.0)) {
    return MakeError(TrFormat("GEMM fraction {} is outside (0, 1]", fraction), "efficiency.gemm");
  }
  for (Accelerator& a : accelerators_) {
    if (a.id == accelerator_id) {
      a.efficiency.gemm = fraction;
      return OkStatus();
    }
  }
  return MakeError(TrFormat("no accelerator with id '{}'", accelerator_id), "accelerator");
}

Result<const System*> Catalog::FindSystemFor(std::string_view query, const Accelerator& accelerator) const {
  SUANLI_ASSIGN_OR_RETURN(const System* system, FindSystem(query));
  if (system->accelerator_id == accelerator.id) return system;
  std::vector<std::string> holding;
  for (const System& s : systems_) {
    if (s.accelerator_id == accelerator.id) holding.push_back(s.id);
  }
  const std::string hint = holding.empty()
                               ? Tr("leave --system out: no system in the catalog holds it")
                               : TrFormat("leave --system out, or use one that holds it: {}", fmt::join(holding, ", "));
  return MakeError(TrFormat("system {} holds {}, not {}", system->id, system->accelerator_id, accelerator.id),
                   "--system", hint);
}

const System* Catalog::DefaultSystemFor(std::string_view accelerator_id) const {
  for (const System& system : systems_) {
    if (system.accelerator_id == accelerator_id) return &system;
  }
  return nullptr;
}

}  // namespace suanli

namespace suanli {

namespace {

// Returns the config.json of a downloaded model folder, or "" when `arg` is not one.
std::string ModelFolderConfig(const std::string& arg) {
  std::error_code ec;
  if (!std::filesystem::is_directory(arg, ec)) return "";
  const std::filesystem::path config = std::filesystem::path(arg) / "config.json";
  return std::filesystem::is_regular_file(config, ec) ? config.string() : "";
}

// Returns a spelling of `preset` (its id, else an alias) that names nothing on
// disk, or "" when every one does.
std::string UnambiguousSpelling(const ModelSpec& preset) {
  std::error_code ec;
  if (!std::filesystem::exists(preset.id, ec)) return preset.id;
  for (const std::string& alias : preset.aliases) {
    if (!std::filesystem::exists(alias, ec)) return alias;
  }
  return "";
}

// Returns the note for `model_arg` naming both `what` on disk and `preset`.
std::string ShadowedPresetNote(const std::string& model_arg, const std::string& what, const ModelSpec& preset) {
  const std::string spelling = UnambiguousSpelling(preset);
  const std::string how = spelling.empty() ? Tr("rename or move it to use the preset")
                                           : TrFormat("write {} for the preset", spelling);
  return TrFormat("'{}' is both {} and the preset {}: reading it from disk; {}", model_arg, what, preset.id, how);
}

}  // namespace

bool LooksLikeModelPath(const std::string& arg) {
  std::error_code ec;
  return std::filesystem::is_regular_file(arg, ec) || !ModelFolderConfig(arg).empty() ||
         arg.find('/') != std::string::npos || arg.ends_with(".json") || arg.ends_with(".yaml") ||
         arg.ends_with(".yml");
}

Result<ModelSpec> ResolveModelArg(const Catalog& catalog, const std::string& model_arg,
                                  std::vector<std::string>* notes) {
  std::error_code ec;
  // A Hugging Face repo id ("meta-llama/Llama-2-7b-hf") looks like a path
  // but may be a preset's alias; what exists on disk wins over it (a folder
  // made by `huggingface-cli download --local-dir Llama-3-8B`), with a note.
  auto preset = catalog.FindModel(model_arg);
  auto note = [&](std::string line) {
    if (notes != nullptr) notes->push_back(std::move(line));
  };
  // A model file's checkpoint format (quantization_config) is said where it is read.
  const auto load_file = [&](const std::string& path) -> Result<ModelSpec> {
    Result<ModelSpec> model = LoadModelFile(path);
    if (model.ok()) {
      for (const std::string& line : model->read_notes) note(line);
      for (std::string& line : CheckpointNotes(*model)) note(std::move(line));
    }
    return model;
  };
  if (std::filesystem::is_regular_file(model_arg, ec)) {
    if (preset.ok()) note(ShadowedPresetNote(model_arg, TrFormat("the file {}", model_arg), **preset));
    return load_file(model_arg);
  }
  if (const std::string config = ModelFolderConfig(model_arg); !config.empty()) {
    if (preset.ok()) {
      note(ShadowedPresetNote(model_arg, TrFormat("the model folder {} (its config.json)", model_arg), **preset));
    }
    return load_file(config);
  }
  if (preset.ok()) {
    if (std::filesystem::exists(model_arg, ec)) {
      note(TrFormat("'{}' is a folder without a config.json: using the preset {}", model_arg, (*preset)->id));
    }
    return **preset;
  }
  // A folder without a config.json is not a model: say what it lacks.
  if (std::filesystem::is_directory(model_arg, ec)) {
    return MakeError(Tr("the folder has no config.json, so it is no model"), model_arg,
                     Tr("put the model's config.json in it (huggingface-cli download REPO config.json --local-dir "
                        "FOLDER), or give a config.json, a YAML model file or a preset id"));
  }
  // Anything else that exists gets the reader's own reason.
  if (std::filesystem::exists(model_arg, ec)) return load_file(model_arg);
  if (LooksLikeModelPath(model_arg)) {
    return MakeError(Tr("model file not found"), model_arg, Tr("check the path, or give a preset id"));
  }
  return preset.error();
}

}  // namespace suanli
