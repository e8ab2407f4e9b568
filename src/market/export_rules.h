// What an export rule covers beyond the SKUs it names: the performance
// criteria of ECCN 3A090 (BIS rules of 2022-10-07 and 2023-10-17) checked
// against each catalog accelerator's export facts (its TPP from the
// catalog's dense peaks), and the family of a SKU name ("H200" covers every
// H200 card of the catalog). docs/market.md "Export rules" has the formulas.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/accelerator.h"

namespace suanli {

// One accelerator as the export rules see it.
struct AcceleratorExportFacts {
  std::string id;                    // catalog id, e.g. "h200-nvl-141gb"
  std::string vendor;                // "NVIDIA", "Huawei", ...
  double tpp = 0;                    // 3A090 'total processing performance' (TOPS x bit length; no unit)
  double io_bidirectional_GBps = 0;  // scale-up link, both directions together, GB/s
  double die_area_mm2 = 0;           // applicable die area, mm²; 0 = unknown (density terms not met)
};

// The performance criteria of a rule (3A090.a); a term of 0 is absent. A
// card is covered when its vendor is listed (empty = any) and either the TPP
// term (with the I/O term when given) or the density pair is met.
struct ExportCriteria {
  double tpp_at_least = 0;                // 3A090.a(.1): TPP >= this
  double io_at_least_GBps = 0;            // 2022 rule: and aggregate bidirectional I/O >= this, GB/s
  double density_tpp_at_least = 0;        // 2023 rule 3A090.a.2: TPP >= this ...
  double density_at_least = 0;            // ... and performance density (TPP / die mm²) >= this
  std::vector<std::string> vendors;       // vendors whose parts the rule reaches (case-insensitive); empty = any
  std::string source;                     // the rule text the thresholds come from
  // Returns whether any term is set.
  bool Any() const { return tpp_at_least > 0 || density_tpp_at_least > 0; }
};

// Returns the bits of one operand of `precision` (fp32/tf32 32, bf16/fp16 16,
// fp8/int8 8, fp4/int4 4), the 'bit length' of the TPP formula.
int TppBitLength(Precision precision);
// Returns the TPP of dense peaks: max over precisions of TOPS x bit length
// (3A090 Technical Note: TPP = 2 x MacTOPS x bit length; a MAC is 2 ops, so
// 2 x MacTOPS = the dense peak in TOPS/TFLOPS). No unit.
double TotalProcessingPerformance(const Accelerator& accelerator);
// Returns the export facts of one catalog accelerator.
AcceleratorExportFacts ExportFactsOf(const Accelerator& accelerator);
// Returns the export facts of every accelerator, in order.
std::vector<AcceleratorExportFacts> ExportFactsOf(const std::vector<Accelerator>& accelerators);
// Returns the export facts of the embedded catalog (loaded once); empty if
// the embedded catalog does not load.
const std::vector<AcceleratorExportFacts>& EmbeddedExportFacts();
// Returns whether `facts` meets `criteria` (false when no term is set).
bool MeetsCriteria(const ExportCriteria& criteria, const AcceleratorExportFacts& facts);
// Returns the ids of `facts` in the family of a SKU name as written in a
// rule: the name's words (letters and digits) must all be words of the id
// and the first words agree ("H200" -> h200-sxm-141gb, h200-nvl-141gb;
// "A100 80GB" -> a100-sxm-80gb, a100-pcie-80gb; "RTX 4090" -> rtx-4090 only).
// An exact id names that accelerator alone.
std::vector<std::string> SkuFamily(std::string_view name, const std::vector<AcceleratorExportFacts>& facts);

}  // namespace suanli
