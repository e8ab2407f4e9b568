// JSON of a serving validation; see serve_validation_json.h.
#include "report/serve_validation_json.h"

#include "serve/simulator.h"

namespace suanli {

nlohmann::json ServingValidationJson(const std::vector<ServingCheck>& checks, const std::vector<BadRow>& bad_rows) {
  nlohmann::json rows = nlohmann::json::array();
  int not_predicted = 0;
  for (const ServingCheck& c : checks) {
    nlohmann::json row = {{"id", c.row.id},
                          {"accelerator", c.row.accelerator},
                          {"engine", c.row.engine},
                          {"metric", c.row.metric},
                          {"family", MetricFamily(c.row.metric)},
                          {"published", c.row.value},
                          {"lengths_assumed", c.row.lengths_assumed},
                          {"concurrency_assumed", c.row.concurrency_assumed},
                          {"layout_searched", c.row.layout_searched}};
    if (c.predicted) {
      row["predicted"] = c.prediction;
      row["overloaded"] = c.overloaded;
      row["error_pct"] = 100.0 * c.RelativeError();
    } else {
      ++not_predicted;
      row["predicted"] = nullptr;
      row["reason"] = c.reason;
    }
    rows.push_back(std::move(row));
  }
  nlohmann::json families = nlohmann::json::object();
  for (auto& [family, errors] : ServingErrorsByFamily(checks)) {
    families[family] = {{"rows", errors.size()}, {"median_abs_error_pct", 100.0 * InterpolatedPercentile(errors, 50)}};
  }
  nlohmann::json bad = nlohmann::json::array();
  for (const BadRow& b : bad_rows) bad.push_back({{"where", b.where}, {"message", b.message}});
  return {{"rows", rows}, {"bad_rows", bad}, {"families", families}, {"not_predicted", not_predicted}};
}

}  // namespace suanli
