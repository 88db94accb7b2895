//! Throughput and peak memory of `sandbox-triage classify` on a generated 256 MiB build
//! log with the failure at its end, beside `rg -i -c` with the catalogue's phrases and
//! `cat` on the same file, in the same run. Also the peak memory on a single 100 MiB line.
//!
//! `cargo bench -p sandbox-triage-cli` runs it. `SANDBOX_TRIAGE_BENCH_MIB` changes the
//! log size. Figures are the best of three runs; memory is the child's peak resident
//! set (`wait4`'s `ru_maxrss`).

#![allow(unsafe_code)]
// Figures for people: precision loss in GB/s and MiB is irrelevant.
#![allow(clippy::cast_precision_loss)]

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sandbox_triage_core::{Catalogue, Stage, StageRules};

const RUNS: usize = 3;

/// One realistic block of classic-builder output (what OpenShell relays, indented).
fn block(i: usize, out: &mut String) {
    out.clear();
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
    let _ = writeln!(out, "  npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.");
    for j in 0..6 {
        let _ = writeln!(out, "  added {} packages, and audited {} packages in {j}s", 100 + j, 200 + j);
    }
    let _ = writeln!(out, "  Downloading torch-2.4.0-cp311-cp311-manylinux1_x86_64.whl (797.2 MB)\r     ━━━━━━━━━━━━━━━━ 797.2/797.2 MB 35.1 MB/s eta 0:00:00");
    for j in 0..6 {
        let _ = writeln!(out, "  Collecting nvidia-cublas-cu12==12.1.3.{j} (from torch==2.4.0)");
    }
    let _ = writeln!(out, "   ---> {:012x}", i * 104_729);
}

const FAILURE: &str = "  Step 56/56 : RUN apt-get update && apt-get install -y curl\n  E: Failed to fetch http://deb.debian.org/debian/pool/main/c/curl/curl_7.88.1-10_amd64.deb  Connection reset by peer [IP: 151.101.2.132 80]\nError:   × Docker build failed: The command '/bin/sh -c apt-get update && apt-get install -y curl' returned a non-zero code: 100\n";

fn generate(path: &Path, size: u64) {
    if fs::metadata(path).is_ok_and(|m| m.len() >= size) {
        return;
    }
    let mut w = BufWriter::new(File::create(path).expect("create the bench log"));
    let mut written = 0u64;
    let mut text = String::new();
    let mut i = 0;
    while written < size {
        block(i, &mut text);
        w.write_all(text.as_bytes()).expect("write the bench log");
        written += text.len() as u64;
        i += 1;
    }
    w.write_all(FAILURE.as_bytes()).expect("write the bench log");
    w.flush().expect("flush the bench log");
}

/// Runs `command` to completion with stdout discarded; (wall time, peak RSS in KiB).
fn measure(command: &mut Command) -> (Duration, i64) {
    let start = Instant::now();
    let child = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
    let pid = libc::pid_t::try_from(child.id()).expect("pid fits pid_t");
    let mut status = 0;
    // SAFETY: `rusage` is plain data; `wait4` fills it for the child we spawned and have
    // not waited for through `Child`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    std::mem::forget(child);
    (elapsed, usage.ru_maxrss)
}

fn best(mut make: impl FnMut() -> Command) -> (Duration, i64) {
    (0..RUNS).map(|_| measure(&mut make())).fold((Duration::MAX, 0), |(t, m), (t2, m2)| (t.min(t2), m.max(m2)))
}

fn gbps(bytes: u64, time: Duration) -> f64 {
    bytes as f64 / time.as_secs_f64() / 1e9
}

/// Every figure of one benchmark run.
struct Figures {
    log: PathBuf,
    bytes: u64,
    phrases: usize,
    ours: (Duration, i64),
    rg: Option<(Duration, i64)>,
    cat: Duration,
    redact: (Duration, i64),
    via_cat: Duration,
    via_redact: Duration,
    run: (Duration, i64, Duration),
    long_rss: i64,
    /// 10 MB of the same build summary, line after line: no work may grow with it.
    summaries: (u64, Duration),
}

fn command(program: &Path, args: &[&str], file: &Path) -> Command {
    let mut c = Command::new(program);
    c.args(args).arg(file);
    c
}

fn measure_all(binary: &Path, dir: &Path, log: PathBuf) -> Figures {
    let bytes = fs::metadata(&log).expect("bench log").len();
    let ours = best(|| command(binary, &["classify", "--format", "json"], &log));
    let cat = best(|| command(Path::new("cat"), &[], &log)).0;
    let catalogue = Catalogue::builtin().expect("built-in rules");
    let phrases: Vec<String> = StageRules::new(&catalogue, Stage::SandboxCreate).anchor_phrases().to_vec();
    let rg = Command::new("rg").arg("--version").output().is_ok().then(|| {
        best(|| {
            let mut c = Command::new("rg");
            c.args(["-i", "-c", "-j1", "--no-mmap"]);
            for phrase in &phrases {
                c.arg("-e").arg(regex_escape(phrase));
            }
            c.arg(&log);
            c
        })
    });
    let redact = best(|| command(binary, &["redact"], &log));
    // Redaction in front of classification, against the same pipeline with `cat`: what
    // masking every line costs classification.
    let piped = |front: &str| {
        best(|| {
            let mut c = Command::new("sh");
            c.arg("-c").arg(format!("{front} \"$1\" | \"$0\" classify --format json >/dev/null")).arg(binary).arg(&log);
            c
        })
        .0
    };
    let via_cat = piped("cat");
    let via_redact = piped(&format!("'{}' redact", binary.display()));
    let run = measure_run(binary, &log);
    let long_rss = measure_long_line(binary, dir);
    let summaries = measure_summaries(binary, dir);
    Figures { bytes, phrases: phrases.len(), ours, rg, cat, redact, via_cat, via_redact, run, long_rss, summaries, log }
}

fn row(what: &str, bytes: u64, time: Duration, rss: Option<i64>) {
    let rss = rss.map_or_else(String::new, |m| format!("{:.1} MiB", m as f64 / 1024.0));
    println!("| {what} | {:.3} s | {:.2} GB/s | {rss} |", time.as_secs_f64(), gbps(bytes, time));
}

fn print_table(f: &Figures) {
    let bytes = f.bytes;
    let run_bytes = bytes * 4;
    println!("input: {} ({} MiB, {} anchor phrases)", f.log.display(), bytes >> 20, f.phrases);
    println!("| what | time | throughput | peak RSS |");
    println!("|---|---|---|---|");
    row("sandbox-triage classify", bytes, f.ours.0, Some(f.ours.1));
    match f.rg {
        Some((t, m)) => row("rg -i -c -j1 (same phrases)", bytes, t, Some(m)),
        None => println!("| rg -i -c | not installed (apt-get install ripgrep) | | |"),
    }
    row("cat (the ceiling)", bytes, f.cat, None);
    row("sandbox-triage redact", bytes, f.redact.0, Some(f.redact.1));
    row("cat FILE \\| classify", bytes, f.via_cat, None);
    row("redact FILE \\| classify", bytes, f.via_redact, None);
    println!("| sandbox-triage classify, one 100 MiB line | | | {:.1} MiB |", f.long_rss as f64 / 1024.0);
    row(&format!("sandbox-triage run -- cat (4 x log, {} MiB)", run_bytes >> 20), run_bytes, f.run.0, Some(f.run.1));
    row("cat (4 x log) \\| cat", run_bytes, f.run.2, None);
    row("sandbox-triage classify, 10 MB of repeated build summaries", f.summaries.0, f.summaries.1, None);
}

fn print_targets(f: &Figures) {
    let (bytes, run_bytes) = (f.bytes, f.bytes * 4);
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    println!();
    println!("target >= 1 GB/s: {}", verdict(gbps(bytes, f.ours.0) >= 1.0));
    println!("target peak RSS <= 32 MiB: {}", verdict(f.ours.1.max(f.long_rss) <= 32 * 1024));
    let run_target = (0.8 * gbps(run_bytes, f.run.2)).min(1.0);
    println!("target run >= {run_target:.2} GB/s (80% of the pipe, at most 1 GB/s): {}", verdict(gbps(run_bytes, f.run.0) >= run_target));
    println!("target run peak RSS <= 32 MiB: {}", verdict(f.run.1 <= 32 * 1024));
    println!("target 10 MB of repeated summaries in under a second: {}", verdict(f.summaries.1 < Duration::from_secs(1)));
    let kept = f.via_cat.as_secs_f64() / f.via_redact.as_secs_f64();
    println!("redaction keeps {:.0}% of classify's piped throughput (target >= 75%): {}", kept * 100.0, verdict(kept >= 0.75));
    if let Some((t, _)) = f.rg {
        println!("target faster than rg -i -c: {}", verdict(f.ours.0 < t));
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument that is not ours means another
    // bench target was asked for.
    if std::env::args().skip(1).any(|a| !a.starts_with('-')) {
        return;
    }
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_sandbox-triage"));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    fs::create_dir_all(&dir).expect("create target/bench-data");
    let mib: u64 = std::env::var("SANDBOX_TRIAGE_BENCH_MIB").ok().and_then(|s| s.parse().ok()).unwrap_or(256);
    let log = dir.join(format!("build-{mib}m.log"));
    generate(&log, mib << 20);
    let figures = measure_all(&binary, &dir, log);
    print_table(&figures);
    print_targets(&figures);
}

fn regex_escape(literal: &str) -> String {
    literal.chars().fold(String::new(), |mut s, c| {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            s.push('\\');
        }
        s.push(c);
        s
    })
}

/// 1 GiB through `run`: (time, peak RSS, the same through `cat`).
fn measure_run(binary: &Path, log: &Path) -> (Duration, i64, Duration) {
    // 1 GiB through `run` (the log four times), beside the same output through one more
    // pipe hop with `cat`.
    let four = "cat \"$0\" \"$0\" \"$0\" \"$0\"";
    let (via_run, run_rss) = best(|| command(binary, &["run", "--heartbeat", "0", "--", "sh", "-c", four], log));
    let (via_pipe, _) = best(|| {
        let mut c = Command::new("sh");
        c.arg("-c").arg(format!("{four} | cat")).arg(log);
        c
    });

    (via_run, run_rss, via_pipe)
}

/// 10 MB of `Docker build failed` lines: (bytes, time).
fn measure_summaries(binary: &Path, dir: &Path) -> (u64, Duration) {
    let path = dir.join("summaries-10mb.log");
    let line = "Error:   × Docker build failed\n";
    fs::write(&path, line.repeat(10_000_000 / line.len())).expect("write the summaries log");
    let bytes = fs::metadata(&path).expect("summaries log").len();
    (bytes, best(|| command(binary, &["classify", "--format", "json"], &path)).0)
}

/// Peak memory on a single 100 MiB line.
fn measure_long_line(binary: &Path, dir: &Path) -> i64 {
    let one_line = dir.join("one-100m-line.log");
    if fs::metadata(&one_line).map_or(0, |m| m.len()) != (100 << 20) + 40 {
        let mut w = BufWriter::new(File::create(&one_line).expect("create the long-line log"));
        let megabyte = vec![b'x'; 1 << 20];
        for _ in 0..100 {
            w.write_all(&megabyte).expect("write");
        }
        w.write_all(b" failed to upload image tar into contain").expect("write");
        w.flush().expect("flush");
    }
    let (_, long_rss) = best(|| command(binary, &["classify", "--format", "json"], &one_line));

    long_rss
}
