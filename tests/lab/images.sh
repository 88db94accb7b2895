#!/usr/bin/env bash
# Offline container images for the sandbox-triage lab.
#
# The lab's Docker Engine can reach no registry, so every image the lab needs
# is assembled here from Debian packages (fetched with apt into a cache, which
# is reused) and loaded with `docker import`; nothing is ever pulled.
#
#   sandbox-triage-lab/sandbox:ready  OpenShell's sandbox supervisor can start
#                                     in it: merged /usr, glibc, busybox, bash,
#                                     ip, iptables, nft, nsenter, `sandbox` user.
#   sandbox-triage-lab/base:1         busybox only, no USER, no ip / nsenter /
#                                     iptables / nft: a FROM for images whose
#                                     sandbox must fail, and for build steps.
#
# Use it sourced (functions below) or directly:
#   bash tests/lab/images.sh build-all|build-sandbox|build-base
#   bash tests/lab/images.sh verify|remove|help
#   bash tests/lab/images.sh sandbox-context DIR [DOCKERFILE-LINE...]
#   bash tests/lab/images.sh base-context DIR [DOCKERFILE-LINE...]
#   bash tests/lab/images.sh check-binary FILE [IMAGE]
#
# Environment: SANDBOX_TRIAGE_LAB_CACHE (default ~/.cache/sandbox-triage-lab)
# holds debs/ and the staging trees; SANDBOX_TRIAGE_LAB_REBUILD=1 rebuilds
# even when an image with the current recipe hash exists.
#
# Every public function runs this file in a child bash, so the strict options
# of the direct-run path apply there (even when the caller tests the result in
# an `if`, where errexit would otherwise be ignored) and the caller's own shell
# options are never touched.

SANDBOX_TRIAGE_LAB_SANDBOX_IMAGE=sandbox-triage-lab/sandbox:ready
SANDBOX_TRIAGE_LAB_BASE_IMAGE=sandbox-triage-lab/base:1

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    # Sourced: define the public functions only and leave everything else to
    # the child process they start.
    _sandbox_triage_lab_images_sh="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"

    _sandbox_triage_lab_images() {
        bash "$_sandbox_triage_lab_images_sh" "$@"
    }
    # Build both images (skipped when already built from this recipe).
    lab_images_build_all() { _sandbox_triage_lab_images build-all; }
    lab_image_build_sandbox() { _sandbox_triage_lab_images build-sandbox; }
    lab_image_build_base() { _sandbox_triage_lab_images build-base; }
    # Run the smoke checks against both images.
    lab_images_verify() { _sandbox_triage_lab_images verify; }
    # Remove the images this file built.
    lab_images_remove() { _sandbox_triage_lab_images remove; }
    # lab_sandbox_context DIR [LINE...]: DIR/Dockerfile FROM the sandbox image,
    # with each extra LINE appended.
    lab_sandbox_context() { _sandbox_triage_lab_images sandbox-context "$@"; }
    # lab_base_context DIR [LINE...]: the same FROM the busybox-only base.
    lab_base_context() { _sandbox_triage_lab_images base-context "$@"; }
    # lab_image_check_binary FILE [IMAGE]: can FILE's libraries be loaded there?
    lab_image_check_binary() { _sandbox_triage_lab_images check-binary "$@"; }
    return 0
fi

set -euo pipefail

readonly LAB_PREFIX=sandbox-triage-lab
readonly LAB_CACHE="${SANDBOX_TRIAGE_LAB_CACHE:-$HOME/.cache/$LAB_PREFIX}"
readonly LAB_DEBS="$LAB_CACHE/debs"
readonly LAB_STAGE="$LAB_CACHE/stage"
LAB_SCRIPT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
readonly LAB_SCRIPT
readonly LAB_RECIPE_LABEL="$LAB_PREFIX.recipe"
# The image contents follow from this file alone (plus the Debian archive), so
# its hash says whether an existing image is current.
LAB_RECIPE="$(sha256sum "$LAB_SCRIPT" | cut -c1-16)"
readonly LAB_RECIPE
readonly LAB_PATH_ENV=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# The supervisor is an x86_64 glibc binary; nothing else is needed here.
readonly LAB_ARCH=amd64
readonly LAB_TRIPLET=x86_64-linux-gnu

log() { printf '%s: %s\n' "$LAB_PREFIX" "$*" >&2; }
die() { log "error: $*"; exit 1; }
now_ms() { date +%s%3N; }
elapsed() { local ms=$(($(now_ms) - $1)); printf '%d.%01ds' $((ms / 1000)) $((ms % 1000 / 100)); }

# --- Debian packages -------------------------------------------------------

# apt-cache answers from the local package lists; only a machine that never
# ran `apt-get update` needs to fetch them. apt fetches the host's
# architecture, which must be the supervisor's.
ensure_apt_lists() {
    [[ "$(dpkg --print-architecture)" == "$LAB_ARCH" ]] || die "these images need an $LAB_ARCH host"
    if ! apt-cache show --no-all-versions bash >/dev/null 2>&1; then
        log "no apt package lists yet: running apt-get update"
        apt-get update -qq
    fi
}

# Print PKGS and, recursively, the libraries they depend on. Only
# Multi-Arch: same packages are followed: that is how Debian marks shared
# libraries, and it keeps debconf, perl and the like out. Two apt-cache calls
# in all, since each one reads the whole package list.
lib_closure() {
    local graph
    local -a nodes
    graph=$(apt-cache depends --recurse --important "$@")
    mapfile -t nodes < <(awk '/^[^ <]/ { print $1 }' <<<"$graph" | sort -u)
    awk -v roots="$*" '
        FNR == NR {
            if ($1 == "Package:") pkg = $2
            else if ($0 == "Multi-Arch: same") lib[pkg] = 1
            next
        }
        /^[^ ]/ { node = $1; next }
        $1 ~ /^\|?(Pre)?Depends:$/ && $2 !~ /^</ { deps[node] = deps[node] " " $2 }
        END {
            n = split(roots, queue, " ")
            for (i = 1; i <= n; i++) keep[queue[i]] = 1
            for (i = 1; i <= n; i++) {
                m = split(deps[queue[i]], d, " ")
                for (j = 1; j <= m; j++)
                    if (lib[d[j]] && !keep[d[j]]) { keep[d[j]] = 1; queue[++n] = d[j] }
            }
            for (p in keep) print p
        }' <(apt-cache show --no-all-versions "${nodes[@]}" 2>/dev/null) - <<<"$graph" | sort
}

# Fill the CACHED map (package name -> .deb path, newest version wins) from
# the cache directory.
declare -A CACHED=()
scan_cache() {
    local name f
    CACHED=()
    while IFS=$'\t' read -r name f; do CACHED[$name]=$f; done < <(
        shopt -s nullglob
        for f in "$LAB_DEBS"/*.deb; do
            name=${f##*/}
            printf '%s\t%s\n' "${name%%_*}" "$f"
        done | sort -V -k2
    )
}

# Make sure every PKG has a .deb in the cache; download the missing ones.
fetch_debs() {
    local -a missing=()
    local pkg
    mkdir -p "$LAB_DEBS"
    scan_cache
    for pkg in "$@"; do
        [[ -n "${CACHED[$pkg]:-}" ]] || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    log "downloading ${#missing[@]} package(s): ${missing[*]}"
    # root's apt drops to the _apt user for downloads, which cannot write
    # into a cache under /root.
    (cd "$LAB_DEBS" && apt-get download -qq -o APT::Sandbox::User=root "${missing[@]}")
    scan_cache
    for pkg in "${missing[@]}"; do
        [[ -n "${CACHED[$pkg]:-}" ]] || die "apt-get download did not produce a .deb for $pkg"
    done
}

# Unpack PKGS and their library dependencies into a fresh POOL directory.
unpack_pool() {
    local pool=$1
    shift
    local -a pkgs
    local pkg
    ensure_apt_lists
    mapfile -t pkgs < <(lib_closure "$@")
    fetch_debs "${pkgs[@]}"
    # The pool is only read from, so the one left by the last build serves
    # again if it came from the very same .deb files.
    local stamp
    stamp=$(for pkg in "${pkgs[@]}"; do printf '%s\n' "${CACHED[$pkg]##*/}"; done)
    [[ -f "$pool.debs" && "$(cat "$pool.debs")" == "$stamp" ]] && return 0
    rm -rf "$pool" "$pool.debs"
    mkdir -p "$pool"
    for pkg in "${pkgs[@]}"; do
        dpkg-deb -x "${CACHED[$pkg]}" "$pool"
    done
    printf '%s\n' "$stamp" >"$pool.debs"
}

# --- assembling a root filesystem -----------------------------------------

# An empty merged-/usr tree: packages still ship files under /bin, /lib and
# /sbin, and the supervisor's Landlock rules only open /usr and /lib, so every
# such path must end up under /usr.
new_root() {
    local root=$1
    rm -rf "$root"
    mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{etc,dev,proc,sys,run,var/log,root}
    ln -s usr/bin "$root/bin"
    ln -s usr/sbin "$root/sbin"
    ln -s usr/lib "$root/lib"
    ln -s usr/lib64 "$root/lib64"
    ln -s ../run "$root/var/run"
    install -d -m 1777 "$root/tmp" "$root/var/tmp"
    chmod 0700 "$root/root"
}

# Copy REL (a path relative to POOL) into ROOT. A symlink is copied as a link
# and its target follows, so `sbin/ip -> /bin/ip` keeps working.
put() {
    local pool=$1 root=$2 rel=$3 target
    local src="$pool/$rel"
    [[ -e "$src" || -L "$src" ]] || die "$rel is not in the unpacked packages"
    # Already there (the same library reached twice): never write through an
    # existing link.
    if [[ ! -d "$src" ]] && [[ -e "$root/$rel" || -L "$root/$rel" ]]; then return 0; fi
    mkdir -p "$root/$(dirname "$rel")"
    if [[ -L "$src" ]]; then
        cp -P "$src" "$root/$rel"
        target=$(readlink "$src")
        [[ "$target" == /* ]] || target="/$(dirname "$rel")/$target"
        target=$(realpath -m -s "$target")
        target=${target#/}
        if [[ -e "$pool/$target" || -L "$pool/$target" ]] && [[ ! -e "$root/$target" ]]; then
            put "$pool" "$root" "$target"
        fi
    elif [[ -d "$src" ]]; then
        mkdir -p "$root/$rel"
        cp -a "$src/." "$root/$rel/"
    else
        cp -a "$src" "$root/$rel"
    fi
}

# Copy what each PATTERN (a glob relative to POOL) matches. Patterns under
# bin/, sbin/ and lib/ also match under usr/, because packages of different
# Debian releases put the same file on either side of the /usr merge. A
# leading `?` marks a pattern that may match nothing.
put_patterns() {
    local pool=$1 root=$2
    shift 2
    local pattern optional rel
    local -a matches candidates
    for pattern in "$@"; do
        optional=
        if [[ "$pattern" == \?* ]]; then optional=1; pattern=${pattern#\?}; fi
        matches=()
        shopt -s nullglob
        # The pattern is expanded on purpose; none of them contains a space.
        # shellcheck disable=SC2206
        case "$pattern" in
            bin/* | sbin/* | lib/* | lib64/*) candidates=("$pool"/$pattern "$pool"/usr/$pattern) ;;
            *) candidates=("$pool"/$pattern) ;;
        esac
        shopt -u nullglob
        # A pattern without wildcards comes back as itself, found or not.
        for rel in "${candidates[@]}"; do
            if [[ -e "$rel" || -L "$rel" ]]; then matches+=("$rel"); fi
        done
        if ((${#matches[@]} == 0)); then
            [[ -n "$optional" ]] || die "nothing in the packages matches $pattern"
            continue
        fi
        for rel in "${matches[@]}"; do
            put "$pool" "$root" "${rel#"$pool"/}"
        done
    done
}

# Is FILE a 64-bit ELF object with a dynamic section? Static executables
# such as busybox need no libraries, and asking the loader to list them
# crashes it. The header is read directly since binutils may be absent; the
# program headers sit in the first page in practice.
is_dynamic_elf() {
    od -An -v -t u1 -N 4096 "$1" 2>/dev/null | awk '
        { for (i = 1; i <= NF; i++) b[n++] = $i }
        function le(off, len,   v, k) { v = 0; for (k = len - 1; k >= 0; k--) v = v * 256 + b[off + k]; return v }
        END {
            if (n < 64 || b[0] != 127 || b[1] != 69 || b[2] != 76 || b[3] != 70 || b[4] != 2) exit 1
            phoff = le(32, 8); size = le(54, 2); count = le(56, 2)
            if (phoff + size * count > n) exit 0
            for (i = 0; i < count; i++) if (le(phoff + i * size, 4) == 2) exit 0
            exit 1
        }'
}

# Add the shared libraries that every ELF file in ROOT needs, as the unpacked
# glibc's own loader resolves them against POOL. A library found only on the
# host (or nowhere) is an error: it would be missing from the image.
put_needed_libs() {
    local pool=$1 root=$2 loader="" f out line lib
    for f in "$pool/usr/lib/$LAB_TRIPLET/ld-linux-x86-64.so.2" "$pool/lib/$LAB_TRIPLET/ld-linux-x86-64.so.2"; do
        [[ -f "$f" && ! -L "$f" ]] && { loader=$f; break; }
    done
    [[ -n "$loader" ]] || die "no glibc loader in the unpacked packages"
    local libpath="$pool/lib/$LAB_TRIPLET:$pool/usr/lib/$LAB_TRIPLET"
    while IFS= read -r -d '' f; do
        is_dynamic_elf "$f" || continue
        out=$("$loader" --inhibit-cache --library-path "$libpath" --list "$f" 2>&1) \
            || die "cannot list the libraries of ${f#"$root"}: $out"
        while IFS= read -r line; do
            [[ "$line" == *" => "* ]] || continue
            lib=${line#*=> }
            lib=${lib% (0x*}
            case "$lib" in
                "$pool"/*) ;;
                *) die "${f#"$root"} needs ${line%% =>*}, which no unpacked package provides (${lib})" ;;
            esac
            lib=${lib#"$pool"/}
            [[ -e "$root/$lib" ]] || put "$pool" "$root" "$lib"
        done <<<"$out"
    done < <(find "$root/usr" -type f -print0)
}

# Link the busybox applets next to it, except SKIP-listed names and names a
# real tool already has: the supervisor takes the first `ip` / `nsenter` it
# finds, which must be iproute2's / util-linux's in the sandbox image and none
# at all in the base image.
link_applets() {
    local root=$1
    shift
    local -A skip=([busybox]=1)
    local name applet
    for name in "$@"; do skip[$name]=1; done
    while IFS= read -r applet; do
        [[ -n "$applet" && -z "${skip[$applet]:-}" ]] || continue
        [[ -e "$root/usr/bin/$applet" || -L "$root/usr/bin/$applet" ]] && continue
        [[ -e "$root/usr/sbin/$applet" || -L "$root/usr/sbin/$applet" ]] && continue
        ln -s busybox "$root/usr/bin/$applet"
    done < <("$root/usr/bin/busybox" --list)
}

# Users, groups and name-service config. `sandbox` (1000:1000) is the user the
# supervisor runs the workload as; the base image has it too so that images
# built FROM it fail for what they lack on purpose, not for a missing user.
write_accounts() {
    local root=$1 shell=$2
    cat >"$root/etc/passwd" <<EOF
root:x:0:0:root:/root:$shell
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
sandbox:x:1000:1000:sandbox:/sandbox:$shell
EOF
    cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
sandbox:x:1000:
EOF
    cat >"$root/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
shadow: files
hosts: files dns
EOF
    install -d -m 0755 -o 1000 -g 1000 "$root/sandbox"
}

# Load ROOT as IMAGE. `docker import` runs no build step, so there is no
# network to switch off and nothing to pull; --change sets the image config.
import_root() {
    local root=$1 image=$2
    shift 2
    local old new
    old=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
    new=$(tar --numeric-owner --sort=name -C "$root" -cf - . \
        | docker import \
            --change "ENV PATH=$LAB_PATH_ENV" \
            --change "LABEL $LAB_RECIPE_LABEL=$LAB_RECIPE" \
            "$@" - "$image")
    # The previous build of this tag is now unreferenced; drop it unless some
    # other image was built on top of it.
    if [[ -n "$old" && "$old" != "$new" ]]; then
        docker image rm "$old" >/dev/null 2>&1 || true
    fi
}

# A freshly imported image that fails its check must not count as current.
discard() {
    docker image rm "$1" >/dev/null 2>&1 || true
    die "$1 failed its check and was removed"
}

image_is_current() {
    [[ "${SANDBOX_TRIAGE_LAB_REBUILD:-0}" != 1 ]] || return 1
    local have
    have=$(docker image inspect -f "{{ index .Config.Labels \"$LAB_RECIPE_LABEL\" }}" "$1" 2>/dev/null) || return 1
    [[ "$have" == "$LAB_RECIPE" ]]
}

# --- the two images --------------------------------------------------------

readonly SANDBOX_PACKAGES=(libc6 libgcc-s1 busybox-static bash iproute2 iptables nftables util-linux netbase)
readonly SANDBOX_FILES=(
    # glibc. The supervisor is bind-mounted at run time, so ldd cannot see
    # what it needs: take the whole core set, including the pre-2.34 split
    # libraries an older build may still link.
    lib64/ld-linux-x86-64.so.2
    "lib/$LAB_TRIPLET/ld-linux-x86-64.so.2"
    "lib/$LAB_TRIPLET/libc.so.6"
    "lib/$LAB_TRIPLET/libm.so.6"
    "lib/$LAB_TRIPLET/libdl.so.2"
    "lib/$LAB_TRIPLET/libpthread.so.0"
    "lib/$LAB_TRIPLET/librt.so.1"
    "lib/$LAB_TRIPLET/libutil.so.1"
    "lib/$LAB_TRIPLET/libresolv.so.2"
    "lib/$LAB_TRIPLET/libanl.so.1"
    "?lib/$LAB_TRIPLET/libnss_*.so.2"
    "lib/$LAB_TRIPLET/libgcc_s.so.1"
    bin/busybox
    bin/bash
    # iproute2: `ip` plus the tables it reads (rt_tables, ...).
    bin/ip
    '?sbin/ip'
    '?etc/iproute2'
    '?usr/share/iproute2'
    # iptables: both backends (the supervisor falls back to iptables-legacy),
    # their command links and the xtables match/target plugins they dlopen.
    sbin/xtables-nft-multi
    sbin/xtables-legacy-multi
    'sbin/iptables-*'
    'sbin/ip6tables-*'
    '?sbin/xtables-monitor'
    "lib/$LAB_TRIPLET/xtables"
    sbin/nft
    bin/nsenter
    # Protocol and service names, as the firewall tools look them up.
    etc/protocols
    etc/services
    '?etc/ethertypes'
)

build_sandbox() {
    local image=$SANDBOX_TRIAGE_LAB_SANDBOX_IMAGE start name
    start=$(now_ms)
    if image_is_current "$image"; then
        log "$image is up to date ($(elapsed "$start"))"
        return 0
    fi
    local pool="$LAB_STAGE/sandbox/pool" root="$LAB_STAGE/sandbox/rootfs"
    unpack_pool "$pool" "${SANDBOX_PACKAGES[@]}"
    new_root "$root"
    put_patterns "$pool" "$root" "${SANDBOX_FILES[@]}"
    # Debian's alternatives default: iptables means the nf_tables backend.
    for name in iptables ip6tables; do
        ln -sfn "$name-nft" "$root/usr/sbin/$name"
        ln -sfn "$name-nft-save" "$root/usr/sbin/$name-save"
        ln -sfn "$name-nft-restore" "$root/usr/sbin/$name-restore"
    done
    put_needed_libs "$pool" "$root"
    link_applets "$root"
    write_accounts "$root" /bin/bash
    install -d -m 0755 "$root/run/netns" "$root/app"
    import_root "$root" "$image" --change 'USER sandbox' --change 'WORKDIR /sandbox' \
        --change "LABEL $LAB_PREFIX.image=sandbox"
    verify_sandbox || discard "$image"
    log "built $image in $(elapsed "$start")"
}

build_base() {
    local image=$SANDBOX_TRIAGE_LAB_BASE_IMAGE start
    start=$(now_ms)
    if image_is_current "$image"; then
        log "$image is up to date ($(elapsed "$start"))"
        return 0
    fi
    local pool="$LAB_STAGE/base/pool" root="$LAB_STAGE/base/rootfs"
    unpack_pool "$pool" busybox-static
    new_root "$root"
    put_patterns "$pool" "$root" bin/busybox
    # busybox has its own `ip` and `nsenter`; this image must have neither.
    link_applets "$root" ip nsenter
    write_accounts "$root" /bin/sh
    import_root "$root" "$image" --change 'WORKDIR /' --change "LABEL $LAB_PREFIX.image=base"
    verify_base || discard "$image"
    log "built $image in $(elapsed "$start")"
}

# --- checks ----------------------------------------------------------------

verify_sandbox() {
    local image=$SANDBOX_TRIAGE_LAB_SANDBOX_IMAGE user
    local probe='id; ip -V; nsenter --version; iptables --version; iptables-legacy --version; nft --version'
    for user in sandbox 0; do
        docker run --rm --network none --user "$user" "$image" /bin/bash -c "$probe" >&2 \
            || { log "$image: the tools do not run as user $user"; return 1; }
    done
}

verify_base() {
    local image=$SANDBOX_TRIAGE_LAB_BASE_IMAGE
    # Files, not `command -v`: Debian's busybox shell runs its own applets
    # without links, while the supervisor looks for these exact paths.
    docker run --rm --network none "$image" sh -c \
        'echo ok; for t in ip nsenter nft iptables iptables-legacy; do
            for d in /usr/bin /usr/sbin; do [ ! -e $d/$t ] || { echo "has $d/$t"; exit 1; }; done
        done' >&2 \
        || { log "$image: sh does not run, or ip/nsenter/iptables/nft are present"; return 1; }
}

# Can FILE (e.g. an openshell-sandbox build) find all its libraries in IMAGE?
check_binary() {
    local file=${1:-} image=${2:-$SANDBOX_TRIAGE_LAB_SANDBOX_IMAGE} out
    [[ -f "$file" ]] || die "usage: check-binary FILE [IMAGE] (FILE must exist)"
    file=$(realpath "$file")
    out=$(docker run --rm --network none --user 0 -v "$file:/opt/$LAB_PREFIX-check:ro" "$image" \
        /lib64/ld-linux-x86-64.so.2 --list "/opt/$LAB_PREFIX-check" 2>&1) \
        || die "$image cannot load $file: $out"
    [[ "$out" != *"not found"* ]] || die "$image lacks libraries for $file: $out"
    printf '%s\n' "$out"
}

# --- build contexts --------------------------------------------------------

# Write DIR/Dockerfile FROM IMAGE plus LINES, and print its path. The image
# is local, so a build of it needs no registry.
write_context() {
    local image=$1 dir=${2:-}
    [[ -n "$dir" ]] || die "usage: sandbox-context|base-context DIR [DOCKERFILE-LINE...]"
    shift 2
    mkdir -p "$dir"
    {
        printf '# Written by tests/lab/images.sh; %s exists only locally.\n' "$image"
        printf 'FROM %s\n' "$image"
        printf 'LABEL %s.context=1\n' "$LAB_PREFIX"
        (($# == 0)) || printf '%s\n' "$@"
    } >"$dir/Dockerfile"
    printf '%s\n' "$dir/Dockerfile"
}

# Untag both images. One that lab images were built FROM stays until those
# go; one a container still uses is reported and kept.
remove_images() {
    local image failed=0
    for image in "$SANDBOX_TRIAGE_LAB_SANDBOX_IMAGE" "$SANDBOX_TRIAGE_LAB_BASE_IMAGE"; do
        docker image inspect "$image" >/dev/null 2>&1 || continue
        if docker image rm "$image" >/dev/null; then
            log "removed $image"
        else
            failed=1
        fi
    done
    return "$failed"
}

# Builds share the staging tree; a second concurrent caller waits. Root is
# needed for the file ownership the image must carry (/sandbox is 1000:1000).
with_lock() {
    ((EUID == 0)) || die "building the images needs root"
    mkdir -p "$LAB_CACHE"
    exec 9>"$LAB_CACHE/images.lock"
    flock 9
    "$@"
}

usage() {
    sed -n '/^# Use it sourced/,/^#$/p' "$LAB_SCRIPT" | sed -e 's/^#$//' -e 's/^# \{1,3\}//'
}

main() {
    local cmd=${1:-help}
    (($# == 0)) || shift
    case "$cmd" in
        # One command per line: errexit does not apply inside the left side
        # of && or ||.
        build-all)
            with_lock build_base
            with_lock build_sandbox
            ;;
        build-sandbox) with_lock build_sandbox ;;
        build-base) with_lock build_base ;;
        verify)
            verify_base || exit 1
            verify_sandbox || exit 1
            log "both images pass"
            ;;
        remove) remove_images ;;
        sandbox-context) write_context "$SANDBOX_TRIAGE_LAB_SANDBOX_IMAGE" "${1:-}" "${@:2}" ;;
        base-context) write_context "$SANDBOX_TRIAGE_LAB_BASE_IMAGE" "${1:-}" "${@:2}" ;;
        check-binary) check_binary "$@" ;;
        help | -h | --help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
