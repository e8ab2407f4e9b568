#include "core/units.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <iterator>
#include <string>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/utf8.h"

namespace suanli {
namespace {

struct UnitScale {
  std::string_view unit;
  double scale;
};

// Decimal prefixes follow SI (1 GB = 1e9 B); binary ones IEC (1 GiB = 2^30 B).
// Bit rates (Gb/s) are converted to bytes (divide by 8).
constexpr UnitScale kByteUnits[] = {
    {"B", 1.0},     {"KB", 1e3},          {"MB", 1e6},          {"GB", 1e9},
    {"TB", 1e12},   {"KiB", 1024.0},      {"MiB", kMiB},        {"GiB", kGiB},
    {"TiB", kGiB * 1024.0}};
constexpr UnitScale kBandwidthUnits[] = {
    {"B/s", 1.0},       {"KB/s", 1e3},        {"MB/s", 1e6},       {"GB/s", 1e9},
    {"TB/s", 1e12},     {"GiB/s", kGiB},      {"Mb/s", 1e6 / 8},   {"Gb/s", 1e9 / 8},
    {"Tb/s", 1e12 / 8}, {"Gbps", 1e9 / 8},    {"Mbps", 1e6 / 8}};
constexpr UnitScale kFlopsUnits[] = {
    {"FLOPS", 1.0},  {"GFLOPS", 1e9},  {"TFLOPS", 1e12}, {"PFLOPS", 1e15},
    {"TOPS", 1e12},  {"POPS", 1e15},   {"GOPS", 1e9}};
constexpr UnitScale kWattUnits[] = {{"W", 1.0}, {"kW", 1e3}, {"MW", 1e6}};
constexpr UnitScale kSecondUnits[] = {{"s", 1.0},      {"ms", 1e-3},   {"us", 1e-6},
                                      {"min", 60.0},   {"h", 3600.0},  {"day", 86400.0},
                                      {"days", 86400.0}, {"week", 604800.0}, {"weeks", 604800.0}};
constexpr UnitScale kTokenUnits[] = {{"", 1.0}, {"K", 1e3}, {"M", 1e6}, {"B", 1e9}, {"T", 1e12}};

template <size_t N>
const UnitScale* Find(const UnitScale (&table)[N], std::string_view unit) {
  for (const auto& entry : table) {
    if (entry.unit == unit) return &entry;
  }
  return nullptr;
}

const UnitScale* FindUnit(Dimension dimension, std::string_view unit) {
  switch (dimension) {
    case Dimension::kBytes: return Find(kByteUnits, unit);
    case Dimension::kBytesPerSecond: return Find(kBandwidthUnits, unit);
    case Dimension::kFlopsPerSecond: return Find(kFlopsUnits, unit);
    case Dimension::kWatts: return Find(kWattUnits, unit);
    case Dimension::kSeconds: return Find(kSecondUnits, unit);
    case Dimension::kTokens: return Find(kTokenUnits, unit);
  }
  return nullptr;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string_view DimensionName(Dimension dimension) {
  switch (dimension) {
    case Dimension::kBytes: return Tr("a size in bytes");
    case Dimension::kBytesPerSecond: return Tr("a bandwidth");
    case Dimension::kFlopsPerSecond: return Tr("a compute rate");
    case Dimension::kWatts: return Tr("a power");
    case Dimension::kSeconds: return Tr("a duration");
    case Dimension::kTokens: return Tr("a token count");
  }
  return Tr("a quantity");
}

std::string_view AcceptedUnits(Dimension dimension) {
  switch (dimension) {
    case Dimension::kBytes: return Tr("B, KB, MB, GB, TB, KiB, MiB, GiB, TiB");
    case Dimension::kBytesPerSecond: return Tr("B/s, MB/s, GB/s, TB/s, GiB/s, Mb/s, Gb/s, Tb/s");
    case Dimension::kFlopsPerSecond: return Tr("GFLOPS, TFLOPS, PFLOPS, TOPS, POPS");
    case Dimension::kWatts: return Tr("W, kW, MW");
    case Dimension::kSeconds: return Tr("s, ms, us, min, h, days, weeks");
    case Dimension::kTokens: return Tr("a plain number or a suffix K, M, B, T (1.5T)");
  }
  return "";
}

Result<double> ParseQuantity(std::string_view text, Dimension dimension) {
  const std::string_view trimmed = Trim(text);
  size_t split = 0;
  while (split < trimmed.size() &&
         (std::isdigit(static_cast<unsigned char>(trimmed[split])) || trimmed[split] == '.' ||
          trimmed[split] == '-' || trimmed[split] == '+' ||
          ((trimmed[split] == 'e' || trimmed[split] == 'E') && split > 0 &&
           split + 1 < trimmed.size() &&
           (std::isdigit(static_cast<unsigned char>(trimmed[split + 1])) ||
            trimmed[split + 1] == '-' || trimmed[split + 1] == '+')))) {
    ++split;
  }
  const std::string_view number_text = trimmed.substr(0, split);
  const std::string_view unit = Trim(trimmed.substr(split));
  const std::string shown = ExcerptForMessage(trimmed);
  auto number = ParseNumber(number_text);
  if (!number.ok()) {
    const std::string hint = dimension == Dimension::kTokens
                                 ? TrFormat("write {}", AcceptedUnits(dimension))
                                 : TrFormat("write a number and one of these units: {}", AcceptedUnits(dimension));
    if (number_text.empty()) {
      return MakeError(TrFormat("'{}' is not {}", shown, DimensionName(dimension)), "", hint);
    }
    return MakeError(TrFormat("{} in '{}'", number.error().message, shown), "", hint);
  }
  if (*number < 0) {
    return MakeError(TrFormat("'{}' is negative", shown));
  }
  const UnitScale* scale = FindUnit(dimension, unit);
  if (scale == nullptr) {
    return MakeError(
        unit.empty() ? TrFormat("'{}' has no unit", shown)
                     : TrFormat("unknown unit '{}' in '{}'", ExcerptForMessage(unit), shown),
        "", TrFormat("{} takes one of: {}", DimensionName(dimension), AcceptedUnits(dimension)));
  }
  const double value = *number * scale->scale;
  if (!std::isfinite(value)) return MakeError(TrFormat("'{}' is out of range", shown));
  return value;
}

std::string FormatQuantity(double value, Dimension dimension) {
  // Display units, largest first; rate units like TOPS and bit rates are not shown.
  static constexpr UnitScale kBytesShown[] = {
      {"TiB", kGiB * 1024.0}, {"GiB", kGiB}, {"MiB", kMiB}, {"KiB", kKiB}, {"B", 1.0}};
  static constexpr UnitScale kBandwidthShown[] = {{"TB/s", 1e12}, {"GB/s", 1e9}, {"MB/s", 1e6}, {"B/s", 1.0}};
  static constexpr UnitScale kFlopsShown[] = {{"PFLOPS", 1e15}, {"TFLOPS", 1e12}, {"GFLOPS", 1e9}, {"FLOPS", 1.0}};
  static constexpr UnitScale kWattsShown[] = {{"MW", 1e6}, {"kW", 1e3}, {"W", 1.0}};
  static constexpr UnitScale kSecondsShown[] = {
      {"days", 86400.0}, {"h", 3600.0}, {"min", 60.0}, {"s", 1.0}, {"ms", 1e-3}};
  static constexpr UnitScale kTokensShown[] = {{"T", 1e12}, {"B", 1e9}, {"M", 1e6}, {"K", 1e3}, {"", 1.0}};
  // Writes value in the first unit it reaches (or the last); "{:g}{sep}{unit}".
  const auto pick = [value](const auto& table, std::string_view separator, std::string_view suffix) {
    const UnitScale* chosen = &table[std::size(table) - 1];
    for (const UnitScale& unit : table) {
      if (value >= unit.scale) {
        chosen = &unit;
        break;
      }
    }
    return fmt::format("{:g}{}{}{}", value / chosen->scale, separator, chosen->unit, suffix);
  };
  switch (dimension) {
    case Dimension::kBytes: return pick(kBytesShown, " ", "");
    case Dimension::kBytesPerSecond: return pick(kBandwidthShown, " ", "");
    case Dimension::kFlopsPerSecond: return pick(kFlopsShown, " ", "");
    case Dimension::kWatts: return pick(kWattsShown, " ", "");
    case Dimension::kSeconds: return pick(kSecondsShown, " ", "");
    case Dimension::kTokens: return pick(kTokensShown, "", " tokens");
  }
  return fmt::format("{:g}", value);
}

Result<double> ParseQuantityInRange(std::string_view text, Dimension dimension, double min, double max) {
  SUANLI_ASSIGN_OR_RETURN(const double value, ParseQuantity(text, dimension));
  if (value >= min && value <= max) return value;
  return MakeError(TrFormat("'{}' is out of range: accepted {} to {}", ExcerptForMessage(Trim(text)),
                            FormatQuantity(min, dimension), FormatQuantity(max, dimension)),
                   "", Tr("check the number and its unit"));
}

std::string FormatGib(double bytes) { return fmt::format("{:.1f}", bytes / kGiB); }

std::string FormatBytes(double bytes) {
  if (bytes >= kGiB * 1024.0) return fmt::format("{:.2f} TiB", bytes / (kGiB * 1024.0));
  if (bytes >= kGiB) return fmt::format("{:.1f} GiB", bytes / kGiB);
  if (bytes >= kMiB) return fmt::format("{:.1f} MiB", bytes / kMiB);
  if (bytes >= kKiB) return fmt::format("{:.1f} KiB", bytes / kKiB);
  return fmt::format("{:.0f} B", bytes);
}

std::string FormatDuration(double seconds) {
  if (seconds >= 86400.0 * 2) return TrFormat("{:.1f} days", seconds / 86400.0);
  if (seconds >= 3600.0 * 2) return TrFormat("{:.1f} h", seconds / 3600.0);
  if (seconds >= 120.0) return TrFormat("{:.1f} min", seconds / 60.0);
  if (seconds >= 1.0) return TrFormat("{:.2f} s", seconds);
  return TrFormat("{:.1f} ms", seconds * 1e3);
}

}  // namespace suanli
