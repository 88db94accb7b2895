//! Long builds as they really print: every line of each `apt-get`, `pip` and `npm` step,
//! tens of thousands of steps, the warnings and `debconf:`/`WARNING:`/`npm WARN` lines
//! real builds are full of, and (classic builder) stderr in red. These are the logs
//! where words a failure rule looks for are densest without any failing.

use std::fmt::Write as _;

/// The classic builder (Docker 1.x, or `DOCKER_BUILDKIT=0`) as OpenShell relays it: each
/// step is short, so a long build holds tens of thousands of `Step`/`--->` lines.
pub(crate) fn classic(i: usize, out: &mut String) {
    let id = i * 7919;
    let _ = writeln!(out, "  Step {}/120 : RUN apt-get update && apt-get install -y --no-install-recommends libssl-dev", i % 120 + 1);
    let _ = writeln!(out, "   ---> Running in {id:012x}");
    let _ = writeln!(out, "  Hit:1 http://deb.debian.org/debian bookworm InRelease");
    let _ = writeln!(out, "  Get:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]");
    let _ = writeln!(out, "  Ign:3 http://deb.debian.org/debian bookworm-backports InRelease");
    let _ = writeln!(out, "  Reading package lists...");
    let _ = writeln!(out, "  \x1b[91mdebconf: delaying package configuration, since apt-utils is not installed");
    let _ = writeln!(out, "  \x1b[0m");
    for j in 0..3 {
        let _ = writeln!(out, "  Selecting previously unselected package libssl{j}-dev:amd64.");
        let _ = writeln!(out, "  Preparing to unpack .../libssl{j}-dev_3.0.11-1~deb12u{j}_amd64.deb ...");
        let _ = writeln!(out, "  Unpacking libssl{j}-dev:amd64 (3.0.11-1~deb12u{j}) ...");
        let _ = writeln!(out, "  Setting up libssl{j}-dev:amd64 (3.0.11-1~deb12u{j}) ...");
    }
    let _ = writeln!(out, "  Processing triggers for libc-bin (2.36-9+deb12u4) ...");
    let _ = writeln!(out, "  \x1b[91mdebconf: unable to initialize frontend: Dialog");
    let _ = writeln!(out, "  debconf: (TERM is not set, so the dialog frontend is not usable.)");
    let _ = writeln!(out, "  debconf: falling back to frontend: Readline");
    let _ = writeln!(out, "  \x1b[0m\x1b[91mWARNING: apt does not have a stable CLI interface. Use with caution in scripts.");
    let _ = writeln!(out, "  \x1b[0mCollecting numpy==1.26.{}", i % 5);
    let _ = writeln!(out, "    Downloading numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.whl (18.2 MB)");
    let _ = writeln!(out, "       ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 18.2/18.2 MB 45.1 MB/s eta 0:00:00");
    let _ = writeln!(out, "  Installing collected packages: numpy, filelock, typing-extensions");
    let _ = writeln!(out, "  Successfully installed filelock-3.15.4 numpy-1.26.4 typing-extensions-4.12.2");
    let _ = writeln!(out, "  \x1b[91mWARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv");
    let _ = writeln!(out, "  \x1b[0m\x1b[91mnpm WARN deprecated rimraf@3.0.2: Rimraf versions prior to v4 are no longer supported");
    let _ = writeln!(out, "  npm WARN deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported");
    let _ = writeln!(out, "  npm notice New major version of npm available! 10.8.2 -> 11.{}.0", i % 9);
    let _ = writeln!(out, "  \x1b[0madded {} packages, and audited {} packages in 4s", 100 + i % 400, 101 + i % 400);
    let _ = writeln!(out, "  found 0 vulnerabilities");
    let _ = writeln!(out, "  Removing intermediate container {id:012x}");
    let _ = writeln!(out, "   ---> {:012x}", i * 104_729);
}

/// Podman (buildah): `STEP n/m:`, dnf 5's transaction, pip's warnings, `-->` after every
/// step and cached steps between.
pub(crate) fn buildah(i: usize, out: &mut String) {
    let _ = writeln!(out, "STEP {}/120: RUN dnf install -y gcc python3-devel && pip install -r requirements.txt", i % 120 + 1);
    let _ = writeln!(out, "Updating and loading repositories:");
    let _ = writeln!(out, " Fedora 40 - x86_64 - Updates           100% |   2.1 MiB/s |   3.4 MiB |  00m02s");
    let _ = writeln!(out, "Repositories loaded.");
    let _ = writeln!(out, "Package                     Arch   Version                 Repository      Size");
    let _ = writeln!(out, "Installing:");
    for j in 0..3 {
        let _ = writeln!(out, " gcc{j}                       x86_64 14.1.1-{j}.fc40           updates    104.6 MiB");
    }
    let _ = writeln!(out, "Transaction Summary:");
    let _ = writeln!(out, " Installing:        3 packages");
    let _ = writeln!(out, "[1/3] Verify package files                    100% |   1.0 KiB/s |  12.0   B |  00m00s");
    let _ = writeln!(out, "warning: Signature not supported. Hash algorithm SHA1 not available.");
    let _ = writeln!(out, "  Running scriptlet: glibc-common-2.39-{}.fc40.x86_64                     3/3", i % 9);
    let _ = writeln!(out, "Complete!");
    let _ = writeln!(out, "Collecting requests==2.32.{}", i % 4);
    let _ = writeln!(out, "  Downloading requests-2.32.3-py3-none-any.whl (64 kB)");
    let _ = writeln!(out, "Successfully installed certifi-2024.7.4 idna-3.7 requests-2.32.3 urllib3-2.2.2");
    let _ = writeln!(out, "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv");
    let _ = writeln!(out, "--> {:012x}", i * 65_537);
    let _ = writeln!(out, "STEP {}/120: COPY requirements.txt /app/", (i + 1) % 120 + 1);
    let _ = writeln!(out, "--> Using cache {:064x}", i * 31);
    let _ = writeln!(out, "--> {:012x}", i * 31);
}
