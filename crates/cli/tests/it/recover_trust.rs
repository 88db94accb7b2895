//! What `recover --apply` and `run --recover` promise the operator, shown with real
//! processes: stand-in programs on `PATH` record every argv they are given, so each test
//! sees what was run and, above all, what never was. Ctrl-C is pressed on a real
//! pseudo-terminal.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{workspace, BIN};
use crate::stand_in::StandIn;
use crate::terminal::Terminal;

fn example_text() -> String {
    fs::read_to_string(workspace().join("examples/upload-404-podman.log")).expect("example")
}

fn said(out: &std::process::Output) -> String {
    crate::common::read_as_prose(out)
}

pub(crate) fn wait_for(path: &Path) {
    let started = Instant::now();
    while !path.exists() {
        assert!(started.elapsed() < Duration::from_secs(20), "{} never appeared", path.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `sandbox-triage <args>` on a terminal, with the stand-ins first on `PATH`.
pub(crate) fn on_terminal(stand: &StandIn, args: &str, env: &[(&str, &str)]) -> Terminal {
    let mut vars = vec![("PATH", stand.path()), ("STUB_DIR", stand.dir.path().display().to_string())];
    vars.extend(env.iter().map(|(k, v)| (*k, (*v).to_owned())));
    Terminal::start(&format!("'{BIN}' {args}"), &vars)
}

const CREATE: &str = "openshell sandbox create --from ./Dockerfile --name demo -g nemoclaw";

#[test]
fn ctrl_c_during_the_create_is_never_followed_by_a_recovery() {
    // The create printed the upload 404, then the operator pressed Ctrl-C: it died of
    // SIGINT, or caught it and exited 130.
    for hang in ["sleep", "trap"] {
        let stand = StandIn::new();
        stand.create_prints(&example_text());
        let mut terminal = on_terminal(&stand, &format!("run --recover --yes --heartbeat 0 -- {CREATE}"), &[("STUB_CREATE_HANG", hang)]);
        wait_for(&stand.dir.path().join("hanging"));
        terminal.expect("status code 404");
        terminal.type_in(b"\x03");
        let status = terminal.status_within(Duration::from_secs(20));
        assert_eq!(status, Some(130), "{hang}: {}", terminal.text());
        assert!(terminal.text().contains("stopped by the operator's Ctrl-C (SIGINT)"), "{hang}: {}", terminal.text());
        assert!(terminal.text().contains("--recover carries nothing out after a stop"), "{hang}: {}", terminal.text());
        assert_eq!(stand.log(), format!("{CREATE}\n"), "{hang}: only the create ran");
    }
}

/// The database of the gateway is from another release; its state directory is real.
fn migration(stand: &StandIn) -> (String, std::path::PathBuf) {
    let input = stand.corpus_input("database_migration_incompatible__has-been-modified-9293.log");
    let state = stand.dir.path().join("gw state");
    fs::create_dir(&state).expect("state dir");
    fs::write(state.join("openshell.db"), "db").expect("database");
    (input, state)
}

#[test]
fn ctrl_c_at_a_question_ends_the_run_at_once_and_puts_back_what_was_changed() {
    let stand = StandIn::new();
    let (input, state) = migration(&stand);
    let args = format!("recover '{input}' --stage gateway-start --apply --allow-destructive --set 'GATEWAY_STATE_DIR={}'", state.display());
    let mut terminal = on_terminal(&stand, &args, &[]);
    terminal.expect("Run step 3: Stop the gateway service? [y/N]");
    terminal.type_in(b"y\n");
    terminal.expect("Run step 4 (destructive): Move the state directory aside? [y/N]");
    terminal.type_in(b"\x03");
    let status = terminal.status_within(Duration::from_secs(10));
    assert_eq!(status, Some(130), "Ctrl-C at the question must end the run at once: {}", terminal.text());
    assert!(terminal.text().contains("interrupted at the question for step 4"), "{}", terminal.text());
    // The service it stopped was started again; the state never moved.
    assert_eq!(stand.log(), "systemctl --user stop openshell-gateway\nsystemctl --user start openshell-gateway\n");
    assert!(state.join("openshell.db").exists());
}

#[test]
fn a_failed_move_starts_the_gateway_service_again() {
    let stand = StandIn::new();
    let (input, state) = migration(&stand);
    stand.failing("mv", 1);
    let set = format!("GATEWAY_STATE_DIR={}", state.display());
    let out = stand.run(&[&input, "--stage", "gateway-start", "--apply", "--yes", "--allow-destructive", "--set", &set], &[]);
    assert_eq!(out.status.code(), Some(4), "{}", said(&out));
    let moved = format!("mv {0} {0}.incompatible", state.display());
    assert_eq!(
        stand.log(),
        format!("systemctl --user stop openshell-gateway\n{moved}\nsystemctl --user start openshell-gateway\n"),
        "{}",
        said(&out)
    );
    assert!(said(&out).contains("putting back step 3: systemctl --user start openshell-gateway"), "{}", said(&out));
}

#[test]
fn the_recreate_carries_the_creates_own_environment_never_the_operators() {
    let stand = StandIn::new();
    stand.create_prints(&example_text());
    let create =
        format!("{CREATE} -- env PATH=/opt/sandbox/bin HOME=/sandbox OPENAI_API_KEY=sk-proj-create0123456789abcdefghij nemoclaw-start");
    let words: Vec<&str> = create.split(' ').collect();
    let args: Vec<&str> = ["run", "--recover", "--yes", "--heartbeat", "0", "--"].into_iter().chain(words).collect();
    let out = stand.run_any(&args, &[("HOME", "/home/operator"), ("OPENAI_API_KEY", "sk-proj-operator0123456789abcdefgh")]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let last = stand.log().lines().last().map(str::to_owned).unwrap_or_default();
    assert_eq!(
        last,
        "openshell sandbox create --from openshell/sandbox-from:1786000000 --name demo -g nemoclaw -- env PATH=/opt/sandbox/bin HOME=/sandbox \
         OPENAI_API_KEY=sk-proj-create0123456789abcdefghij nemoclaw-start"
    );
    for never in ["/home/operator", "sk-proj-operator", "sk-proj-create", "/opt/sandbox/bin"] {
        assert!(!said(&out).contains(never), "{never}: {}", said(&out));
    }
    assert!(said(&out).contains("OPENAI_API_KEY = **** (from the create's own argv)"), "{}", said(&out));
}

/// The upload 404 with no gateway named anywhere in the output.
const NAMELESS: &str = "  Built image openshell/sandbox-from:1786000000\n  [progress] Exported 1862 MiB\nError:   × failed to upload image tar into container\n  ╰─▶ Docker responded with status code 404: the container does not exist: no such container\n";

#[test]
fn a_value_that_would_be_a_flag_is_refused_before_anything_runs() {
    let stand = StandIn::new();
    let input = stand.input(NAMELESS);
    for (set, env) in
        [(["--set", "GATEWAY=--all"], ("SANDBOX_TRIAGE_UNUSED", "x")), (["--set", "BUILT_IMAGE=x:1"], ("SANDBOX_TRIAGE_GATEWAY", "--all"))]
    {
        let args: Vec<&str> = [input.as_str(), "--apply", "--yes", "--allow-destructive"].into_iter().chain(set).collect();
        let out = stand.run(&args, &[env]);
        assert_eq!(out.status.code(), Some(5), "{}", said(&out));
        assert!(said(&out).contains("starts with '-', which the command would read as a flag"), "{}", said(&out));
        assert!(stand.log().is_empty(), "{}", stand.log());
    }
}

/// 0.0.37: the driver could not find the image Podman built, after `Created sandbox: web`.
const LEFT_IN_ERROR: &str = "Building image openshell/sandbox-from:1784738810 from ./Dockerfile
  STEP 1/1: FROM scratch
  COMMIT openshell/sandbox-from:1784738810
  Successfully tagged localhost/openshell/sandbox-from:1784738810
✓ Image openshell/sandbox-from:1784738810 is available in the local Docker daemon
Created sandbox: web
[0.4s] Pulling image openshell/sandbox-from:1784738810
Error:   × sandbox entered error phase while provisioning: ImagePullFailed: pull Docker image 'openshell/sandbox-from:1784738810' failed: pull access denied for openshell/sandbox-from
";

#[test]
fn a_sandbox_is_deleted_only_while_the_list_shows_it_failed() {
    for (phase, deleted) in [("Ready", false), ("Error", true)] {
        let stand = StandIn::new();
        let input = stand.input(LEFT_IN_ERROR);
        fs::write(stand.dir.path().join("list.out"), format!("NAME  CREATED  PHASE\nweb  2026-12-04 10:00:00  {phase}\n")).expect("list");
        let out = stand.run(
            &[
                &input,
                "--apply",
                "--yes",
                "--allow-destructive",
                "--",
                "openshell",
                "sandbox",
                "create",
                "--from",
                "./Dockerfile",
                "--name",
                "web",
            ],
            &[],
        );
        let log = stand.log();
        assert_eq!(log.contains("openshell sandbox delete web"), deleted, "{phase}: {log}");
        if deleted {
            assert_eq!(out.status.code(), Some(0), "{}", said(&out));
            assert!(said(&out).contains("→ will run: openshell sandbox delete web"), "{}", said(&out));
        } else {
            assert_eq!(out.status.code(), Some(3), "{}", said(&out));
            assert!(!log.contains("sandbox create"), "{log}");
        }
    }
}

#[test]
fn the_readme_example_without_its_gateway_says_what_state_the_machine_is_in_and_what_to_run() {
    let stand = StandIn::new();
    let example = workspace().join("examples/upload-404-podman.log").display().to_string();
    let out = stand.run(&[&example], &[("STUB_GATEWAY_ABSENT", "1")]);
    assert_eq!(out.status.code(), Some(3), "{}", said(&out));
    let text = said(&out);
    assert!(text.contains("the machine: there is no gateway container openshell-cluster-nemoclaw on this machine"), "{text}");
    assert!(text.contains("next: openshell gateway start --name nemoclaw"), "{text}");
    assert!(text.contains("if the log came from another machine, carry the recovery out there"), "{text}");
    // The explanation says why the 404's words are not taken at face value.
    let plan = stand.run_any(&["plan", &example], &[]);
    let text = said(&plan);
    assert!(text.contains("On this large-upload path that answer") && text.contains("misleads"), "{text}");
    assert!(text.contains("step 1 checks whether it runs"), "{text}");
    // The script says the same.
    let script = stand.dir.path().join("plan.sh");
    let argv: Vec<&str> = CREATE.split(' ').collect();
    fs::write(&script, plan_script(&stand, &example, &argv)).expect("script");
    let ran = std::process::Command::new("setsid")
        .args(["sh", &script.display().to_string(), "--yes"])
        .env("PATH", stand.path())
        .env("STUB_DIR", stand.dir.path())
        .env("STUB_GATEWAY_ABSENT", "1")
        .output()
        .expect("sh");
    let err = String::from_utf8_lossy(&ran.stderr);
    assert_eq!(ran.status.code(), Some(3), "{err}");
    assert!(err.contains("the machine: there is no gateway container openshell-cluster-nemoclaw"), "{err}");
    assert!(err.contains("next: openshell gateway start --name nemoclaw"), "{err}");
}

fn plan_script(stand: &StandIn, log: &str, argv: &[&str]) -> String {
    let args: Vec<&str> = ["plan", "--format", "sh", log, "--"].into_iter().chain(argv.iter().copied()).collect();
    let args = if argv.is_empty() { &args[..4] } else { &args[..] };
    String::from_utf8(stand.run_any(args, &[]).stdout).expect("utf-8")
}

#[test]
fn the_readme_examples_script_ends_recovered_once_a_person_allows_the_create() {
    let stand = StandIn::new();
    let example = workspace().join("examples/upload-404-podman.log").display().to_string();
    let script = stand.dir.path().join("plan.sh");
    fs::write(&script, plan_script(&stand, &example, &[])).expect("script");
    let vars = [("PATH", stand.path()), ("STUB_DIR", stand.dir.path().display().to_string())];
    let mut terminal = Terminal::start(&format!("sh '{}' --yes", script.display()), &vars);
    // Asked before anything runs.
    terminal.expect("Step 6 will create the sandbox from the built image");
    assert!(stand.log().is_empty(), "{}", stand.log());
    terminal.type_in(b"y\n");
    assert_eq!(terminal.status_within(Duration::from_secs(20)), Some(0), "{}", terminal.text());
    assert!(terminal.text().contains("recovered"), "{}", terminal.text());
    assert_eq!(
        stand.log().lines().last(),
        Some("openshell sandbox create --from openshell/sandbox-from:1786000000 -g nemoclaw"),
        "{}",
        stand.log()
    );
}

#[test]
fn the_narration_shows_control_bytes_from_the_operators_arguments_escaped() {
    let stand = StandIn::new();
    let example = workspace().join("examples/upload-404-podman.log").display().to_string();
    let hostile = ["\u{1b}]0;owned\u{7}", "\u{1b}[2J", "a\u{9b}31mb", "x\u{85}y"];
    for word in hostile {
        let label = format!("note={word}");
        let journal = stand.dir.path().join("journal");
        let _ = fs::remove_file(&journal);
        let create = ["openshell", "sandbox", "create", "--from", "./Dockerfile", "-g", "nemoclaw", "--label", &label];
        let args: Vec<&str> = [example.as_str(), "--journal", journal.to_str().expect("utf-8"), "--"].into_iter().chain(create).collect();
        let out = stand.run(&args, &[]);
        let shown = said(&out) + &fs::read_to_string(&journal).unwrap_or_default();
        assert!(shown.contains("--label 'note="), "{word:?}: {shown}");
        for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\u{85}'] {
            assert!(!shown.contains(raw), "{word:?}: a raw {raw:?} reached the terminal: {shown:?}");
        }
        // A value given with --set is shown the same way.
        let (log, set) = (stand.input(NAMELESS), format!("GATEWAY={word}"));
        let out = stand.run(&[&log, "--apply", "--yes", "--set", &set], &[]);
        assert_eq!(out.status.code(), Some(5), "{}", said(&out));
        assert!(!said(&out).contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{85}']), "{word:?}: {:?}", said(&out));
    }
}

#[test]
fn a_failure_a_build_step_printed_drives_no_recovery() {
    // Each build's last step prints OpenShell's push lines and its 404, then the build
    // ends as it should.
    for name in ["unknown__buildah-step-prints-upload-404-build-succeeds.log", "unknown__classic-step-prints-upload-404-build-succeeds.log"]
    {
        let stand = StandIn::new();
        let input = stand.corpus_input(name);
        let create = ["--", "openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "demo", "-g", "nemoclaw"];
        let args: Vec<&str> = [input.as_str(), "--apply", "--yes", "--allow-destructive"].into_iter().chain(create).collect();
        let out = stand.run(&args, &[]);
        assert_ne!(out.status.code(), Some(0), "{name}: {}", said(&out));
        let log = stand.log();
        assert!(!log.contains("images import") && !log.contains(" save ") && !log.contains("sandbox create"), "{name}: {log}");
        // Supervised, the same output drives nothing either.
        let stand = StandIn::new();
        stand.create_prints(&fs::read_to_string(&input).expect("input"));
        let out = stand.run_any(
            &["run", "--recover", "--yes", "--heartbeat", "0", "--", "openshell", "sandbox", "create", "--from", "./Dockerfile"],
            &[],
        );
        assert_eq!(out.status.code(), Some(1), "{name}: {}", said(&out));
        assert_eq!(stand.log(), "openshell sandbox create --from ./Dockerfile\n", "{name}: only the create ran");
    }
}

#[test]
fn no_secret_of_the_creates_reaches_the_narration_or_the_journal() {
    let stand = StandIn::new();
    let example = workspace().join("examples/upload-404-podman.log").display().to_string();
    let journal = stand.dir.path().join("journal");
    let secrets = [
        "sk_live_51HqLyjWDarjtT1zdp7dcXyz0123456789abcdef",
        "AIzaSyA-1234567890abcdefghijklmnopqrstu",
        "gsk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL",
        "xapp-1-A0123456789-0123456789012-abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345",
    ];
    let envs: Vec<String> = secrets.iter().enumerate().map(|(i, s)| format!("SERVICE_{i}_KEY={s}")).collect();
    let mut args = vec![example.as_str(), "--apply", "--yes", "--journal", journal.to_str().expect("utf-8"), "--"];
    args.extend(["openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "demo", "-g", "nemoclaw"]);
    for env in &envs {
        args.extend(["--env", env.as_str()]);
    }
    args.extend(["--", "env"]);
    args.extend(envs.iter().map(String::as_str));
    args.push("agent");
    let out = stand.run(&args, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let shown = said(&out) + &fs::read_to_string(&journal).expect("journal");
    for secret in secrets {
        assert!(!shown.contains(secret) && !shown.contains(&secret[8..24]), "{secret}: {shown}");
    }
    // The create ran with them all the same: they were the create's own.
    let last = stand.log().lines().last().map(str::to_owned).unwrap_or_default();
    assert!(secrets.iter().all(|s| last.contains(s)), "{last}");
}

#[test]
fn a_create_stopped_with_sigquit_or_exiting_131_is_never_followed_by_a_recovery() {
    let stand = StandIn::new();
    stand.create_prints(&(example_text() + "\n"));
    let out = stand.run_any(&["run", "--recover", "--yes", "--heartbeat", "0", "--", "sh", "-c", &format!("{CREATE}; exit 131")], &[]);
    assert_eq!(out.status.code(), Some(131), "{}", said(&out));
    assert!(said(&out).contains("stopped by a Ctrl-\\ (SIGQUIT)"), "{}", said(&out));
    assert_eq!(stand.log(), format!("{CREATE}\n"), "only the create ran");
}

#[test]
fn a_stop_after_the_create_ended_and_before_the_recovery_is_heard() {
    use std::io::Read;
    use std::process::Stdio;
    let stand = StandIn::new();
    // Enough of the create's output that our stderr pipe fills while nobody reads it:
    // the run is held up after the create has ended, before the recovery.
    stand.create_prints(&("padding line\n".repeat(6000) + &example_text()));
    let marker = stand.dir.path().join("create-ended");
    let args: Vec<&str> = ["run", "--recover", "--yes", "--heartbeat", "0", "--"].into_iter().chain(CREATE.split(' ')).collect();
    let mut child = stand.command(&args, &[]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("run");
    wait_for(&marker);
    std::thread::sleep(Duration::from_millis(300));
    let pid = i32::try_from(child.id()).expect("pid");
    // SAFETY: a signal to the child this test started.
    #[allow(unsafe_code)]
    unsafe {
        libc::kill(pid, libc::SIGINT);
    }
    let mut err = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut err).expect("read");
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(1), "{}", &err[err.len().saturating_sub(2000)..]);
    assert!(err.contains("stopped after the command ended"), "{}", &err[err.len().saturating_sub(2000)..]);
    assert_eq!(stand.log(), format!("{CREATE}\n"), "only the create ran");
}

#[test]
fn a_report_naming_the_runs_own_output_is_refused_before_the_create_starts() {
    let stand = StandIn::new();
    let captured = stand.dir.path().join("create.log");
    for flag in ["--json-out", "--events"] {
        let out = stand
            .command(
                &["run", "--heartbeat", "0", flag, "/dev/stderr", "--", "openshell", "sandbox", "create", "--from", "./Dockerfile"],
                &[],
            )
            .stderr(fs::File::create(&captured).expect("capture"))
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{flag}");
        assert!(fs::read_to_string(&captured).expect("captured").contains("is this run's own standard error"), "{flag}");
        assert!(stand.log().is_empty(), "{flag}: the create ran");
    }
}
