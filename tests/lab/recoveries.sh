#!/usr/bin/env bash
# Recoveries carried out end to end by `sandbox-triage run --recover --yes`, each ending
# with the sandbox Ready as the real OpenShell reports it. Sourced by run.sh.

lab_recoveries() {
  # A failed create leaves its sandbox in Error; creating again under that name answers
  # AlreadyExists. The recovery deletes the failed one (only while it is in Error) and
  # creates again from the image the create built: no rebuild.
  lab_dockerfile stale 'FROM sandbox-triage-lab/no-user:1'
  lab_run stale-error-sandbox-setup -- openshell sandbox create --from ./stale/Dockerfile --name lab-stale
  lab_case stale-sandbox-name-taken sandbox_already_exists -- openshell sandbox create --from ./ok/Dockerfile --name lab-stale
  lab_recovery recover-stale-sandbox lab-stale -- openshell sandbox create --from ./ok/Dockerfile --name lab-stale
  # A create stopped with Ctrl-C while its image was pulling leaves its sandbox behind;
  # the pull then fails (the registry goes away) and the sandbox is in Error: the next
  # run meets it, and its recovery clears it.
  lab_tarpit_stop
  lab_wait_phase lab-stopped-ready Error
  lab_recovery recover-after-ctrl-c lab-stopped-ready -- openshell sandbox create --from ./ok/Dockerfile --name lab-stopped-ready
}

lab_tarpit_stop() {
  kill "$(cat "$LAB_WORK/tarpit.pid" 2>/dev/null)" 2>/dev/null
  rm -f "$LAB_WORK/tarpit.pid"
}

# Waits (up to a minute) until `openshell sandbox list` shows SANDBOX in PHASE.
lab_wait_phase() {
  local _
  for _ in $(seq 120); do
    openshell sandbox list 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | awk -v n="$1" -v p="$2" '$1 == n && $NF == p {found=1} END {exit !found}' && return 0
    sleep 0.5
  done
  echo "lab: $1 did not reach $2" >&2
  return 1
}
