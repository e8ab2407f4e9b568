# Finds English that never went through Tr() in a --lang zh output (used by
# tests/i18n/sweep.sh). Files, in order: english_words.txt (common English
# function words, one a line), allowlist.txt (allowed phrases, one a line,
# `#` comments), corpus.txt (the data files, normalised, on one line), then
# the outputs, each command's after a line "\001 CMD".
# Prints "LINE<TAB>CMD" for each output line holding a run of 3 or more English
# words with at least one common word among them, unless the run, normalised
# (lower case, only letters and digits, one space between words), occurs in the
# data corpus or inside an allowlisted phrase. Columns (2+ spaces, tabs, |)
# end a run, so do numbers, ids, units with digits and Chinese text.
FNR == 1 { file++ }
file == 1 { if ($1 != "" && $1 !~ /^#/) common[tolower($1)] = 1; next }
file == 2 { if ($0 !~ /^[ \t]*#/ && $0 ~ /[A-Za-z]/) allow[++allow_n] = " " Normalise($0) " "; next }
file == 3 { corpus = corpus " " $0 " "; next }
/^\001 / { cmd = substr($0, 3); next }
{ CheckLine($0) }

# Returns text in lower case, each run of characters other than a-z and 0-9 one space.
function Normalise(text) {
  text = tolower(text)
  gsub(/[^a-z0-9]+/, " ", text)
  gsub(/^ +| +$/, "", text)
  return text
}

# Returns 1 when `token` is an English word (letters, inner - or '), punctuation around it allowed.
function IsWord(token) {
  gsub(/^[("'\[]+|[,.;:!?)"'\]]+$/, "", token)
  return token ~ /^[A-Za-z]+([-'][A-Za-z]+)*$/
}

# Returns 1 when the run of `count` words in `words` from `first` is quoted data or allowlisted.
function Allowed(words, first, count,    i, phrase) {
  phrase = ""
  for (i = first; i < first + count; ++i) phrase = phrase " " words[i]
  phrase = Normalise(phrase)
  if (index(corpus, " " phrase " ") > 0) return 1
  for (i = 1; i <= allow_n; ++i) if (index(allow[i], " " phrase " ") > 0) return 1
  return 0
}

# Returns 1 when some run of English words in `segment` is not allowed.
function CheckSegment(segment,    words, n, i, start, has_common, bare) {
  n = split(segment, words, / /)
  start = 0; has_common = 0
  for (i = 1; i <= n + 1; ++i) {
    if (i <= n && IsWord(words[i])) {
      if (start == 0) { start = i; has_common = 0 }
      bare = tolower(words[i]); gsub(/[^a-z'-]/, "", bare)
      if (bare in common) has_common = 1
      continue
    }
    if (start > 0 && i - start >= 3 && has_common && !Allowed(words, start, i - start)) return 1
    start = 0
  }
  return 0
}

function CheckLine(line,    segments, n, i, text) {
  gsub(/\033\[[0-9;]*m/, "", line)
  text = line
  gsub(/\t|\|/, "  ", text)
  n = split(text, segments, /   */)
  for (i = 1; i <= n; ++i) {
    if (CheckSegment(segments[i])) {
      gsub(/^ +| +$/, "", line)
      printf "%s\t%s\n", line, cmd
      return
    }
  }
}
