#!/usr/bin/env bash
# The three OpenShell binaries the lab runs — the CLI (`openshell`), the gateway
# (`openshell-gateway`) and the sandbox supervisor (`openshell-sandbox`) — built from
# the vendored source, cached outside the repository and keyed by the source's commit,
# so that a second run finds them at once.
#
# Sourced by run.sh: `lab_openshell_bin_dir` prints the directory that holds them,
# building them first when one is missing; `lab_openshell_built` says whether all three
# are there already (CI runs the lab only then).
#
# The dev profile without debug information builds the three in minutes where the
# release profile takes over an hour on two cores; the lab needs OpenShell's behaviour,
# not its speed. The version is set as OpenShell's packaging sets it (`git describe`
# of the commit), so `openshell --version` says what an operator's would.

LAB_OPENSHELL_COMMIT=2f7fb6559
LAB_OPENSHELL_VERSION=0.0.111-2-g2f7fb6559
LAB_CACHE="${SANDBOX_TRIAGE_LAB_CACHE:-$HOME/.cache/sandbox-triage-lab}"
LAB_OPENSHELL_DIR="$LAB_CACHE/openshell-$LAB_OPENSHELL_COMMIT"
# The source: given, else beside the repository (../shared/vendor), else the copy a
# build left in the cache.
LAB_OPENSHELL_TARBALL="${SANDBOX_TRIAGE_LAB_OPENSHELL_SOURCE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/shared/vendor/openshell-${LAB_OPENSHELL_COMMIT}.tar.gz}"
[ -f "$LAB_OPENSHELL_TARBALL" ] || LAB_OPENSHELL_TARBALL="$LAB_OPENSHELL_DIR/openshell-$LAB_OPENSHELL_COMMIT.tar.gz"

lab_openshell_built() {
  local bin
  for bin in openshell openshell-gateway openshell-sandbox; do
    [ -x "$LAB_OPENSHELL_DIR/bin/$bin" ] || return 1
  done
}

lab_openshell_bin_dir() {
  if ! lab_openshell_built; then
    lab_openshell_build >&2 || return 1
  fi
  printf '%s\n' "$LAB_OPENSHELL_DIR/bin"
}

lab_openshell_build() {
  [ -f "$LAB_OPENSHELL_TARBALL" ] || {
    echo "lab: OpenShell's source is not at $LAB_OPENSHELL_TARBALL (set SANDBOX_TRIAGE_LAB_OPENSHELL_SOURCE)" >&2
    return 1
  }
  # Debian's z3 for the gateway's policy prover, and protoc comes vendored.
  if ! dpkg -s libz3-dev >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libz3-dev >/dev/null
  fi
  mkdir -p "$LAB_OPENSHELL_DIR/src" "$LAB_OPENSHELL_DIR/bin"
  [ -f "$LAB_OPENSHELL_DIR/openshell-$LAB_OPENSHELL_COMMIT.tar.gz" ] ||
    cp "$LAB_OPENSHELL_TARBALL" "$LAB_OPENSHELL_DIR/openshell-$LAB_OPENSHELL_COMMIT.tar.gz"
  if [ ! -f "$LAB_OPENSHELL_DIR/src/openshell/Cargo.toml" ]; then
    tar -xzf "$LAB_OPENSHELL_TARBALL" -C "$LAB_OPENSHELL_DIR/src"
  fi
  echo "lab: building openshell, openshell-gateway and openshell-sandbox from $LAB_OPENSHELL_COMMIT (minutes, once)" >&2
  (
    cd "$LAB_OPENSHELL_DIR/src/openshell" &&
      OPENSHELL_GIT_VERSION="$LAB_OPENSHELL_VERSION" CARGO_TARGET_DIR="$LAB_OPENSHELL_DIR/target" CARGO_PROFILE_DEV_DEBUG=0 \
        cargo build --quiet -p openshell-cli -p openshell-server -p openshell-sandbox --bins
  ) || return 1
  local bin
  for bin in openshell openshell-gateway openshell-sandbox; do
    cp "$LAB_OPENSHELL_DIR/target/debug/$bin" "$LAB_OPENSHELL_DIR/bin/$bin.tmp" && mv "$LAB_OPENSHELL_DIR/bin/$bin.tmp" "$LAB_OPENSHELL_DIR/bin/$bin"
  done
}
