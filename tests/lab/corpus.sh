#!/usr/bin/env bash
# Writing the captures into the repository's corpus (`--update-corpus`): every case the
# lab checked, replacing the lab's earlier captures. Sourced by run.sh.
lab_update_corpus() {
  local corpus="$LAB_REPO/tests/corpus" case
  rm -f "$corpus"/*__lab-*.log
  for case in "$LAB_CAPTURES"/*.case; do
    python3 "$LAB_DIR/corpus_case.py" "${case%.case}" "$corpus" "$LAB_OPENSHELL_COMMIT" || return 1
  done
  echo "lab: $(ls "$corpus"/*__lab-*.log | wc -l) captures in tests/corpus" >&2
}
