#!/usr/bin/env bash
# Mutation testing of the decision core: every mutant cargo-mutants makes of the files
# `mutants.toml` names must be caught by the core crate's fast tests, or be listed there
# with the reason it is equivalent. Exits non-zero when one survives (or times out).
#
#   scripts/mutants.sh [cargo-mutants options…]     e.g. --re 'spans\.rs' to narrow it
#
# The report (outcomes, each mutant's log) is kept in target/mutants/mutants.out.
set -euo pipefail
cd "$(dirname "$0")/.."

# The version whose configuration and options this script is written for: in it, options
# given here add to mutants.toml's exclusions rather than replace them.
version=27.1.0
if ! cargo mutants --version 2>/dev/null | grep -qx "cargo-mutants $version"; then
  cargo install cargo-mutants --version "$version" --locked
fi

# Every exclusion carries its reason: the line before each pattern is a comment, and
# each pattern has a line of its own (the list opens and closes on lines of their own).
unexplained=$(awk '
  /^exclude_re *= *\[/ { inside = 1; previous = ""; if ($0 !~ /\[ *$/) print "mutants.toml:" NR ": the list must open on a line of its own"; next }
  inside && /^\]/ { inside = 0 }
  inside && /^ *["\x27]/ && previous !~ /^ *#/ { print "mutants.toml:" NR ": " $0 }
  inside { previous = $0 }
' mutants.toml)
if [ -n "$unexplained" ]; then
  echo "exclusions without a reason (a comment line right before each):" >&2
  echo "$unexplained" >&2
  exit 1
fi

# How many mutants the exclusions take out: the list with and without them.
unexcluded=$(mktemp)
trap 'rm -f "$unexcluded"' EXIT
awk '/^exclude_re *= *\[/ { skip = 1 } !skip { print } skip && /^\]/ { skip = 0 }' mutants.toml >"$unexcluded"
all=$(cargo mutants --config "$unexcluded" -p sandbox-triage-core --list "$@" | wc -l)
tried=$(cargo mutants --config mutants.toml -p sandbox-triage-core --list "$@" | wc -l)

# Counts come from this run's report only (a fresh clone has no target/ yet).
rm -rf target/mutants/mutants.out
mkdir -p target/mutants
started=$(date +%s)
status=0
cargo mutants --config mutants.toml -p sandbox-triage-core --jobs "${MUTANTS_JOBS:-2}" \
  --output target/mutants "$@" || status=$?
elapsed=$(($(date +%s) - started))

out=target/mutants/mutants.out
count() { [ -f "$out/$1.txt" ] && wc -l <"$out/$1.txt" || echo 0; }
echo
echo "mutants: $tried tried, $(count caught) caught, $(count unviable) unviable (do not build)," \
  "$(count missed) survived, $(count timeout) timed out; $((all - tried)) excluded as equivalent;" \
  "$((elapsed / 60)) min $((elapsed % 60)) s"
if [ "$(count missed)" -gt 0 ] || [ "$(count timeout)" -gt 0 ]; then
  echo "survivors (add a test that tells each apart, or list it in mutants.toml with the reason it is equivalent):" >&2
  cat "$out/missed.txt" "$out/timeout.txt" 2>/dev/null >&2 || true
  exit 2
fi
exit "$status"
