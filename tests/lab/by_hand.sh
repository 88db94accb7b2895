#!/usr/bin/env bash
# Failures whose fix is not mechanical: the plan's manual step must name the real fix,
# and doing that by hand, then creating again, must give a Ready sandbox. Sourced by
# run.sh; runs after the scenarios whose captures it reads and whose leftovers it clears.

# lab_plan_says NAME PHRASE: the plan the run gave for capture NAME says PHRASE.
lab_plan_says() {
  python3 - "$LAB_CAPTURES/$1.json" "$2" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))["plan"]
words = [plan.get("headline") or ""] + (plan.get("notes") or [])
steps = list(plan.get("steps") or [])
for alternative in plan.get("alternatives") or []:
    words += [alternative.get("title") or ""] + (alternative.get("conditions") or [])
    steps += alternative.get("steps") or []
for step in steps:
    words += [step.get("purpose") or "", step.get("note") or "", " ".join(step.get("argv") or [])]
sys.exit(0 if sys.argv[2].lower() in "\n".join(words).lower() else 1)
PY
}

# lab_by_hand NAME PHRASE SANDBOX [VAR=VALUE...] -- ARGV...: capture NAME's plan names the
# fix (PHRASE), which was done by hand before; ARGV, the create again, must end Ready.
lab_by_hand() {
  local name=$1 phrase=$2 sandbox=$3
  shift 3
  if ! lab_plan_says "$name" "$phrase"; then
    lab_fail "by-hand: $name" "the plan does not say \"$phrase\""
    return
  fi
  lab_run "fixed-$name" "$@"
  if [ "$(cat "$LAB_CAPTURES/fixed-$name.status")" = 0 ] && lab_ready "$sandbox"; then
    lab_pass "by-hand: $name" "\"$phrase\", then the create: $sandbox Ready"
  else
    lab_fail "by-hand: $name" "after \"$phrase\" the create did not end Ready; see $LAB_CAPTURES/fixed-$name.terminal"
  fi
  openshell sandbox delete "$sandbox" >/dev/null 2>&1
}

lab_scenarios_by_hand() {
  local ready="FROM $SANDBOX_TRIAGE_LAB_SANDBOX_IMAGE"
  openshell gateway select "$LAB_GATEWAY" >/dev/null 2>&1
  # No active gateway: select one (in the fresh configuration the case ran with).
  mkdir -p "$LAB_WORK/fresh-config/openshell"
  cp -r "$LAB_WORK/config/openshell/gateways" "$LAB_WORK/fresh-config/openshell/"
  XDG_CONFIG_HOME="$LAB_WORK/fresh-config" openshell gateway select "$LAB_GATEWAY" >/dev/null 2>&1
  lab_by_hand no-active-gateway "gateway select" fix-1 XDG_CONFIG_HOME="$LAB_WORK/fresh-config" -- \
    openshell sandbox create --from ./ok/Dockerfile --name fix-1
  lab_by_hand unknown-gateway-name "naming a gateway" fix-2 -- openshell sandbox create -g "$LAB_GATEWAY" --from ./ok/Dockerfile --name fix-2
  # The endpoint was wrong: register the right one.
  lab_register down "https://127.0.0.1:$LAB_PORT"
  printf '%s' "$LAB_GATEWAY" >"$LAB_WORK/config/openshell/active_gateway"
  lab_by_hand gateway-refuses "gateway info" fix-3 -- openshell sandbox create -g down --from ./ok/Dockerfile --name fix-3
  # The gateway's current client certificates, where the plan says.
  cp "$LAB_WORK/pki/ca.crt" "$LAB_WORK/pki/client/tls.crt" "$LAB_WORK/pki/client/tls.key" \
    "$LAB_WORK/config/openshell/gateways/old-pki/mtls/"
  lab_by_hand gateway-certificate-from-old-pki "client certificates" fix-4 -- \
    openshell sandbox create -g old-pki --from ./ok/Dockerfile --name fix-4
  lab_by_hand from-missing-path 'an existing Dockerfile, a directory holding one' fix-5 -- openshell sandbox create --from ./ok/Dockerfile --name fix-5
  # The Dockerfiles fixed, where the plan pointed: the failed command of line 2.
  lab_dockerfile fails "$ready" 'RUN echo "installing the agent" && ls /usr/bin/bash'
  lab_by_hand build-step-fails "fails/Dockerfile:2, where \`ls /opt/agent/bin\` failed" fix-6 -- \
    openshell sandbox create --from ./fails/Dockerfile --name fix-6
  # The server the step downloads from answers: one on the engine's bridge, where the
  # build's container reaches this host.
  local bridge port
  bridge=$(ip -4 -o addr show docker0 | awk '{sub("/.*", "", $4); print $4; exit}')
  port=$(lab_pick_port)
  mkdir -p "$LAB_WORK/downloads" && echo agent >"$LAB_WORK/downloads/agent.tgz"
  (cd "$LAB_WORK/downloads" && exec python3 -m http.server "$port" --bind "$bridge") >/dev/null 2>&1 &
  echo $! >"$LAB_WORK/downloads.pid"
  disown
  sleep 0.5
  lab_dockerfile offline "$ready" "RUN wget -O /tmp/agent.tgz http://$bridge:$port/agent.tgz"
  lab_by_hand build-step-connection-refused "egress" fix-7 -- openshell sandbox create --from ./offline/Dockerfile --name fix-7
  lab_dockerfile unresolvable "$ready" "RUN wget -O /tmp/agent.tgz http://$bridge:$port/agent.tgz"
  lab_by_hand build-step-unresolvable-host "DNS" fix-7b -- openshell sandbox create --from ./unresolvable/Dockerfile --name fix-7b
  lab_dockerfile no-base "$ready"
  lab_by_hand build-base-image-unpullable "base image" fix-8 -- openshell sandbox create --from ./no-base/Dockerfile --name fix-8
  lab_by_hand build-no-output-limit "OPENSHELL_BUILD_NO_PROGRESS_TIMEOUT_SECS" fix-9 OPENSHELL_BUILD_NO_PROGRESS_TIMEOUT_SECS=60 -- \
    openshell sandbox create --from ./silent/Dockerfile --name fix-9
  lab_by_hand engine-socket-missing "docker" fix-10 -- openshell sandbox create --from ./ok/Dockerfile --name fix-10
  # The images given what the supervisor needs; the failed sandboxes deleted.
  local failed
  for failed in lab-nouser lab-root lab-notools lab-pull lab-slow lab-timeout; do openshell sandbox delete "$failed" >/dev/null 2>&1; done
  lab_dockerfile no-user "$ready"
  lab_by_hand image-without-user "USER" lab-nouser -- openshell sandbox create --from ./no-user/Dockerfile --name lab-nouser
  lab_dockerfile root-user "$ready"
  lab_by_hand image-runs-as-root "not root" lab-root -- openshell sandbox create --from ./root-user/Dockerfile --name lab-root
  lab_dockerfile no-tools "$ready"
  lab_by_hand image-without-network-tools "iproute2" lab-notools -- openshell sandbox create --from ./no-tools/Dockerfile --name lab-notools
  lab_by_hand registry-image-unpullable "pull" lab-pull -- \
    openshell sandbox create --from "$SANDBOX_TRIAGE_LAB_SANDBOX_IMAGE" --name lab-pull
  lab_by_hand registry-hangs-while-pulling "registry" lab-slow -- \
    openshell sandbox create --from "$SANDBOX_TRIAGE_LAB_SANDBOX_IMAGE" --name lab-slow
  lab_by_hand provisioning-timeout "OPENSHELL_PROVISION_TIMEOUT" lab-timeout OPENSHELL_PROVISION_TIMEOUT=120 -- \
    openshell sandbox create --from ./ok/Dockerfile --name lab-timeout
  lab_by_hand ctrl-c-while-building "run the create again" lab-stopped -- \
    openshell sandbox create --from ./slow/Dockerfile --name lab-stopped
}
