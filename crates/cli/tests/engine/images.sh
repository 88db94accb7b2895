#!/usr/bin/env bash
# images.sh ENGINE -- build the two local test images, if missing:
#
#   sbxt-busybox:1   busybox-static (/bin/busybox) with its applets linked; the
#                    base for tiny test Dockerfiles (`FROM sbxt-busybox:1`).
#   sbxt-gateway:1   the same tree plus the host's containerd and ctr (and the
#                    libraries ldd reports, and the loader), a containerd
#                    config and an entrypoint that make it behave like the
#                    k3s gateway container of OpenShell <= 0.0.36 as far as
#                    images are concerned: containerd on
#                    /run/k3s/containerd/containerd.sock, namespace k8s.io
#                    labelled containerd.io/defaults/snapshotter=native.
#
# Why: the triage tool's engine tests need a real engine, a real gateway
# container and a real containerd, but no registry is reachable here, so every
# image is made from host files with `ENGINE import` (no FROM, no pull).
#
# The gateway image deliberately has no /var/lib/rancher/k3s/agent/images, so
# a Docker archive PUT to that path answers a real 404.
#
# ENGINE is docker or podman. Idempotent: an image is rebuilt only when it is
# missing or was made by a different version of this script (label
# sbxt.recipe = sha256 of this file). Takes a few seconds the first time.
set -eu

usage() { echo "usage: $0 docker|podman" >&2; exit 2; }
[ "$#" -eq 1 ] || usage
ENGINE=$1
case "$ENGINE" in docker|podman) ;; *) usage ;; esac

BUSYBOX_IMAGE=sbxt-busybox:1
GATEWAY_IMAGE=sbxt-gateway:1
BUSYBOX_BIN=${SBXT_BUSYBOX:-/bin/busybox}
CONTAINERD_BIN=${SBXT_CONTAINERD:-/usr/bin/containerd}
CTR_BIN=${SBXT_CTR:-/usr/bin/ctr}

here=$(cd "$(dirname "$0")" && pwd)
recipe=$(sha256sum "$here/images.sh" | cut -c1-16)

for f in "$BUSYBOX_BIN" "$CONTAINERD_BIN" "$CTR_BIN"; do
    [ -x "$f" ] || { echo "images.sh: $f is missing" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/sbxt-images.XXXXXX")
trap 'rm -rf "$work"' EXIT

# up_to_date IMAGE: the image exists and carries this script's recipe label.
up_to_date() {
    local got
    got=$("$ENGINE" image inspect --format '{{index .Config.Labels "sbxt.recipe"}}' "$1" 2>/dev/null) || return 1
    [ "$got" = "$recipe" ]
}

# busybox_tree DIR: busybox and a link per applet (not the link named
# `busybox` itself, or cp/ln would overwrite the binary).
busybox_tree() {
    local dir=$1 p
    mkdir -p "$dir/bin" "$dir/etc" "$dir/root" "$dir/tmp"
    chmod 1777 "$dir/tmp"
    cp "$BUSYBOX_BIN" "$dir/bin/busybox"
    "$BUSYBOX_BIN" --list-full | while read -r p; do
        [ "$p" = bin/busybox ] && continue
        mkdir -p "$dir/$(dirname "$p")"
        ln -sf /bin/busybox "$dir/$p"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$dir/etc/passwd"
    printf 'root:x:0:\n' >"$dir/etc/group"
}

# import DIR IMAGE CHANGE...: tar DIR (owned by root) into ENGINE as IMAGE.
import() {
    local dir=$1 image=$2
    shift 2
    local args=(--change "LABEL sbxt.recipe=$recipe")
    local c old
    for c in "$@"; do args+=(--change "$c"); done
    old=$("$ENGINE" image inspect --format '{{.Id}}' "$image" 2>/dev/null) || old=
    if ! tar --numeric-owner --owner=0 --group=0 -C "$dir" -cf - . \
        | "$ENGINE" import "${args[@]}" - "$image" >/dev/null 2>"$work/import.err"; then
        cat "$work/import.err" >&2
        echo "images.sh: $ENGINE import of $image failed" >&2
        exit 1
    fi
    # Drop the outdated image this one replaces (kept if a container uses it).
    if [ -n "$old" ]; then "$ENGINE" rmi "$old" >/dev/null 2>&1 || true; fi
    echo "images.sh: built $image ($ENGINE)"
}

if ! up_to_date "$BUSYBOX_IMAGE"; then
    busybox_tree "$work/busybox"
    import "$work/busybox" "$BUSYBOX_IMAGE" 'CMD ["/bin/sh"]'
fi

if ! up_to_date "$GATEWAY_IMAGE"; then
    g=$work/gateway
    busybox_tree "$g"
    mkdir -p "$g/usr/bin" "$g/usr/local/bin" "$g/etc/containerd" "$g/run" "$g/var/log"
    cp "$CONTAINERD_BIN" "$g/usr/bin/containerd"
    cp "$CTR_BIN" "$g/usr/bin/ctr"
    # The libraries and the loader the two binaries need, at the same paths
    # (symlinks resolved: /lib64/ld-linux-x86-64.so.2 is one on Debian).
    ldd "$CONTAINERD_BIN" "$CTR_BIN" \
        | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(/ { print $1 }' \
        | sort -u | while read -r lib; do
            mkdir -p "$g$(dirname "$lib")"
            cp -L "$lib" "$g$lib"
        done
    cat >"$g/etc/containerd/config.toml" <<'TOML'
# sbxt gateway: containerd laid out like k3s's inside OpenShell's gateway.
version = 2
root = "/var/lib/rancher/k3s/agent/containerd"
state = "/run/k3s/containerd"
disabled_plugins = [
  "io.containerd.grpc.v1.cri",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.aufs",
]

[grpc]
  address = "/run/k3s/containerd/containerd.sock"
TOML
    cat >"$g/usr/local/bin/sbxt-gateway-entrypoint" <<'ENTRY'
#!/bin/sh
# sbxt gateway entrypoint: start containerd where k3s puts it, wait for its
# socket, create the k8s.io namespace with the native snapshotter as its
# default (overlay mounts fail on this host's storage), then wait on
# containerd. Like k3s (which exits when its containerd does), the container
# stops when containerd dies -- unless SBXT_GATEWAY_ON_CONTAINERD_EXIT=stay,
# which keeps it running without containerd (for "exec works, ctr cannot
# connect" tests).
set -eu
SOCK=/run/k3s/containerd/containerd.sock
mkdir -p /run/k3s/containerd /var/lib/rancher/k3s/agent/containerd /tmp
containerd --config /etc/containerd/config.toml &
pid=$!
echo "$pid" >/run/k3s/containerd.pid
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"; exit 0' TERM INT
i=0
until [ -S "$SOCK" ] && ctr -a "$SOCK" version >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "sbxt-gateway: containerd exited before its socket came up" >&2
        exit 1
    fi
    i=$((i + 1))
    if [ "$i" -gt 300 ]; then
        echo "sbxt-gateway: no containerd socket after 30 s" >&2
        exit 1
    fi
    sleep 0.1
done
ctr -a "$SOCK" namespaces create k8s.io 2>/dev/null || true
ctr -a "$SOCK" namespaces label k8s.io containerd.io/defaults/snapshotter=native
echo "sbxt-gateway: containerd ready (pid $pid)"
rc=0
wait "$pid" || rc=$?
echo "sbxt-gateway: containerd exited with status $rc" >&2
if [ "${SBXT_GATEWAY_ON_CONTAINERD_EXIT:-}" = stay ]; then
    trap 'exit 0' TERM INT
    while :; do sleep 1; done
fi
exit "$rc"
ENTRY
    chmod 755 "$g/usr/local/bin/sbxt-gateway-entrypoint"
    if [ -e "$g/var/lib/rancher/k3s/agent/images" ]; then
        echo "images.sh: bug: gateway tree has agent/images" >&2
        exit 1
    fi
    import "$g" "$GATEWAY_IMAGE" 'ENTRYPOINT ["/usr/local/bin/sbxt-gateway-entrypoint"]' 'CMD []'
fi
