#!/usr/bin/env bash
# podman-api.sh start|start-shared|stop SOCKET -- run (or stop) a Podman
# Docker-compatible API service on unix://SOCKET.
#
#   start         the service uses its OWN, EMPTY storage (the mismatch below)
#   start-shared  the service uses the operator's default storage, i.e. the
#                 "right" socket: the upload then succeeds (Podman creates a
#                 missing target directory) and the stand-in goes on to
#                 `ctr images import`
#   stop          stop whichever of the two runs on SOCKET
#
# Why: NemoClaw #3266's 404 (`no container with name or ID
# "openshell-cluster-<gw>" found: no such container`) happens when the socket
# OpenShell talks to (DOCKER_HOST) belongs to a Podman that does not have the
# gateway container -- the classic rootless/rootful socket mismatch -- while
# `podman inspect openshell-cluster-<gw>` on the operator's Podman shows it
# running. This service is that "other" Podman: point the stand-in openshell
# at it with SBXT_ENGINE=podman SBXT_PODMAN_SOCK=SOCKET and its tar upload
# answers Podman's real 404.
#
# The service's pid file and log, and for `start` its storage (--root,
# --runroot, --tmpdir; vfs driver), live in $SBXT_PODMAN_ALT (default:
# SOCKET.alt, next to the socket). start and start-shared are idempotent
# (nothing to do when the socket already answers /_ping);
# stop kills the service it started, removes the socket and that directory,
# and is quiet when nothing runs.
set -eu

usage() { echo "usage: $0 start|start-shared|stop SOCKET" >&2; exit 2; }
[ "$#" -eq 2 ] || usage
ACTION=$1 SOCKET=$2
case "$SOCKET" in /*) ;; *) SOCKET=$PWD/$SOCKET ;; esac
ALT=${SBXT_PODMAN_ALT:-$SOCKET.alt}
PIDFILE=$ALT/service.pid

ping() { curl -fsS --max-time 2 --unix-socket "$SOCKET" http://localhost/_ping >/dev/null 2>&1; }

case "$ACTION" in
start|start-shared)
    if ping; then exit 0; fi
    mkdir -p "$ALT" "$(dirname "$SOCKET")"
    rm -f "$SOCKET"
    storage=()
    if [ "$ACTION" = start ]; then
        mkdir -p "$ALT/root" "$ALT/runroot" "$ALT/tmp"
        storage=(--root "$ALT/root" --runroot "$ALT/runroot" --tmpdir "$ALT/tmp"
            --storage-driver vfs)
    fi
    # setsid: the service must outlive this script and its caller's job.
    setsid podman "${storage[@]}" system service --time=0 "unix://$SOCKET" \
        >"$ALT/service.log" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
    i=0
    until ping; do
        i=$((i + 1))
        if [ "$i" -ge 100 ] || ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
            echo "podman-api.sh: service on $SOCKET did not come up" >&2
            cat "$ALT/service.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    ;;
stop)
    if [ -f "$PIDFILE" ]; then
        pid=$(cat "$PIDFILE")
        if kill "$pid" 2>/dev/null; then
            i=0
            while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$SOCKET"
    if [ -d "$ALT" ]; then rm -rf "$ALT"; fi
    ;;
*) usage ;;
esac
