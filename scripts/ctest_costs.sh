# Sourced by scripts/test.sh and scripts/sanitize.sh. In a fresh build tree (a clean clone in
# CI) ctest has no timings yet and starts tests in declaration order, so the few long tests
# start late and run alone at the end while the other core idles. seed_ctest_costs BUILD_DIR
# writes the CTest cost file (Testing/Temporary/CTestCostData.txt: "name runs seconds" per line)
# with their typical seconds under ASan, when the tree has none, so `ctest -j` starts them
# first. Later runs use ctest's own measured costs.
seed_ctest_costs() {
  local file="$1/Testing/Temporary/CTestCostData.txt"
  [ -f "$file" ] && return 0
  mkdir -p "$(dirname "$file")"
  cat > "$file" <<'COSTS'
StoreRobustnessTest.KillNineDuringImportLosesNothingCommitted 1 160
golden_cases 1 65
browser_reports 1 40
PrepareTest.NoCheaperSizeOnTheFineGrid 1 23
i18n_sweep 1 20
ModelErrorFile.TheShippedFileIsWhatValidateWritesFromItsRows 1 13
SearchedLayoutRatio.ShippedRatiosAreWhatTheDevRowsGive 1 90
HeldOutRuns.EveryRowParsesAndAnUnpredictedRowSaysWhy 1 10
StoreRobustnessTest.ReadersSeeTheLastCommitDuringAWrite 1 10
StoreConcurrencyTest.ReaderProcessNeverSeesAPartialImport 1 10
---
COSTS
}
