#!/usr/bin/env bash
# The lab: the real OpenShell on this machine. Builds OpenShell's CLI, gateway and
# sandbox supervisor from the vendored source (once; cached by commit), the images the
# sandboxes need (from Debian packages: no registry here), starts a gateway with the
# Docker compute driver on the local engine, makes the real OpenShell fail in each way it
# can here, checks what `sandbox-triage run` makes of each, recovers the mechanical ones
# end to end, and removes everything it started, also when interrupted.
#
#   bash tests/lab/run.sh                  every scenario
#   bash tests/lab/run.sh --update-corpus  also write the captures into tests/corpus
#   bash tests/lab/run.sh --only NAME...   only these groups (see lab_main below)
#   bash tests/lab/run.sh --if-built       run only when OpenShell's binaries are built
#                                          already, else say so in one line (CI)
#
# The work directory (captures, logs, the gateway's state) is kept when a check fails.
set -uo pipefail

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LAB_REPO="$(cd "$LAB_DIR/../.." && pwd)"
# shellcheck source=/dev/null
for part in build images gateway capture scenarios by_hand recoveries corpus; do source "$LAB_DIR/$part.sh"; done

LAB_UPDATE_CORPUS=0
LAB_ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --update-corpus) LAB_UPDATE_CORPUS=1 ;;
    --if-built)
      if ! lab_openshell_built; then
        echo "lab: skipped: OpenShell's binaries are not built yet (\`bash tests/lab/run.sh\` builds them once, about 8 minutes on 2 cores, then runs the lab)"
        exit 0
      fi
      ;;
    --only) shift; while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do LAB_ONLY+=("$1"); shift; done; continue ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "lab: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

LAB_WORK=$(mktemp -d /tmp/sandbox-triage-lab.XXXXXX)
LAB_NS="stlab-$$"
LAB_CTX="$LAB_WORK/ctx"
LAB_CAPTURES="$LAB_WORK/captures"
LAB_RESULTS="$LAB_WORK/results"
LAB_FAILED=0
mkdir -p "$LAB_CTX" "$LAB_CAPTURES"
: >"$LAB_RESULTS"

lab_timed() {
  local what=$1 started
  shift
  started=$(lab_now_ms)
  "$@"
  local rc=$?
  printf 'lab: %-44s %6.1fs\n' "$what" "$(echo "($(lab_now_ms) - $started) / 1000" | bc -l)" | tee -a "$LAB_WORK/times" >&2
  return $rc
}

# What was on the engine before: everything else the lab made is removed at the end.
docker ps -aq --no-trunc | sort >"$LAB_WORK/containers.before"
docker images -q --no-trunc | sort -u >"$LAB_WORK/images.before"
# A build of an image already present makes only a new name for it.
docker images --format '{{.Repository}}:{{.Tag}}' | sort -u >"$LAB_WORK/tags.before"

lab_cleanup() {
  trap - EXIT INT TERM HUP
  unset DOCKER_HOST
  lab_gateway_stop
  lab_second_engine_stop 2>/dev/null
  local pidfile
  for pidfile in "$LAB_WORK"/*.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
  done
  docker ps -aq --no-trunc | sort | comm -13 "$LAB_WORK/containers.before" - | xargs -r docker rm -f >/dev/null 2>&1
  docker network rm "$LAB_NS" >/dev/null 2>&1
  docker images --format '{{.Repository}}:{{.Tag}}' | grep -v '<none>' | sort -u | comm -13 "$LAB_WORK/tags.before" - |
    xargs -r docker rmi >/dev/null 2>&1
  docker images -q --no-trunc | sort -u | comm -13 "$LAB_WORK/images.before" - | xargs -r docker rmi -f >/dev/null 2>&1
  if [ "$LAB_FAILED" -eq 0 ] && [ -z "${LAB_KEEP:-}" ]; then
    rm -rf "$LAB_WORK"
  else
    echo "lab: kept $LAB_WORK (captures, the gateway's log)" >&2
  fi
}
trap lab_cleanup EXIT
trap 'echo "lab: interrupted: cleaning up" >&2; LAB_FAILED=$((LAB_FAILED + 1)); exit 130' INT TERM HUP

lab_wanted() {
  [ "${#LAB_ONLY[@]}" -eq 0 ] && return 0
  local group
  for group in "${LAB_ONLY[@]}"; do [ "$group" = "$1" ] && return 0; done
  return 1
}

lab_main() {
  local started
  started=$(lab_now_ms)
  LAB_BIN=$(lab_timed "OpenShell binaries ($LAB_OPENSHELL_COMMIT)" lab_openshell_bin_dir) || return 1
  lab_timed "sandbox-triage" cargo build --quiet --manifest-path "$LAB_REPO/Cargo.toml" --bin sandbox-triage || return 1
  LAB_TRIAGE="$LAB_REPO/target/debug/sandbox-triage"
  lab_timed "images (Debian packages)" lab_images_build_all || return 1
  lab_timed "gateway started" lab_gateway_up || return 1
  lab_cli_env
  lab_contexts
  local group
  for group in gateway_resolution source build sandbox interrupted by_hand gateway_config gateway_stopped two_engines recoveries; do
    lab_wanted "$group" || continue
    if [ "$group" = recoveries ]; then
      lab_timed "recoveries" lab_recoveries
    else
      lab_timed "scenarios: $group" "lab_scenarios_$group"
    fi
  done
  if [ "$LAB_UPDATE_CORPUS" = 1 ]; then
    lab_timed "corpus updated" lab_update_corpus
  fi
  echo
  cat "$LAB_WORK/times"
  printf 'lab: %d checks, %d failed, %.0fs in all\n' "$(grep -c . "$LAB_RESULTS")" "$LAB_FAILED" \
    "$(echo "($(lab_now_ms) - $started) / 1000" | bc -l)"
  [ "$LAB_FAILED" -eq 0 ]
}

lab_gateway_up() {
  lab_tarpit_start && lab_gateway_configure && lab_gateway_start
}

lab_tarpit_start() {
  python3 "$LAB_DIR/tarpit.py" "$LAB_WORK/tarpit.port" >/dev/null 2>&1 &
  echo $! >"$LAB_WORK/tarpit.pid"
  disown
  local _
  for _ in $(seq 50); do [ -s "$LAB_WORK/tarpit.port" ] && break; sleep 0.1; done
  LAB_TARPIT_PORT=$(cat "$LAB_WORK/tarpit.port")
}

lab_main
