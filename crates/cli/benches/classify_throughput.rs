//! Throughput and peak memory of `sandbox-triage` on build logs shaped like real output
//! (`shapes`): for each shape, `classify` beside `rg -i -c -j1` with the catalogue's
//! phrases and `cat`, `redact`, and `run -- cat` beside `cat | cat`, in the same run.
//! Also the peak memory on a single 100 MiB line, and 10 MB of repeated summaries.
//!
//! `cargo bench -p sandbox-triage` runs it. `SANDBOX_TRIAGE_BENCH_MIB` sets each log's
//! size (128 by default); `SANDBOX_TRIAGE_BENCH_SHAPES` picks shapes by name
//! (comma-separated). Figures are the best of five runs; memory is the child's peak
//! resident set (`wait4`'s `ru_maxrss`).

#![allow(unsafe_code)]
// Figures for people: precision loss in GB/s and MiB is irrelevant.
#![allow(clippy::cast_precision_loss)]

mod shapes;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sandbox_triage_core::{Catalogue, Stage, StageRules};
use shapes::{Shape, SHAPES};

const RUNS: usize = 5;

fn generate(shape: &Shape, path: &Path, size: u64) {
    if fs::metadata(path).is_ok_and(|m| m.len() >= size) {
        return;
    }
    let mut w = BufWriter::new(File::create(path).expect("create the bench log"));
    let mut written = 0u64;
    let mut text = String::new();
    let mut i = 0;
    while written < size {
        text.clear();
        (shape.block)(i, &mut text);
        w.write_all(text.as_bytes()).expect("write the bench log");
        written += text.len() as u64;
        i += 1;
    }
    w.write_all(shape.failure.as_bytes()).expect("write the bench log");
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

/// Commands timed in turn, best of [`RUNS`] each: what is compared is measured under the
/// same load.
fn best_in_turn<const N: usize>(mut makes: [&mut dyn FnMut() -> Command; N]) -> [(Duration, i64); N] {
    let mut best = [(Duration::MAX, 0); N];
    for _ in 0..RUNS {
        for (make, (t, m)) in makes.iter_mut().zip(&mut best) {
            let (t2, m2) = measure(&mut make());
            (*t, *m) = ((*t).min(t2), (*m).max(m2));
        }
    }
    best
}

fn gbps(bytes: u64, time: Duration) -> f64 {
    bytes as f64 / time.as_secs_f64() / 1e9
}

fn command(program: &Path, args: &[&str], file: &Path) -> Command {
    let mut c = Command::new(program);
    c.args(args).arg(file);
    c
}

fn shell(script: &str, args: &[&Path]) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c").arg(script).args(args);
    c
}

/// Every figure of one shape.
struct Figures {
    bytes: u64,
    classify: (Duration, i64),
    rg: Option<(Duration, i64)>,
    cat: Duration,
    redact: (Duration, i64),
    run: (Duration, i64),
    pipe: Duration,
    /// The machine's load average (1 minute) before and after the shape was measured:
    /// other work running changes every figure, not their ratios.
    load: (String, String),
}

/// The 1-minute load average, as `/proc/loadavg` gives it ("?" where there is none).
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg").ok().and_then(|l| l.split_whitespace().next().map(str::to_owned)).unwrap_or_else(|| "?".into())
}

fn rg(phrases: &[String], log: &Path) -> Option<(Duration, i64)> {
    Command::new("rg").arg("--version").output().is_ok().then(|| {
        best(|| {
            let mut c = Command::new("rg");
            c.args(["-i", "-c", "-j1", "--no-mmap"]);
            for phrase in phrases {
                c.arg("-e").arg(regex_escape(phrase));
            }
            c.arg(log);
            c
        })
    })
}

/// The answer for the log must be the shape's: fast and wrong is no use.
fn check_answer(binary: &Path, shape: &Shape, log: &Path) {
    let out = Command::new(binary).args(["classify", "--format", "json", "--exit-status", "1"]).arg(log).output().expect("classify");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("classify's JSON");
    assert_eq!(value["kind"], shape.kind, "{}: the answer changed", shape.name);
}

fn measure_shape(binary: &Path, phrases: &[String], shape: &Shape, log: &Path) -> Figures {
    check_answer(binary, shape, log);
    let before = load_average();
    // `run -- cat` is compared with `classify`, and with the same pipe without it: timed
    // in turn.
    let [classify, run, pipe] = best_in_turn([
        &mut || command(binary, &["classify", "--format", "json"], log),
        &mut || command(binary, &["run", "--heartbeat", "0", "--", "cat"], log),
        &mut || shell("cat \"$0\" | cat", &[log]),
    ]);
    let mut figures = Figures {
        bytes: fs::metadata(log).expect("bench log").len(),
        classify,
        rg: rg(phrases, log),
        cat: best(|| command(Path::new("cat"), &[], log)).0,
        redact: best(|| command(binary, &["redact"], log)),
        run,
        pipe: pipe.0,
        load: (before, String::new()),
    };
    figures.load.1 = load_average();
    figures
}

fn row(what: &str, bytes: u64, time: Duration, rss: Option<i64>, extra: &str) {
    let rss = rss.map_or_else(String::new, |m| format!("{:.1} MiB", m as f64 / 1024.0));
    println!("| {what} | {:.3} s | {:.2} GB/s | {rss} | {extra} |", time.as_secs_f64(), gbps(bytes, time));
}

/// Prints the shape's table; whether every target holds.
fn report(name: &str, f: &Figures) -> bool {
    let b = f.bytes;
    println!("\n### {name} ({} MiB; load average {} before, {} after)\n", b >> 20, f.load.0, f.load.1);
    println!("| what | time | throughput | peak RSS | |");
    println!("|---|---|---|---|---|");
    let vs_rg = f.rg.map_or(f64::INFINITY, |(t, _)| t.as_secs_f64() / f.classify.0.as_secs_f64());
    row("classify", b, f.classify.0, Some(f.classify.1), &format!("{vs_rg:.1}x rg"));
    if let Some((t, m)) = f.rg {
        row("rg -i -c -j1 (same phrases)", b, t, Some(m), "");
    }
    row("cat", b, f.cat, None, "");
    row("redact", b, f.redact.0, Some(f.redact.1), "");
    row("run -- cat", b, f.run.0, Some(f.run.1), "");
    row("cat \\| cat", b, f.pipe, None, "");
    let run_vs_classify = f.run.0.as_secs_f64() / f.classify.0.as_secs_f64();
    let run_vs_pipe = f.run.0.as_secs_f64() / f.pipe.as_secs_f64();
    let pipe_vs_classify = f.pipe.as_secs_f64() / f.classify.0.as_secs_f64();
    println!("\n`run -- cat` takes {run_vs_classify:.2}x as long as `classify`, and {run_vs_pipe:.2}x as long as `cat | cat` (which takes {pipe_vs_classify:.2}x as long as `classify`)");
    let targets = [
        ("classify >= 1.2 GB/s", gbps(b, f.classify.0) >= 1.2),
        ("classify >= 3x rg", vs_rg >= 3.0),
        ("classify RSS <= 16 MiB", f.classify.1 <= 16 * 1024),
        ("redact >= 1 GB/s", gbps(b, f.redact.0) >= 1.0),
        ("run -- cat <= 1.25x classify", run_vs_classify <= 1.25),
        ("run -- cat >= 1 GB/s", gbps(b, f.run.0) >= 1.0),
        ("run RSS <= 32 MiB", f.run.1 <= 32 * 1024),
    ];
    let missed: Vec<&str> = targets.iter().filter(|(_, ok)| !ok).map(|(what, _)| *what).collect();
    println!("\ntargets: {}", if missed.is_empty() { "all met".to_owned() } else { format!("NOT met: {}", missed.join(", ")) });
    missed.is_empty()
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
    let mib: u64 = std::env::var("SANDBOX_TRIAGE_BENCH_MIB").ok().and_then(|s| s.parse().ok()).unwrap_or(128);
    let wanted = std::env::var("SANDBOX_TRIAGE_BENCH_SHAPES").unwrap_or_default();
    let phrases: Vec<String> =
        StageRules::new(&Catalogue::builtin().expect("built-in rules"), Stage::SandboxCreate).anchor_phrases().to_vec();
    println!(
        "{} anchor phrases; best of {RUNS} runs; {} cores",
        phrases.len(),
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    let mut all_met = true;
    for shape in SHAPES.iter().filter(|s| wanted.is_empty() || wanted.split(',').any(|w| w == s.name)) {
        let log = dir.join(format!("{}-{mib}m.log", shape.name));
        generate(shape, &log, mib << 20);
        all_met &= report(shape.name, &measure_shape(&binary, &phrases, shape, &log));
    }
    if wanted.is_empty() {
        println!("\n### edge cases\n");
        println!("| what | time | throughput | peak RSS | |");
        println!("|---|---|---|---|---|");
        println!("| classify, one 100 MiB line | | | {:.1} MiB | |", measure_long_line(&binary, &dir) as f64 / 1024.0);
        let (bytes, time) = measure_summaries(&binary, &dir);
        row("classify, 10 MB of repeated build summaries", bytes, time, None, "");
    }
    println!("\nevery shape: {}", if all_met { "all targets met" } else { "some targets NOT met" });
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
    best(|| command(binary, &["classify", "--format", "json"], &one_line)).1
}
