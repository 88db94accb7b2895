#!/usr/bin/env bash
# Every failure the real OpenShell can be made to produce on this machine, each run as an
# operator would, and the recoveries of those whose fix is mechanical. Sourced by run.sh,
# which has started the gateway (`lab`, mTLS, sandbox JWTs) and set the CLI's
# environment; scenarios that need another gateway set it up and put `lab` back.

# A build context under $LAB_CTX: DIR holding a Dockerfile of the lines given.
lab_dockerfile() {
  local dir="$LAB_CTX/$1"
  shift
  mkdir -p "$dir"
  printf '%s\n' "$@" >"$dir/Dockerfile"
}

lab_contexts() {
  local ready="FROM $SANDBOX_TRIAGE_LAB_SANDBOX_IMAGE" base="FROM $SANDBOX_TRIAGE_LAB_BASE_IMAGE"
  lab_dockerfile ok "$ready"
  lab_dockerfile fails "$base" 'RUN echo "installing the agent" && ls /opt/agent/bin'
  lab_dockerfile offline "$base" 'RUN wget -O /tmp/agent.tgz http://127.0.0.1:9/agent.tgz'
  lab_dockerfile unresolvable "$base" 'RUN wget -O /tmp/agent.tgz http://downloads.agent.invalid/agent.tgz'
  lab_dockerfile no-base 'FROM 127.0.0.1:9/lab/agent-base:1'
  # Slow builds stay slow: a step of their own in each lab run, never the builder's cache.
  lab_dockerfile slow "$ready" "RUN echo $LAB_NS-slow && sleep 20"
  lab_dockerfile slow-cut "$ready" "RUN echo $LAB_NS-slow-cut && sleep 20"
  lab_dockerfile silent "$ready" "RUN echo $LAB_NS-silent && sleep 12"
  # The supervisor image's tools and a user, less one thing each. An image without a
  # USER cannot come from a Dockerfile that starts FROM one with it: the same tree,
  # imported without it.
  if ! docker image inspect sandbox-triage-lab/no-user:1 >/dev/null 2>&1; then
    local tree
    tree=$(docker create "$SANDBOX_TRIAGE_LAB_SANDBOX_IMAGE" /bin/true) &&
      docker export "$tree" | docker import --change 'WORKDIR /sandbox' - sandbox-triage-lab/no-user:1 >/dev/null
    docker rm -f "$tree" >/dev/null 2>&1
  fi
  lab_dockerfile no-user 'FROM sandbox-triage-lab/no-user:1'
  lab_dockerfile root-user "$ready" 'USER root'
  lab_dockerfile no-tools "$ready" 'USER root' \
    'RUN rm -f /usr/bin/ip /usr/sbin/ip /usr/bin/nsenter /usr/sbin/nsenter /bin/ip /sbin/ip' 'USER sandbox'
  mkdir -p "$LAB_CTX/empty"
  printf 'an agent that writes notes\n' >"$LAB_CTX/notes.txt"
}

lab_scenarios_gateway_resolution() {
  # No gateway registered at all: a fresh machine.
  lab_case no-active-gateway gateway_unreachable XDG_CONFIG_HOME="$LAB_WORK/fresh-config" -- \
    openshell sandbox create --from ./ok/Dockerfile --name web
  lab_case unknown-gateway-name gateway_unreachable -- openshell sandbox create -g nemoclw --from ./ok/Dockerfile --name web
  # Registered, and nothing listens at its endpoint.
  lab_register down "https://127.0.0.1:$(lab_pick_port)"
  printf '%s' "$LAB_GATEWAY" >"$LAB_WORK/config/openshell/active_gateway"
  lab_case gateway-refuses gateway_unreachable -- openshell sandbox create -g down --from ./ok/Dockerfile --name web
  # The gateway's PKI was made anew; the CLI kept the old one's certificates.
  XDG_CONFIG_HOME="$LAB_WORK/old-pki-config" "$LAB_BIN/openshell-gateway" generate-certs --output-dir "$LAB_WORK/old-pki" \
    --server-san host.openshell.internal >/dev/null 2>&1
  lab_register old-pki "https://127.0.0.1:$LAB_PORT" "$LAB_WORK/old-pki"
  printf '%s' "$LAB_GATEWAY" >"$LAB_WORK/config/openshell/active_gateway"
  lab_case gateway-certificate-from-old-pki tls_cert_mismatch -- \
    openshell sandbox create -g old-pki --from ./ok/Dockerfile --name web
}

lab_scenarios_source() {
  lab_case from-missing-path invalid_source -- openshell sandbox create --from ./agent/Dockerfil --name web
  lab_case from-not-a-dockerfile invalid_source -- openshell sandbox create --from ./notes.txt --name web
  lab_case from-dir-without-dockerfile invalid_source -- openshell sandbox create --from ./empty --name web
}

lab_scenarios_build() {
  lab_case build-step-fails build_step_failed -- openshell sandbox create --from ./fails/Dockerfile --name web
  # Where it failed: OpenShell names the Dockerfile it builds, and the classic builder's
  # step is found in it, the failed command of its chain underlined.
  local out="$LAB_CAPTURES/build-step-fails" placed
  placed="$(lab_json "$out.json" diagnosis.dockerfile.line) $(lab_json "$out.json" diagnosis.dockerfile.placed_by): $(lab_json "$out.json" diagnosis.dockerfile.failed_command)"
  if [ "$placed" = "2 file: ls /opt/agent/bin" ]; then
    lab_pass build-step-fails-placed "fails/Dockerfile:2, \`ls /opt/agent/bin\` underlined"
  else
    lab_fail build-step-fails-placed "expected line 2 placed from the file, \`ls /opt/agent/bin\`; got '$placed'; see $out.json"
  fi
  lab_case build-step-connection-refused build_step_network_failed -- openshell sandbox create --from ./offline/Dockerfile --name web
  lab_case build-step-unresolvable-host build_step_network_failed -- openshell sandbox create --from ./unresolvable/Dockerfile --name web
  lab_case build-base-image-unpullable build_base_image_pull_failed -- openshell sandbox create --from ./no-base/Dockerfile --name web
  lab_case build-no-output-limit build_stalled OPENSHELL_BUILD_NO_PROGRESS_TIMEOUT_SECS=4 -- \
    openshell sandbox create --from ./silent/Dockerfile --name web
  lab_case engine-socket-missing docker_unreachable DOCKER_HOST="unix://$LAB_WORK/no-engine.sock" -- \
    openshell sandbox create --from ./ok/Dockerfile --name web
}

lab_scenarios_sandbox() {
  lab_case create-succeeds none -- openshell sandbox create --from ./ok/Dockerfile --name lab-ok
  lab_ready lab-ok && lab_pass create-succeeds-is-ready "lab-ok Ready (openshell sandbox get, exec id)" ||
    lab_fail create-succeeds-is-ready "lab-ok is not Ready"
  lab_case name-already-exists sandbox_already_exists -- openshell sandbox create --from ./ok/Dockerfile --name lab-ok
  # The supervisor exits at once in these images: the create says only ContainerExited.
  lab_case image-without-user sandbox_image_unsuitable -- openshell sandbox create --from ./no-user/Dockerfile --name lab-nouser
  lab_case image-runs-as-root sandbox_image_unsuitable -- openshell sandbox create --from ./root-user/Dockerfile --name lab-root
  lab_case image-without-network-tools sandbox_image_unsuitable -- \
    openshell sandbox create --from ./no-tools/Dockerfile --name lab-notools
  # A registry on 127.0.0.1 that is down, and one that never answers.
  lab_case registry-image-unpullable sandbox_image_pull_failed -- \
    openshell sandbox create --from "127.0.0.1:$(lab_pick_port)/lab/agent:1" --name lab-pull
  # A registry that never answers: the pull, not the sandbox, is what ran out of time.
  lab_case registry-hangs-while-pulling sandbox_image_pull_failed OPENSHELL_PROVISION_TIMEOUT=3 -- \
    openshell sandbox create --from "127.0.0.1:$LAB_TARPIT_PORT/lab/agent:1" --name lab-slow
  # The provisioning limit (an idle limit: 0 ends the wait at once).
  lab_case provisioning-timeout provisioning_timeout OPENSHELL_PROVISION_TIMEOUT=0 -- \
    openshell sandbox create --from ./ok/Dockerfile --name lab-timeout
}

lab_scenarios_interrupted() {
  lab_interrupt ctrl-c-while-building 'Step 2/2' -- openshell sandbox create --from ./slow/Dockerfile --name lab-stopped
  lab_interrupt ctrl-c-while-provisioning 'Pulling image' -- \
    openshell sandbox create --from "127.0.0.1:$LAB_TARPIT_PORT/lab/agent:2" --name lab-stopped-ready
}

# The gateway without its sandbox JWT table refuses every create, after the build.
lab_scenarios_gateway_config() {
  lab_gateway_stop
  lab_gateway_start "$LAB_WORK/gateway-nojwt.toml" || return 1
  lab_case gateway-without-sandbox-jwt gateway_rejected_create -- openshell sandbox create --from ./ok/Dockerfile --name lab-jwt
  lab_gateway_stop
  # A plaintext gateway that authenticates no client: the CLI's calls carry nothing.
  lab_gateway_start "$LAB_WORK/gateway-plaintext.toml" || return 1
  lab_register plain "http://127.0.0.1:$LAB_PORT"
  printf '%s' "$LAB_GATEWAY" >"$LAB_WORK/config/openshell/active_gateway"
  lab_case gateway-without-client-auth gateway_auth_failed -- openshell sandbox create -g plain --from ./ok/Dockerfile --name lab-auth
  lab_gateway_stop
  lab_gateway_start || return 1
  # By hand: the gateway configured as its message says, and the CLI given its
  # client certificates over TLS.
  lab_by_hand gateway-without-sandbox-jwt "configure" lab-jwt -- openshell sandbox create --from ./ok/Dockerfile --name lab-jwt
  lab_register plain "https://127.0.0.1:$LAB_PORT"
  printf '%s' "$LAB_GATEWAY" >"$LAB_WORK/config/openshell/active_gateway"
  lab_by_hand gateway-without-client-auth "client certificate" lab-auth -- \
    openshell sandbox create -g plain --from ./ok/Dockerfile --name lab-auth
}

# The gateway gone while the create runs. Killed during the build, the create's call
# finds nobody; stopped (SIGTERM, as its service manager does) while the sandbox's
# image is pulling, the create's stream of progress is cut.
lab_scenarios_gateway_stopped() {
  lab_stop_gateway_when gateway-stopped-mid-create 'Step 2/2' KILL &
  local stopper=$!
  lab_case gateway-stopped-mid-create gateway_unreachable -- openshell sandbox create --from ./slow-cut/Dockerfile --name lab-orphan
  wait "$stopper"
  lab_gateway_start || return 1
  lab_by_hand gateway-stopped-mid-create "Start the gateway service" lab-orphan -- \
    openshell sandbox create --from ./slow-cut/Dockerfile --name lab-orphan
  lab_stop_gateway_when gateway-stopped-while-provisioning 'Pulling image' TERM &
  stopper=$!
  lab_case gateway-stopped-while-provisioning sandbox_create_incomplete -- \
    openshell sandbox create --from "127.0.0.1:$LAB_TARPIT_PORT/lab/agent:3" --name lab-cut
  wait "$stopper"
  lab_gateway_start || return 1
  # By hand, as the plan says: the sandbox the cut create left is deleted, then created
  # again (here from an image the registry does have).
  openshell sandbox delete lab-cut >/dev/null 2>&1
  lab_by_hand gateway-stopped-while-provisioning "Delete the failed sandbox" lab-cut -- \
    openshell sandbox create --from "$SANDBOX_TRIAGE_LAB_SANDBOX_IMAGE" --name lab-cut
}

# lab_stop_gateway_when NAME PATTERN SIGNAL: stops the gateway once capture NAME's log
# shows PATTERN.
lab_stop_gateway_when() {
  local _
  for _ in $(seq 300); do
    grep -q -- "$2" "$LAB_CAPTURES/$1.log" 2>/dev/null && break
    sleep 0.2
  done
  lab_gateway_stop "$3"
}

LAB_ENGINE2_BRIDGE=stlab-engine2

lab_second_engine_start() {
  local dir="$LAB_WORK/engine2"
  mkdir -p "$dir"
  echo '{}' >"$dir/daemon.json"
  # A bridge of its own: with `--bridge none` a starting dockerd deletes docker0, the
  # first engine's.
  ip link add "$LAB_ENGINE2_BRIDGE" type bridge && ip addr add 10.213.0.1/24 dev "$LAB_ENGINE2_BRIDGE" &&
    ip link set "$LAB_ENGINE2_BRIDGE" up || return 1
  dockerd --config-file "$dir/daemon.json" --host "unix://$dir/docker.sock" --data-root "$dir/root" \
    --exec-root "$dir/exec" --pidfile "$dir/docker.pid" --storage-driver vfs --bridge "$LAB_ENGINE2_BRIDGE" \
    --iptables=false --ip6tables=false >"$dir/dockerd.log" 2>&1 &
  local _
  for _ in $(seq 60); do docker -H "unix://$dir/docker.sock" info >/dev/null 2>&1 && break; sleep 0.5; done
  docker -H "unix://$dir/docker.sock" info >/dev/null 2>&1 || { tail -5 "$dir/dockerd.log" >&2; return 1; }
  env -u DOCKER_HOST docker save "$SANDBOX_TRIAGE_LAB_SANDBOX_IMAGE" | docker -H "unix://$dir/docker.sock" load >/dev/null
  LAB_ENGINE2="unix://$dir/docker.sock"
}

lab_second_engine_stop() {
  local pid
  pid=$(cat "$LAB_WORK/engine2/docker.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null
  local _
  for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  ip link del "$LAB_ENGINE2_BRIDGE" 2>/dev/null
  rm -f "$LAB_WORK/engine2/docker.pid"
}

# The image built into one engine while the gateway's driver reads another: the create
# fails, and the recovery copies the image across and creates from it, without a rebuild.
lab_scenarios_two_engines() {
  lab_second_engine_start || { lab_fail second-engine "a second dockerd did not start"; return 1; }
  lab_gateway_stop
  lab_gateway_start "$LAB_WORK/gateway-never.toml" || return 1
  lab_case image-in-another-engine image_not_in_gateway_store DOCKER_HOST="$LAB_ENGINE2" -- \
    openshell sandbox create --from ./ok/Dockerfile --name lab-elsewhere-first
  # The operator's way: the create run under --recover from the start.
  lab_recovery recover-image-in-another-engine lab-elsewhere DOCKER_HOST="$LAB_ENGINE2" \
    SANDBOX_TRIAGE_GATEWAY_ENGINE_HOST=unix:///var/run/docker.sock -- \
    openshell sandbox create --from ./ok/Dockerfile --name lab-elsewhere
  lab_gateway_stop
  lab_gateway_start || return 1
  lab_second_engine_stop
}
