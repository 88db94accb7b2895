#!/usr/bin/env bash
# gateway.sh ENGINE start|stop|rm|wait NAME -- manage a stand-in OpenShell
# (<= 0.0.36) gateway container, openshell-cluster-NAME, from sbxt-gateway:1.
#
#   start  run it detached (--cap-add SYS_ADMIN so containerd can bind-mount
#          snapshots, --network none so nothing leaves the box); start it again
#          if it exists but is stopped; nothing if it is running. Builds the
#          images with images.sh first if sbxt-gateway:1 is missing.
#   wait   wait (at most ~20 s) until `ctr -a /run/k3s/containerd/containerd.sock
#          -n k8s.io namespaces ls` works in it and shows k8s.io with its
#          snapshotter label; exit 1 with the container's log otherwise.
#   stop   stop it (2 s grace); quiet and successful when it is absent.
#   rm     remove it (forced, with its anonymous volumes); quiet when absent.
#
# Why: the triage tool's engine tests need the gateway container that
# OpenShell's tar upload and `ctr images import` target, with a real
# containerd in it. NAME must start with `sbxt` so that a developer's real
# gateway (e.g. openshell-cluster-nemoclaw) is never touched; set
# SBXT_ALLOW_ANY_GATEWAY=1 to lift that guard. With
# SBXT_GATEWAY_ON_CONTAINERD_EXIT=stay in the environment of `start` (for a
# new container), the container keeps running when its containerd dies
# (default: it stops, as k3s does).
set -eu

usage() { echo "usage: $0 docker|podman start|stop|rm|wait NAME" >&2; exit 2; }
[ "$#" -eq 3 ] || usage
ENGINE=$1 ACTION=$2 NAME=$3
case "$ENGINE" in docker|podman) ;; *) usage ;; esac
case "$ACTION" in start|stop|rm|wait) ;; *) usage ;; esac
case "$NAME" in
    sbxt*) ;;
    *) if [ "${SBXT_ALLOW_ANY_GATEWAY:-}" != 1 ]; then
           echo "gateway.sh: refusing gateway name '$NAME' (must start with sbxt)" >&2
           exit 2
       fi ;;
esac

CONTAINER=openshell-cluster-$NAME
IMAGE=sbxt-gateway:1
SOCK=/run/k3s/containerd/containerd.sock
here=$(cd "$(dirname "$0")" && pwd)

run_opts=(--cap-add SYS_ADMIN --network none)
if [ -n "${SBXT_GATEWAY_ON_CONTAINERD_EXIT:-}" ]; then
    run_opts+=(-e "SBXT_GATEWAY_ON_CONTAINERD_EXIT=$SBXT_GATEWAY_ON_CONTAINERD_EXIT")
fi
if [ "$ENGINE" = podman ]; then
    hn=$(ulimit -Hn)
    run_opts+=(--ulimit "nofile=$hn:$hn" --ulimit nproc=4096:4096)
fi

# state: true (running), false (exists, not running) or absent.
# (docker 28 prints an empty line on stdout even for a missing container.)
state() {
    local s
    if s=$("$ENGINE" inspect --type container --format '{{.State.Running}}' "$CONTAINER" 2>/dev/null); then
        echo "$s"
    else
        echo absent
    fi
}

case "$ACTION" in
start)
    case "$(state)" in
    true) ;;
    false) "$ENGINE" start "$CONTAINER" >/dev/null ;;
    *)
        "$ENGINE" image inspect "$IMAGE" >/dev/null 2>&1 || "$here/images.sh" "$ENGINE" >&2
        "$ENGINE" run -d --name "$CONTAINER" --label sbxt=1 "${run_opts[@]}" "$IMAGE" >/dev/null
        ;;
    esac
    ;;
stop)
    [ "$(state)" = absent ] || "$ENGINE" stop -t 2 "$CONTAINER" >/dev/null 2>&1 || true
    ;;
rm)
    [ "$(state)" = absent ] || "$ENGINE" rm -f -v "$CONTAINER" >/dev/null 2>&1 || true
    ;;
wait)
    # --connect-timeout: without it ctr blocks 10 s when the socket is dead.
    deadline=$((SECONDS + 20))
    while :; do
        if out=$("$ENGINE" exec "$CONTAINER" ctr --connect-timeout 1s -a "$SOCK" -n k8s.io namespaces ls 2>/dev/null) \
            && printf '%s\n' "$out" | grep -q '^k8s\.io .*containerd.io/defaults/snapshotter=native'; then
            exit 0
        fi
        s=$(state)
        if [ "$s" != true ] || [ "$SECONDS" -ge "$deadline" ]; then
            echo "gateway.sh: $CONTAINER is not ready (running: $s)" >&2
            [ "$s" = absent ] || "$ENGINE" logs --tail 20 "$CONTAINER" >&2 || true
            exit 1
        fi
        sleep 0.25
    done
    ;;
esac
