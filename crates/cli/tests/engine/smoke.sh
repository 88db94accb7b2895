#!/usr/bin/env bash
# smoke.sh ENGINE -- self-test of this directory's scripts against a real
# engine (docker or podman), in a few seconds, leaving nothing behind but the
# sbxt-busybox:1 / sbxt-gateway:1 images:
#
#   1. the stand-in `openshell sandbox create --from <Dockerfile>` fails with
#      the real upload 404 (docker: missing path; podman: mismatched socket);
#   2. `ENGINE save TAG | ENGINE exec -i GW ctr ... images import -` works and
#      `ctr images check` shows the tag (docker.io/... or localhost/...) with
#      UNPACKED true;
#   3. the stand-in `--from TAG` then succeeds.
#
# Why: a quick way to tell whether the engine tests can run on this machine
# and whether the scripts still behave as README.md says.
set -eu

[ "$#" -eq 1 ] || { echo "usage: $0 docker|podman" >&2; exit 2; }
E=$1
case "$E" in docker|podman) ;; *) echo "usage: $0 docker|podman" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
GW=sbxt-smoke-$$
C=openshell-cluster-$GW
S=/run/k3s/containerd/containerd.sock
work=$(mktemp -d "${TMPDIR:-/tmp}/sbxt-smoke.XXXXXX")
tag=''

cleanup() {
    "$here/gateway.sh" "$E" rm "$GW" || true
    if [ -n "$tag" ]; then "$E" rmi "$tag" >/dev/null 2>&1 || true; fi
    if [ "$E" = podman ]; then "$here/podman-api.sh" stop "$work/alt.sock" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
die() { echo "smoke.sh: FAIL: $*" >&2; exit 1; }

export SBXT_ENGINE=$E
if [ "$E" = podman ]; then
    export SBXT_PODMAN_SOCK=$work/alt.sock
    "$here/podman-api.sh" start "$SBXT_PODMAN_SOCK"
fi
"$here/images.sh" "$E"
"$here/gateway.sh" "$E" start "$GW"
"$here/gateway.sh" "$E" wait "$GW"

mkdir -p "$work/ctx"
printf 'FROM sbxt-busybox:1\nRUN echo hi > /hi\n' >"$work/ctx/Dockerfile"
rc=0
"$here/openshell" sandbox create --from "$work/ctx/Dockerfile" -g "$GW" >"$work/out" 2>&1 || rc=$?
cat "$work/out"
tag=$(sed -n 's/^  Built image \(openshell\/sandbox-from:[0-9]*\)$/\1/p' "$work/out")
[ "$rc" -eq 1 ] || die "create from Dockerfile exited $rc, not 1"
[ -n "$tag" ] || die "no 'Built image' line"
grep -q '^  ╰─▶ Docker responded with status code 404: ' "$work/out" || die "no 404"

"$E" save "$tag" | "$E" exec -i "$C" ctr -a "$S" -n k8s.io images import -
"$E" exec "$C" ctr -a "$S" -n k8s.io images check | tee "$work/check"
awk -v t="$tag" '($1 == "docker.io/" t || $1 == "localhost/" t) && $NF == "true" { ok = 1 }
    END { exit !ok }' "$work/check" || die "$tag not unpacked in the gateway"

"$here/openshell" sandbox create --from "$tag" --name smoke -g "$GW" || die "create --from $tag failed"
echo "smoke.sh: OK ($E)"
