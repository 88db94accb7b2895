#!/usr/bin/env bash
# Running a create through `sandbox-triage run` as an operator would, keeping what it
# really printed, and checking what the tool made of it. Sourced by run.sh.
#
# Each case leaves in $LAB_CAPTURES: NAME.log (the command's own output, both streams
# as a terminal shows them with 2>&1: `run --log`), NAME.json (the tool's report),
# NAME.terminal (everything, the tool's words included), NAME.status (the exit status)
# and NAME.command (the command line, as the corpus header gives it).

lab_now_ms() { date +%s%3N; }

lab_pass() { printf 'PASS  %-34s %s\n' "$1" "$2" | tee -a "$LAB_RESULTS"; }
lab_fail() {
  printf 'FAIL  %-34s %s\n' "$1" "$2" | tee -a "$LAB_RESULTS"
  LAB_FAILED=$((LAB_FAILED + 1))
}

# The report's field (a dotted path into its JSON), or nothing.
lab_json() {
  python3 - "$1" "$2" <<'PY' 2>/dev/null
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2].split("."):
    value = value.get(key) if isinstance(value, dict) else None
print("" if value is None else value)
PY
}

# lab_run NAME [--recover] [VAR=VALUE...] -- ARGV...: runs ARGV under `sandbox-triage run`
# in $LAB_CTX, its exit status in NAME.status.
lab_run() {
  local name=$1 recover=()
  shift
  if [ "${1:-}" = --recover ]; then
    recover=(--recover --yes --allow-destructive --journal "$LAB_CAPTURES/$name.journal")
    shift
  fi
  local vars=()
  while [ "$1" != -- ]; do vars+=("$1"); shift; done
  shift
  local out="$LAB_CAPTURES/$name"
  printf '%s\n' "${vars[*]:+${vars[*]} }$*" >"$out.command"
  (cd "$LAB_CTX" && env "${vars[@]}" "$LAB_TRIAGE" run "${recover[@]}" --log "$out.log" --json-out "$out.json" -- "$@") \
    >"$out.terminal" 2>&1
  echo $? >"$out.status"
}

# lab_case NAME KIND [VAR=VALUE...] -- ARGV...: a failure (or success: `none`) captured
# and checked: the kind the tool answered live, and `classify` of the kept log.
lab_case() {
  local name=$1 kind=$2 started
  shift 2
  started=$(lab_now_ms)
  lab_run "$name" "$@"
  echo "$kind" >"$LAB_CAPTURES/$name.case"
  lab_check "$name" "$kind" "$started"
}

lab_check() {
  local name=$1 kind=$2 started=$3 out="$LAB_CAPTURES/$1" got classified status
  status=$(cat "$out.status")
  got=$(lab_json "$out.json" diagnosis.kind)
  classified=$("$LAB_TRIAGE" classify --format json --exit-status "$status" "$out.log" 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["kind"])' 2>/dev/null)
  local took=$((($(lab_now_ms) - started) / 1000))s
  if [ "$got" = "$kind" ] && [ "$classified" = "$kind" ]; then
    lab_pass "$name" "$kind (exit $status, $took)"
  else
    lab_fail "$name" "expected $kind; run said '${got:-nothing}', classify of the log '${classified:-nothing}' (exit $status); see $out.terminal"
  fi
}

# lab_interrupt NAME PATTERN [VAR=VALUE...] -- ARGV...: the create stopped with Ctrl-C
# (SIGINT to its process group, as a terminal sends it) once its output shows PATTERN.
lab_interrupt() {
  local name=$1 pattern=$2 started
  shift 2
  started=$(lab_now_ms)
  local out="$LAB_CAPTURES/$name"
  : >"$out.log"
  setsid bash -c "$(declare -f lab_run); LAB_CTX='$LAB_CTX' LAB_TRIAGE='$LAB_TRIAGE' LAB_CAPTURES='$LAB_CAPTURES'; lab_run \"\$@\"" \
    lab_run "$name" "$@" &
  local pid=$! _
  for _ in $(seq 600); do
    grep -q -- "$pattern" "$out.log" 2>/dev/null && break
    sleep 0.2
  done
  sleep 1
  kill -INT -- "-$pid" 2>/dev/null
  wait "$pid"
  echo interrupted >"$out.case"
  lab_check "$name" interrupted "$started"
}

# lab_ready NAME: the real OpenShell says the sandbox is Ready, and a command runs in it.
lab_ready() {
  local phase
  phase=$(openshell sandbox get "$1" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | awk '/Phase:/ {print $2; exit}')
  [ "$phase" = Ready ] && openshell sandbox exec --name "$1" -- /bin/sh -c id 2>/dev/null | grep -q 'uid=1000(sandbox)'
}

# lab_recovery NAME SANDBOX [VAR=VALUE...] -- ARGV...: `run --recover --yes` must end with
# SANDBOX Ready (as `openshell sandbox get` reports it) and a journal of its steps.
lab_recovery() {
  local name=$1 sandbox=$2 started
  shift 2
  started=$(lab_now_ms)
  lab_run "$name" --recover "$@"
  local out="$LAB_CAPTURES/$name" status took
  status=$(cat "$out.status")
  took=$((($(lab_now_ms) - started) / 1000))s
  # The journal has an entry for every step of the plan carried out.
  local entries planned
  entries=$(grep -c . "$out.journal" 2>/dev/null)
  planned=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["plan"]["steps"]))' "$out.json" 2>/dev/null)
  if [ "$status" = 0 ] && lab_ready "$sandbox" && [ -n "$entries" ] && [ "$entries" = "$planned" ]; then
    lab_pass "$name" "recovered: $sandbox Ready, a journal entry for each of the $planned steps ($took)"
  else
    lab_fail "$name" "recovery exit $status; $sandbox $(lab_ready "$sandbox" && echo Ready || echo 'not Ready'); journal ${entries:-0} of ${planned:-?} steps; see $out.terminal"
  fi
}
