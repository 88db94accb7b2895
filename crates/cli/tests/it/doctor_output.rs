//! What `doctor` prints, as a user sees it: the human report at 60, 80 and 120 columns
//! (snapshots), every line within the width, colour when asked for and only then, a
//! real pseudo-terminal, `--format json`, and a run against this machine's real Docker
//! Engine.

use std::process::{Command, Output, Stdio};

use crate::common::BIN;
use crate::doctor_world::{flat, line, passed, plain, said, World};

/// The host the snapshots show: the active gateway answers and has its bundle, nothing
/// listens at another, one's metadata.json is cut short, one lacks its key, and a
/// container of OpenShell 0.0.36 is stopped.
fn busy_world() -> World {
    let world = World::new();
    world.answering("lab");
    world.register("dev", &world.dead());
    world.metadata("broken", "{\n  \"name\": \"broken\",\n  \"gateway_endpoint\": ");
    world.register("edge", &format!("https://localhost:{}", world.port));
    world.bundle("edge", &["ca.crt", "tls.crt"]);
    world.activate("lab");
    world.containers("openshell-cluster-old\tExited (0) 2 hours ago\n");
    world
}

/// The ports change from run to run: masked with as many characters (ephemeral ports
/// have five digits), so the masked text is wrapped as the real one was.
fn masked(world: &World, text: &str) -> String {
    assert!(world.port >= 10_000 && world.closed >= 10_000, "ports {} and {}", world.port, world.closed);
    text.replace(&world.port.to_string(), "PORT1").replace(&world.closed.to_string(), "PORT2")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

/// Every line of `text` fits `width` columns, but a command in backticks that is kept
/// whole on a line of its own.
fn fits(text: &str, width: usize) {
    for line in text.lines() {
        let body = line.trim_start();
        let body = body.strip_prefix("fix: ").unwrap_or(body).trim_end_matches([',', ';', ')', '.']);
        let command = body.starts_with('`') && body.ends_with('`') && body.matches('`').count() == 2;
        assert!(command || line.chars().count() <= width, "{} columns at {width}: {line:?}\n{text}", line.chars().count());
    }
}

#[test]
fn the_report_fits_60_80_and_120_columns() {
    let world = busy_world();
    for width in [60, 80, 120] {
        let out = world.command().env("COLUMNS", width.to_string()).output().expect("run");
        assert_eq!(out.status.code(), Some(1), "{}", said(&out));
        let text = stdout(&out);
        fits(&text, width);
        for (check, ok) in [("engine", true), ("gateways", true), ("gateway lab", true), ("gateway dev", false), ("gateway old", false)] {
            assert_eq!(passed(&text, check), Some(ok), "{check} at {width}:\n{text}");
        }
        assert!(flat(&text).ends_with("4 of 11 checks fail: gateway broken, gateway dev, gateway edge mtls, gateway old"), "{text}");
        insta::assert_snapshot!(format!("doctor_{width}_columns"), masked(&world, &text));
    }
}

/// The escape sequence before `mark` on `line`.
fn escape_before(line: &str, mark: char) -> &str {
    line.split(mark).next().unwrap_or_default()
}

#[test]
fn colour_comes_with_always_and_never_with_never_or_off_a_terminal() {
    let world = busy_world();
    let run = |args: &[&str], no_color: bool| {
        let mut command = world.command();
        if !no_color {
            command.env_remove("NO_COLOR");
        }
        stdout(&command.env("COLUMNS", "60").args(args).output().expect("run"))
    };
    let never = run(&["--color", "never"], false);
    assert!(!never.contains('\u{1b}'), "{never}");
    assert!(!run(&[], false).contains('\u{1b}'), "off a terminal, auto is plain");
    assert!(!run(&["--color", "auto"], true).contains('\u{1b}'), "NO_COLOR");
    // `always` wins over NO_COLOR, and colour changes nothing else.
    let always = run(&["--color", "always"], true);
    assert!(always.contains("\u{1b}["), "{always}");
    assert_eq!(plain(&always), never);
    let lines: Vec<&str> = always.lines().collect();
    let pass = lines.iter().find(|l| plain(l).starts_with('✓')).map(|l| escape_before(l, '✓')).expect("a passed check");
    let fail = lines.iter().find(|l| plain(l).starts_with('✗')).map(|l| escape_before(l, '✗')).expect("a failed check");
    assert!(pass.starts_with("\u{1b}[") && fail.starts_with("\u{1b}[") && pass != fail, "{pass:?} {fail:?}");
    for line in &lines {
        let shown = plain(line);
        if let Some(rest) = shown.strip_prefix("✗ ") {
            // The failed check's name is painted as the mark is.
            let name = rest.split("  ").next().unwrap_or_default();
            assert!(line.contains(&format!("{fail}{name}")), "{line:?}");
        }
        if shown.trim_start().starts_with("fix:") {
            assert!(line.split("fix:").next().is_some_and(|before| before.contains("\u{1b}[")), "fix: is painted: {line:?}");
        }
    }
    // The summary is painted as the outcome: failure.
    let summary = lines.iter().rev().find(|l| plain(l).contains("checks fail")).expect("summary");
    assert!(summary.starts_with(fail), "{summary:?}");
}

#[test]
fn a_real_terminal_gets_colour_and_every_line_fits_its_width() {
    let world = busy_world();
    for (flags, no_color, coloured) in [("--color always", false, true), ("", false, true), ("", true, false)] {
        // `script` runs doctor on a pseudo-terminal whose size `stty` sets.
        let inner = format!("stty cols 60 rows 50; PATH='{}' {BIN} doctor {flags}", world.bin().display());
        let mut command = Command::new("script");
        world.environment(&mut command);
        if no_color {
            command.env("NO_COLOR", "1");
        } else {
            command.env_remove("NO_COLOR");
        }
        let out = command.args(["-qec", &inner, "/dev/null"]).stdin(Stdio::null()).output().expect("`script` (util-linux) runs");
        let text = stdout(&out).replace("\r\n", "\n");
        assert_eq!(text.contains("\u{1b}["), coloured, "{flags:?}, NO_COLOR {no_color}: {text:?}");
        let shown = plain(&text);
        assert!(line(&shown, "gateway dev").is_some_and(|l| l.starts_with('✗')), "{shown}");
        fits(&shown, 60);
    }
}

#[test]
fn json_carries_the_schema_version_the_checks_and_the_gateways() {
    let world = busy_world();
    let out = world.doctor(&["--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["schema_version"], sandbox_triage_core::SCHEMA_VERSION);
    assert_eq!(report["ok"], false);
    assert_eq!(report["engine"], "docker");
    let checks = report["checks"].as_array().expect("checks");
    assert_eq!(checks.len(), 11);
    let dev = checks.iter().find(|c| c["check"] == "gateway dev").expect("gateway dev");
    assert_eq!(dev["ok"], false);
    assert!(dev["detail"].as_str().is_some_and(|d| d.starts_with("nothing listens at 127.0.0.1:")), "{dev}");
    assert!(dev["fix"].as_str().is_some_and(|f| f.contains("`systemctl --user start openshell-gateway`")), "{dev}");
    assert!(checks.iter().filter(|c| c["ok"] == true).all(|c| c.get("fix").is_none()), "{checks:?}");
    let gateways = report["gateways"].as_array().expect("gateways");
    let names: Vec<&str> = gateways.iter().filter_map(|g| g["name"].as_str()).collect();
    assert_eq!(names, ["broken", "dev", "edge", "lab", "old"]);
    let lab = &gateways[3];
    assert_eq!(lab["active"], true);
    assert_eq!(lab["endpoint"], world.live());
    assert_eq!((lab["source"].as_str(), lab["registry"].as_str()), (Some("registered"), Some("user")));
    let old = &gateways[4];
    assert_eq!((old["source"].as_str(), old["container"].as_str()), (Some("container"), Some("openshell-cluster-old")));
    assert_eq!((old["active"].as_bool(), old["endpoint"].is_null()), (Some(false), true));
    assert!(gateways[0]["endpoint"].is_null(), "a registration that does not read has no endpoint");
}

/// The `docker` on this machine's `PATH`, when its engine answers.
fn real_docker() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    let docker = std::env::split_paths(&path).map(|dir| dir.join("docker")).find(|p| p.is_file())?;
    let answers = Command::new(&docker).arg("info").stdout(Stdio::null()).stderr(Stdio::null()).status().ok()?.success();
    answers.then_some(docker)
}

#[test]
fn against_the_real_docker_engine() {
    let Some(docker) = real_docker() else {
        eprintln!("skipped: no Docker Engine answers here");
        return;
    };
    let world = World::new();
    std::fs::remove_file(world.bin().join("docker")).expect("rm the stand-in");
    std::os::unix::fs::symlink(&docker, world.bin().join("docker")).expect("link the real docker");
    world.active_answering("lab");
    let out = world.doctor(&["-g", "lab"]);
    let text = said(&out);
    let engine = line(&text, "engine").expect("the engine's line");
    assert!(engine.starts_with("✓ engine") && engine.contains("docker ") && engine.ends_with(" answers"), "{text}");
    assert!(flat(&text).contains("GiB free in /"), "the real store is on this host: {text}");
    assert_eq!(passed(&text, "gateway lab"), Some(true), "{text}");
    assert_eq!(passed(&text, "gateway lab mtls"), Some(true), "{text}");
    // 0 exactly when every check passes (free space depends on this machine).
    let failed = text.lines().any(|l| l.starts_with('✗'));
    assert_eq!(out.status.code(), Some(i32::from(failed)), "{text}");
    // The real engine lists its containers: a name with neither is said to have neither.
    let nope = format!("sbxt-nope-{}", std::process::id());
    let out = world.doctor(&["-g", &nope]);
    let text = said(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(flat(&text).contains(&format!("there is no container openshell-cluster-{nope}; registered: lab")), "{text}");
}
