// Fuzz target: a quote file imported into a fresh seeded SQLite quote store in a temporary
// folder, then listed. An input whose first line holds a ',' is written as a .csv file (the
// streamed CSV import), any other as .yaml. Findings besides crashes and hangs (each aborts):
// - an import that fails (an error, or rows rejected) changes the store: its quotes, FX rates
//   or import log differ from before;
// - an import that succeeds adds other than `imported` quotes and one log row;
// - the stored quotes cannot be read back, filtered for a buyer or written as JSON (invalid
//   UTF-8 in the store);
// - after a success, an export of the whole store does not import into a new store exactly.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "market/store.h"
#include "report/market_json.h"

namespace {

namespace fs = std::filesystem;

// What must not change when an import fails.
struct Snapshot {
  std::vector<suanli::Quote> all;  // every stored quote
  std::string quotes_csv;  // every stored quote, as QuotesToCsv writes them
  size_t quotes = 0;       // number of stored quotes
  size_t fx_rates = 0;     // number of stored FX rates
  int log_rows = 0;        // import_log rows
};

[[noreturn]] void Finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "store import: %s%s%s\n", what, detail.empty() ? "" : ": ", detail.c_str());
  std::abort();
}

// The folder holding the template store and each run's copy; made once per process
// (in /dev/shm when there is one: SQLite syncs each commit).
const fs::path& WorkDir() {
  static const fs::path dir = [] {
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    fs::path made = base / ("suanli_fuzz_store_" + std::to_string(::getpid()));
    fs::remove_all(made);
    fs::create_directories(made);
    return made;
  }();
  return dir;
}

// The shipped seed market with only its first kSeedQuotes quotes: enough for the seed-id
// checks of an import, while each run reads and lists a few quotes instead of all of them.
constexpr size_t kSeedQuotes = 4;

const suanli::Market& Seed() {
  static const suanli::Market seed = [] {
    auto market = suanli::LoadSeedMarket();
    if (!market.ok()) Finding("seed market", market.error().ToString());
    if (market->quotes.size() > kSeedQuotes) market->quotes.resize(kSeedQuotes);
    return std::move(*market);
  }();
  return seed;
}

// Returns the path of a seeded store built once per process (closed, so its WAL is folded in).
const fs::path& TemplateStore() {
  static const fs::path path = [] {
    fs::path made = WorkDir() / "template.db";
    suanli::StoreOptions options;
    options.seed = &Seed();
    auto store = suanli::QuoteStore::Open(made.string(), options);
    if (!store.ok()) Finding("creating the template store", store.error().ToString());
    return made;
  }();
  return path;
}

// Copies the template store to `name` in the work folder; returns the open store.
suanli::QuoteStore FreshStore(const std::string& name) {
  const fs::path path = WorkDir() / name;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path.string() + suffix);
  fs::copy_file(TemplateStore(), path);
  suanli::StoreOptions options;
  options.seed = &Seed();
  auto store = suanli::QuoteStore::Open(path.string(), options);
  if (!store.ok()) Finding("opening a copy of the template store", store.error().ToString());
  return std::move(*store);
}

Snapshot Take(const suanli::QuoteStore& store) {
  auto quotes = store.AllQuotes();
  if (!quotes.ok()) Finding("listing the store", quotes.error().ToString());
  auto fx = store.Fx();
  if (!fx.ok()) Finding("reading FX rates", fx.error().ToString());
  auto log_rows = store.ImportLogCount();
  if (!log_rows.ok()) Finding("counting the import log", log_rows.error().ToString());
  std::string csv = suanli::QuotesToCsv(*quotes);
  const size_t count = quotes->size();
  return {std::move(*quotes), std::move(csv), count, fx->rates().size(), *log_rows};
}

// Lists the store as `market list` does: filtered for a buyer in CN and written as JSON
// (nlohmann throws on invalid UTF-8, which escapes as a crash).
void List(const std::vector<suanli::Quote>& quotes) {
  suanli::QuoteFilter filter;
  filter.region = "CN";
  const suanli::QuoteListing listing = suanli::FilterQuotes(quotes, Seed().rules, filter);
  if (listing.quotes.size() + listing.excluded.size() != quotes.size()) Finding("the listing lost quotes", "");
  (void)suanli::QuotesJson(quotes).dump();
}

// Exports the whole store and imports the export into a new seeded store: it must be accepted
// and give back the same quotes.
void CheckExportImport(const Snapshot& after) {
  const std::string export_file = (WorkDir() / "export.csv").string();
  std::ofstream(export_file, std::ios::binary) << after.quotes_csv;
  suanli::QuoteStore copy = FreshStore("round-trip.db");
  auto imported = copy.ImportFile(export_file, nullptr);
  if (!imported.ok()) Finding("re-importing the store's export", imported.error().ToString());
  if (!imported->rejected.empty())
    Finding("re-importing the store's export rejected a row", imported->rejected.front().ToString());
  if (Take(copy).quotes_csv != after.quotes_csv) Finding("the export round trip changed the quotes", "");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string_view first_line = text.substr(0, text.find('\n'));
  const bool csv = first_line.find(',') != std::string_view::npos;
  const std::string file = (WorkDir() / (csv ? "input.csv" : "input.yaml")).string();
  std::ofstream(file, std::ios::binary | std::ios::trunc).write(text.data(), static_cast<std::streamsize>(size));

  suanli::QuoteStore store = FreshStore("store.db");
  const Snapshot before = Take(store);
  auto report = store.ImportFile(file, nullptr);
  const Snapshot after = Take(store);
  const bool failed = !report.ok() || !report->rejected.empty();
  if (failed) {
    if (after.quotes_csv != before.quotes_csv || after.fx_rates != before.fx_rates || after.log_rows != before.log_rows)
      Finding("a failed import changed the store", report.ok() ? report->rejected.front().ToString()
                                                               : report.error().ToString());
  } else {
    if (after.quotes != before.quotes + static_cast<size_t>(report->imported) || after.log_rows != before.log_rows + 1)
      Finding("an import stored other than what it reported", "");
    if (report->imported + report->skipped != report->rows)
      Finding("an accepted import did not account for every row", "");
  }
  List(after.all);
  if (!failed && report->imported > 0) CheckExportImport(after);
  return 0;
}
