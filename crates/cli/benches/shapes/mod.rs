//! Build logs shaped like real output, generated deterministically: each is a run of
//! one builder's (or front end's) typical lines, repeated to the size asked, ending in a
//! known failure the benchmark checks the answer of.

use std::fmt::Write as _;

mod dense;

/// One shape: its name, a block generator (block `i` into `out`), the failure that ends
/// it, and the kind that failure must be classified as.
pub(crate) struct Shape {
    pub(crate) name: &'static str,
    pub(crate) block: fn(usize, &mut String),
    pub(crate) failure: &'static str,
    pub(crate) kind: &'static str,
}

pub(crate) const SHAPES: &[Shape] = &[
    Shape { name: "classic", block: classic, failure: CLASSIC_FAILURE, kind: "build_step_network_failed" },
    Shape { name: "buildkit-plain", block: buildkit_plain, failure: BUILDKIT_FAILURE, kind: "build_step_failed" },
    Shape { name: "buildkit-tty", block: buildkit_tty, failure: BUILDKIT_FAILURE, kind: "build_step_failed" },
    Shape { name: "buildah", block: buildah, failure: BUILDAH_FAILURE, kind: "build_step_failed" },
    Shape { name: "classic-dense", block: dense::classic, failure: CLASSIC_FAILURE, kind: "build_step_network_failed" },
    Shape { name: "buildah-dense", block: dense::buildah, failure: BUILDAH_FAILURE, kind: "build_step_failed" },
    Shape { name: "pip-npm", block: pip_npm, failure: NPM_FAILURE, kind: "build_step_network_failed" },
    Shape { name: "compiler", block: compiler, failure: CLASSIC_FAILURE, kind: "build_step_network_failed" },
    Shape { name: "nemoclaw", block: nemoclaw, failure: UPLOAD_FAILURE, kind: "image_upload_container_missing" },
];

/// The classic builder as OpenShell relays it (two-space indent): a step, its container,
/// apt, pip and gcc output, the layer; a `Step` about every 35 lines.
fn classic(i: usize, out: &mut String) {
    let _ = writeln!(
        out,
        "  Step {}/56 : RUN apt-get update && apt-get install -y --no-install-recommends build-essential python3-dev",
        i % 56 + 1
    );
    let _ = writeln!(out, "   ---> Running in {:012x}", i * 7919);
    for j in 0..12 {
        let _ = writeln!(
            out,
            "  Get:{j} http://deb.debian.org/debian bookworm/main amd64 libpython3.11-dev amd64 3.11.2-6+deb12u{j} [4,742 kB]"
        );
    }
    let _ = writeln!(out, "  Fetched 48.3 MB in 3s (15.2 MB/s)");
    for j in 0..10 {
        let _ = writeln!(out, "  Setting up libgcc-12-dev:amd64 (12.2.0-14+deb12u{j}) ...");
    }
    for j in 0..8 {
        let _ = writeln!(
            out,
            "  gcc -pthread -O2 -Wall -fPIC -I/usr/include/python3.11 -c src/module_{j}.c -o build/temp.linux-x86_64-3.11/src/module_{j}.o"
        );
    }
    let _ = writeln!(out, "  Removing intermediate container {:012x}", i * 7919);
    let _ = writeln!(out, "   ---> {:012x}", i * 104_729);
}

/// BuildKit's plain progress: every line carries its step's `#N` and a timestamp.
fn buildkit_plain(i: usize, out: &mut String) {
    let n = i % 40 + 5;
    let _ = writeln!(out, "#{n} [builder {}/12] RUN npm ci --omit=dev && npm run build", i % 12 + 1);
    for j in 0..30 {
        let t = (i * 37 + j * 11) % 9000;
        match j % 3 {
            0 => {
                let _ = writeln!(
                    out,
                    "#{n} {}.{:03} npm http fetch GET 200 https://registry.npmjs.org/@babel%2fcore-{j} {}ms (cache miss)",
                    t / 1000,
                    t % 1000,
                    20 + j
                );
            }
            1 => {
                let _ = writeln!(out, "#{n} {}.{:03} > webpack --mode production --config webpack.config.js", t / 1000, t % 1000);
            }
            _ => {
                let _ = writeln!(
                    out,
                    "#{n} {}.{:03} asset main.{:08x}.js 1.21 MiB [emitted] [minimized] (name: main)",
                    t / 1000,
                    t % 1000,
                    i * 31 + j
                );
            }
        }
    }
    let _ = writeln!(out, "#{n} DONE {}.{}s", i % 90, i % 10);
    let _ = writeln!(out, "\n#{} [builder {}/12] COPY --from=deps /app/node_modules ./node_modules", n + 1, i % 12 + 1);
    let _ = writeln!(out, "#{} CACHED\n", n + 1);
}

/// BuildKit on a terminal, captured: each redraw moves the cursor up and rewrites its
/// lines in colour, with `\r` progress bars.
fn buildkit_tty(i: usize, out: &mut String) {
    let _ = write!(out, "\x1b[?25l");
    for _ in 0..8 {
        out.push_str("\x1b[1A");
    }
    let _ = writeln!(out, "\x1b[0G\x1b[2K[+] Building {}.{}s ({}/24)", i / 10, i % 10, i % 24);
    for j in 0..6 {
        let _ = writeln!(out, "\x1b[2K\x1b[34m => [stage-1 {}/24] RUN pip install -r requirements.txt     {}.{}s\x1b[0m", j + 1, i % 60, j);
    }
    for j in 0..3 {
        let _ = writeln!(
            out,
            "\x1b[2K => => # Downloading torch-2.4.0-cp311-cp311-manylinux1_x86_64.whl ({}.{} MB)\r\x1b[2K => => #    ━━━━━━━━━━━━━━━━━━━━ {}/797.2 MB 35.1 MB/s eta 0:00:{j:02}",
            i % 800,
            j,
            i % 797
        );
    }
    let _ = writeln!(out, "\x1b[2K => => sha256:{:064x} {}.{}MB / 29.13MB {}.{}s", i, i % 29, j_of(i), i % 9, i % 10);
    let _ = write!(out, "\x1b[?25h");
}

fn j_of(i: usize) -> usize {
    i % 7
}

/// Podman (buildah): `STEP N/M:` and dnf's transaction output.
fn buildah(i: usize, out: &mut String) {
    let _ = writeln!(out, "STEP {}/55: RUN dnf install -y gcc make python3-devel kernel-devel", i % 55 + 1);
    let _ = writeln!(out, "Fedora 40 - x86_64                              2.1 MB/s |  20 MB     00:09");
    for j in 0..20 {
        let _ = writeln!(out, "  Installing       : gcc-14.1.1-{j}.fc40.x86_64                               {}/214", j + 1);
    }
    for j in 0..10 {
        let _ = writeln!(out, "  Running scriptlet: kernel-devel-6.9.{j}-200.fc40.x86_64                     {}/214", j + 21);
    }
    let _ = writeln!(out, "Complete!");
    let _ = writeln!(out, "--> {:012x}", i * 65_537);
}

/// pip and npm, which print a line a package.
fn pip_npm(i: usize, out: &mut String) {
    let _ = writeln!(out, "  Step {}/40 : RUN pip install -r requirements.txt && npm ci", i % 40 + 1);
    for j in 0..10 {
        let _ = writeln!(out, "  Collecting nvidia-cublas-cu12==12.1.3.{j} (from torch==2.4.0)");
        let _ = writeln!(out, "    Downloading nvidia_cublas_cu12-12.1.3.{j}-py3-none-manylinux1_x86_64.whl (410.6 MB)");
        let _ =
            writeln!(out, "  Requirement already satisfied: filelock in /usr/local/lib/python3.11/site-packages (from torch) (3.15.{j})");
    }
    for j in 0..10 {
        let _ = writeln!(out, "  npm http fetch GET 200 https://registry.npmjs.org/lodash.merge-{j} 31ms (cache revalidated)");
    }
    let _ = writeln!(out, "  npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.");
    let _ = writeln!(out, "  added {} packages, and audited {} packages in 9s", 100 + i % 900, 200 + i % 900);
}

/// A C++ build: compiler command lines of a few KiB and their warnings.
fn compiler(i: usize, out: &mut String) {
    let _ = writeln!(out, "  Step {}/30 : RUN cmake --build build -j8", i % 30 + 1);
    for j in 0..4 {
        let _ = write!(out, "  [{:3}%] /usr/bin/c++ -DTORCH_API_INCLUDE_EXTENSION_H", (i * 4 + j) % 100);
        for k in 0..40 {
            let _ = write!(out, " -I/opt/src/third_party/module_{k}/include -isystem /usr/local/cuda/include/{k}");
        }
        let _ = writeln!(out, " -O3 -DNDEBUG -std=gnu++17 -fPIC -o CMakeFiles/torch.dir/src/op_{j}.cpp.o -c /opt/src/op_{j}.cpp");
        let _ = writeln!(out, "  /opt/src/op_{j}.cpp:{}:9: warning: unused variable 'tmp' [-Wunused-variable]", 100 + j);
    }
}

/// NemoClaw's onboarding: its own status lines, a spinner, and OpenShell's output
/// relayed with NemoClaw's indent.
fn nemoclaw(i: usize, out: &mut String) {
    let _ = writeln!(out, "  [3/8] Creating sandbox 'my-assistant' (this may take a few minutes)");
    let _ = writeln!(out, "  ⠋ Building the sandbox image\r  ⠙ Building the sandbox image\r  ⠹ Building the sandbox image");
    let _ = writeln!(out, "      Step {}/56 : RUN openclaw plugins install npm:@openclaw/brave-plugin@2026.5.{}", i % 56 + 1, i % 30);
    let _ = writeln!(out, "       ---> Running in {:012x}", i * 7919);
    for j in 0..14 {
        let _ = writeln!(out, "      npm http fetch GET 200 https://registry.npmjs.org/@openclaw%2fcore-{j} 12ms (cache hit)");
    }
    for j in 0..10 {
        let _ = writeln!(out, "      Get:{j} http://deb.debian.org/debian bookworm/main amd64 ca-certificates all 20230311 [153 kB]");
    }
    let _ = writeln!(out, "       ---> {:012x}", i * 104_729);
}

const CLASSIC_FAILURE: &str = "  Step 56/56 : RUN apt-get update && apt-get install -y curl\n  E: Failed to fetch http://deb.debian.org/debian/pool/main/c/curl/curl_7.88.1-10_amd64.deb  Connection reset by peer [IP: 151.101.2.132 80]\nError:   × Docker build failed: The command '/bin/sh -c apt-get update && apt-get install -y curl' returned a non-zero code: 100\n";
const BUILDKIT_FAILURE: &str = "#50 [builder 12/12] RUN make test\n#50 3.211 make: *** [Makefile:12: test] Error 2\n#50 ERROR: process \"/bin/sh -c make test\" did not complete successfully: exit code: 2\nERROR: failed to solve: process \"/bin/sh -c make test\" did not complete successfully: exit code: 2\n";
const BUILDAH_FAILURE: &str = "STEP 55/55: RUN make install\nmake: *** [Makefile:40: install] Error 2\nError: building at STEP \"RUN make install\": while running runtime: exit status 2\n";
const NPM_FAILURE: &str = "  Step 40/40 : RUN npm ci\n  npm error code ECONNRESET\n  npm error network request to https://registry.npmjs.org/lodash failed, reason: read ECONNRESET\nThe command '/bin/sh -c npm ci' returned a non-zero code: 1\n";
const UPLOAD_FAILURE: &str = "      Successfully built 0123456789ab\n  Built image openshell/sandbox-from:1786000000\n  Pushing image openshell/sandbox-from:1786000000 into gateway \"nemoclaw\"\n  [progress] Exported 1862 MiB\nError:   × failed to upload image tar into container\n  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-nemoclaw\n";
