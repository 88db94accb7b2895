#!/usr/bin/env bash
# A real OpenShell gateway with its Docker compute driver on the local engine, set up as
# OpenShell's own e2e harness does (e2e/with-docker-gateway.sh): its PKI from
# `openshell-gateway generate-certs`, mTLS for the CLI, sandbox JWTs, SQLite state, the
# host-built supervisor bind-mounted into each sandbox (no supervisor image to pull),
# and the CLI's registration under an XDG_CONFIG_HOME of the lab's own.
#
# Sourced by run.sh, after LAB_BIN (the three binaries), LAB_WORK (a fresh directory)
# and LAB_NS (a namespace for everything the driver creates) are set.

lab_pick_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

lab_gateway_configure() {
  LAB_PORT=$(lab_pick_port)
  LAB_HEALTH_PORT=$(lab_pick_port)
  LAB_GATEWAY=lab
  mkdir -p "$LAB_WORK/config" "$LAB_WORK/state" "$LAB_WORK/data" "$LAB_WORK/gateway-config"
  # generate-certs also stores a client bundle under its XDG_CONFIG_HOME: not the CLI's.
  XDG_CONFIG_HOME="$LAB_WORK/gateway-config" "$LAB_BIN/openshell-gateway" generate-certs \
    --output-dir "$LAB_WORK/pki" --server-san host.openshell.internal >"$LAB_WORK/pki.log" 2>&1 || {
    cat "$LAB_WORK/pki.log" >&2
    return 1
  }
  lab_gateway_toml jwt IfNotPresent >"$LAB_WORK/gateway.toml"
  lab_gateway_toml nojwt IfNotPresent >"$LAB_WORK/gateway-nojwt.toml"
  lab_gateway_toml jwt Never >"$LAB_WORK/gateway-never.toml"
  lab_gateway_toml jwt IfNotPresent plaintext >"$LAB_WORK/gateway-plaintext.toml"
  lab_register "$LAB_GATEWAY" "https://127.0.0.1:$LAB_PORT"
}

# The gateway's configuration; `nojwt` leaves out the sandbox JWT table (a real
# misconfiguration the gateway refuses creates for); the second argument is the
# driver's pull policy. `IfNotPresent` pulls what its engine lacks: every image a
# scenario names is either present or on a registry at 127.0.0.1; a scenario whose
# image is absent from the driver's engine (built into another) runs under `Never`, or
# the driver would ask Docker Hub for it.
lab_gateway_toml() {
  printf '[openshell]\nversion = 1\n\n[openshell.gateway]\nlog_level = "info"\n\n'
  if [ "$1" = jwt ]; then
    printf '[openshell.gateway.gateway_jwt]\nsigning_key_path = "%s"\npublic_key_path = "%s"\nkid_path = "%s"\ngateway_id = "%s"\nttl_secs = 0\n\n' \
      "$LAB_WORK/pki/jwt/signing.pem" "$LAB_WORK/pki/jwt/public.pem" "$LAB_WORK/pki/jwt/kid" "$LAB_NS"
  fi
  if [ "${3:-}" != plaintext ]; then
    printf '[openshell.gateway.mtls_auth]\nenabled = true\n\n'
  fi
  printf '[openshell.drivers.docker]\n'
  printf 'sandbox_namespace = "%s"\nnetwork_name = "%s"\n' "$LAB_NS" "$LAB_NS"
  printf 'grpc_endpoint = "https://host.openshell.internal:%s"\n' "$LAB_PORT"
  printf 'default_image = "%s"\nimage_pull_policy = "%s"\n' "$SANDBOX_TRIAGE_LAB_SANDBOX_IMAGE" "$2"
  printf 'supervisor_bin = "%s"\n' "$LAB_BIN/openshell-sandbox"
  printf 'guest_tls_ca = "%s"\nguest_tls_cert = "%s"\nguest_tls_key = "%s"\n' \
    "$LAB_WORK/pki/ca.crt" "$LAB_WORK/pki/client/tls.crt" "$LAB_WORK/pki/client/tls.key"
}

# Registers gateway NAME at ENDPOINT for the CLI, with PKI's client pair (default the
# gateway's own); an http:// endpoint is a plaintext registration.
lab_register() {
  local dir="$LAB_WORK/config/openshell/gateways/$1" pki="${3:-$LAB_WORK/pki}" auth=""
  mkdir -p "$dir/mtls"
  cp "$pki/ca.crt" "$dir/mtls/ca.crt"
  cp "$pki/client/tls.crt" "$dir/mtls/tls.crt"
  cp "$pki/client/tls.key" "$dir/mtls/tls.key"
  case "$2" in http://*) auth=$',\n  "auth_mode": "plaintext"' ;; esac
  printf '{\n  "name": "%s",\n  "gateway_endpoint": "%s",\n  "is_remote": false,\n  "gateway_port": %s%s\n}\n' \
    "$1" "$2" "${2##*:}" "$auth" >"$dir/metadata.json"
  printf '%s' "$1" >"$LAB_WORK/config/openshell/active_gateway"
}

# Starts the gateway with CONFIG (default gateway.toml) and waits until it is healthy.
lab_gateway_start() {
  local config="${1:-$LAB_WORK/gateway.toml}"
  local tls=(--tls-cert "$LAB_WORK/pki/server/tls.crt" --tls-key "$LAB_WORK/pki/server/tls.key" --tls-client-ca "$LAB_WORK/pki/ca.crt")
  case "$config" in *plaintext*) tls=(--disable-tls) ;; esac
  OPENSHELL_TELEMETRY_ENABLED=false XDG_CONFIG_HOME="$LAB_WORK/gateway-config" XDG_STATE_HOME="$LAB_WORK/state" \
    XDG_DATA_HOME="$LAB_WORK/data" \
    "$LAB_BIN/openshell-gateway" --config "$config" --port "$LAB_PORT" --health-port "$LAB_HEALTH_PORT" \
    --drivers docker "${tls[@]}" --db-url "sqlite:$LAB_WORK/state/gateway.db?mode=rwc" \
    >>"$LAB_WORK/gateway.log" 2>&1 &
  echo $! >"$LAB_WORK/gateway.pid"
  # Killed on purpose in some scenarios: the shell need not report it.
  disown
  local _
  for _ in $(seq 240); do
    if ! kill -0 "$(cat "$LAB_WORK/gateway.pid")" 2>/dev/null; then
      echo "lab: the gateway exited while starting; its log:" >&2
      tail -20 "$LAB_WORK/gateway.log" >&2
      return 1
    fi
    curl -sf "http://127.0.0.1:$LAB_HEALTH_PORT/healthz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "lab: the gateway was not healthy within 120 s; its log:" >&2
  tail -20 "$LAB_WORK/gateway.log" >&2
  return 1
}

# Stops the gateway with SIGNAL and waits for it (then KILL after 30 s). The lab's own
# restarts kill it (the default): a SIGTERM waits for every sandbox to stop first.
lab_gateway_stop() {
  local pid
  pid=$(cat "$LAB_WORK/gateway.pid" 2>/dev/null) || return 0
  kill "-${1:-KILL}" "$pid" 2>/dev/null || { rm -f "$LAB_WORK/gateway.pid"; return 0; }
  local _
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$LAB_WORK/gateway.pid"
}

# The CLI as the operator runs it: the lab's registration, the engine's own socket.
lab_cli_env() {
  export XDG_CONFIG_HOME="$LAB_WORK/config" XDG_STATE_HOME="$LAB_WORK/cli-state" XDG_DATA_HOME="$LAB_WORK/cli-data"
  export OPENSHELL_TELEMETRY_ENABLED=false PATH="$LAB_BIN:$PATH"
  unset DOCKER_HOST
}
