// Export facts of catalog accelerators and the 3A090 criteria (market/export_rules.h).
#include <algorithm>
#include <cctype>

#include "catalog/catalog.h"
#include "core/text.h"
#include "market/export_rules.h"

#include "core/precision.h"

namespace suanli {
namespace {

// Returns the lower-case words (runs of letters and digits) of `text`.
std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

}  // namespace

int TppBitLength(Precision precision) {
  return static_cast<int>(8.0 * BytesPerElement(precision));  // fp32/tf32 32, bf16/fp16 16, fp8/int8 8, fp4/int4 4
}

double TotalProcessingPerformance(const Accelerator& accelerator) {
  // 3A090 Technical Note 1 (15 CFR 774 Supp. 1, as of the 2022-10-07 and
  // 2023-10-17 IFRs): TPP = 2 x MacTOPS x bit length of the operation,
  // aggregated over the processing units, the highest value over the
  // precisions the part supports. The catalog keeps dense peaks in FLOP/s
  // (a MAC counted as 2), so 2 x MacTOPS = peak / 1e12.
  double tpp = 0;
  for (Precision p : AllPrecisions()) {
    const double tops = accelerator.PeakFlops(p) / 1e12;
    tpp = std::max(tpp, tops * TppBitLength(p));
  }
  return tpp;
}

AcceleratorExportFacts ExportFactsOf(const Accelerator& accelerator) {
  AcceleratorExportFacts facts;
  facts.id = accelerator.id;
  facts.vendor = accelerator.vendor;
  facts.tpp = TotalProcessingPerformance(accelerator);
  // The catalog's scale-up rate is per direction; 3A090 (2022) counts both.
  facts.io_bidirectional_GBps = 2 * accelerator.scale_up_Bps / 1e9;
  return facts;  // the catalog has no die areas: die_area_mm2 stays 0 (unknown)
}

std::vector<AcceleratorExportFacts> ExportFactsOf(const std::vector<Accelerator>& accelerators) {
  std::vector<AcceleratorExportFacts> out;
  out.reserve(accelerators.size());
  for (const Accelerator& a : accelerators) out.push_back(ExportFactsOf(a));
  return out;
}

const std::vector<AcceleratorExportFacts>& EmbeddedExportFacts() {
  static const std::vector<AcceleratorExportFacts> facts = [] {
    auto catalog = Catalog::LoadEmbedded();
    return catalog.ok() ? ExportFactsOf(catalog->accelerators()) : std::vector<AcceleratorExportFacts>{};
  }();
  return facts;
}

bool MeetsCriteria(const ExportCriteria& criteria, const AcceleratorExportFacts& facts) {
  if (!criteria.Any()) return false;
  if (!criteria.vendors.empty() &&
      std::none_of(criteria.vendors.begin(), criteria.vendors.end(),
                   [&](const std::string& v) { return ToLower(v) == ToLower(facts.vendor); }))
    return false;
  // Compared with a relative tolerance of 1e-9 so a TPP computed as
  // 4800.0000001 or 4799.9999999 from rounded peaks reads as the line.
  const auto at_least = [](double value, double line) { return value >= line * (1 - 1e-9); };
  if (criteria.tpp_at_least > 0 && at_least(facts.tpp, criteria.tpp_at_least) &&
      (criteria.io_at_least_GBps <= 0 || at_least(facts.io_bidirectional_GBps, criteria.io_at_least_GBps)))
    return true;
  if (criteria.density_tpp_at_least > 0 && facts.die_area_mm2 > 0 &&
      at_least(facts.tpp, criteria.density_tpp_at_least) &&
      at_least(facts.tpp / facts.die_area_mm2, criteria.density_at_least))
    return true;
  return false;
}

std::vector<std::string> SkuFamily(std::string_view name, const std::vector<AcceleratorExportFacts>& facts) {
  for (const AcceleratorExportFacts& f : facts)
    if (ToLower(f.id) == ToLower(name)) return {f.id};
  const std::vector<std::string> words = Words(name);
  std::vector<std::string> out;
  if (words.empty()) return out;
  for (const AcceleratorExportFacts& f : facts) {
    const std::vector<std::string> id_words = Words(f.id);
    if (id_words.empty() || id_words.front() != words.front()) continue;
    const bool all = std::all_of(words.begin(), words.end(), [&](const std::string& w) {
      return std::find(id_words.begin(), id_words.end(), w) != id_words.end();
    });
    if (all) out.push_back(f.id);
  }
  return out;
}

}  // namespace suanli
