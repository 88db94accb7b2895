//! `recover`, `run --recover` and `doctor` against a real engine: a gateway container
//! with a real containerd (`tests/engine/`), and a stand-in `openshell` that builds,
//! saves and uploads through the engine's API as OpenShell 0.0.36 does, so the 404 is
//! the engine's own. Every name starts with `sbxt`; everything is removed at the end.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use crate::common::{workspace, BIN};

const SOCKET: &str = "/run/k3s/containerd/containerd.sock";

fn kit() -> PathBuf {
    workspace().join("crates/cli/tests/engine")
}

fn path_with_kit() -> String {
    format!("{}:{}", kit().display(), std::env::var("PATH").unwrap_or_default())
}

fn sh(script: &str, args: &[&str]) -> Output {
    Command::new("bash").arg(kit().join(script)).args(args).stdin(Stdio::null()).output().expect("bash")
}

fn must(out: &Output, what: &str) {
    assert!(out.status.success(), "{what}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

/// The kit's images, built once per engine.
pub(crate) fn images(engine: &'static str) {
    static DOCKER: OnceLock<()> = OnceLock::new();
    static PODMAN: OnceLock<()> = OnceLock::new();
    let once = if engine == "docker" { &DOCKER } else { &PODMAN };
    once.get_or_init(|| must(&sh("images.sh", &[engine]), "images.sh"));
}

/// One test's world: a gateway container, a work directory with a tiny Dockerfile, the
/// stand-in's call log. Removed, with the images it built, when dropped.
struct World {
    engine: &'static str,
    gateway: String,
    dir: tempfile::TempDir,
    repo: String,
    /// A Podman API service whose storage lacks the gateway (the socket mismatch).
    alt_socket: Option<PathBuf>,
}

impl World {
    fn new(engine: &'static str, tag: &str) -> World {
        images(engine);
        let gateway = format!("sbxt-{tag}-{}", std::process::id());
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("Dockerfile"), "FROM sbxt-busybox:1\nRUN echo hi > /hi\n").expect("Dockerfile");
        let world = World { engine, repo: format!("sbxt-{tag}/sandbox-from"), gateway, dir, alt_socket: None };
        world.start_gateway();
        world
    }

    fn podman(tag: &str) -> World {
        let mut world = World::new("podman", tag);
        let socket = world.dir.path().join("alt.sock");
        must(&sh("podman-api.sh", &["start", &socket.display().to_string()]), "podman-api.sh start");
        world.alt_socket = Some(socket);
        world
    }

    fn container(&self) -> String {
        format!("openshell-cluster-{}", self.gateway)
    }

    fn start_gateway(&self) {
        must(&sh("gateway.sh", &[self.engine, "start", &self.gateway]), "gateway start");
        must(&sh("gateway.sh", &[self.engine, "wait", &self.gateway]), "gateway wait");
    }

    fn stop_gateway(&self) {
        must(&sh("gateway.sh", &[self.engine, "stop", &self.gateway]), "gateway stop");
    }

    fn remove_gateway(&self) {
        must(&sh("gateway.sh", &[self.engine, "rm", &self.gateway]), "gateway rm");
    }

    fn calls_log(&self) -> PathBuf {
        self.dir.path().join("openshell-calls")
    }

    /// The create argv the tests give, as an operator would type it in the directory
    /// that holds the Dockerfile.
    fn create_argv(&self) -> Vec<String> {
        ["openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "demo", "-g", &self.gateway, "--label", "team=infra"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    }

    /// The environment the stand-in and the tool run in.
    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command
            .env("PATH", path_with_kit())
            .env("SBXT_ENGINE", self.engine)
            .env("SBXT_IMAGE_REPO", &self.repo)
            .env("SBXT_OPENSHELL_LOG", self.calls_log())
            .env("NO_COLOR", "1")
            .current_dir(self.dir.path())
            .stdin(Stdio::null());
        if let Some(socket) = &self.alt_socket {
            command.env("SBXT_PODMAN_SOCK", socket);
        }
        command
    }

    /// Runs the create as an operator would, its output captured as `2>&1` would; the
    /// log file.
    fn failed_create(&self) -> PathBuf {
        let log = self.dir.path().join("create.log");
        let file = fs::File::create(&log).expect("log");
        let status = self
            .command("openshell")
            .args(&self.create_argv()[1..])
            .stdout(file.try_clone().expect("dup"))
            .stderr(file)
            .status()
            .expect("the stand-in openshell");
        let text = fs::read_to_string(&log).expect("log");
        assert_eq!(status.code(), Some(1), "{text}");
        assert!(text.contains("status code 404"), "{text}");
        log
    }

    fn recover(&self, log: &Path, flags: &[&str]) -> Output {
        self.command(BIN).arg("recover").arg(log).args(flags).arg("--").args(self.create_argv()).output().expect("recover")
    }

    /// The stand-in's calls: one line each, words separated by tabs.
    fn calls(&self) -> Vec<Vec<String>> {
        let text = fs::read_to_string(self.calls_log()).unwrap_or_default();
        text.lines().map(|l| l.split('\t').map(str::to_owned).collect()).collect()
    }

    /// `ctr images check` in the gateway.
    fn gateway_images(&self) -> String {
        let out = Command::new(self.engine)
            .args(["exec", &self.container(), "ctr", "-a", SOCKET, "-n", "k8s.io", "images", "check"])
            .output()
            .expect("exec");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The image the failed create built, from its log.
    fn built_image(log: &Path) -> String {
        let text = fs::read_to_string(log).expect("log");
        let line = text.lines().find_map(|l| l.trim().strip_prefix("Built image ")).expect("a built image line");
        line.trim().to_owned()
    }

    fn unpacked(&self, image: &str) -> bool {
        let full = format!("docker.io/{image}");
        self.gateway_images().lines().any(|l| {
            let columns: Vec<&str> = l.split_whitespace().collect();
            columns.first() == Some(&full.as_str()) && columns.last() == Some(&"true")
        })
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = sh("gateway.sh", &[self.engine, "rm", &self.gateway]);
        if let Some(socket) = &self.alt_socket {
            let _ = sh("podman-api.sh", &["stop", &socket.display().to_string()]);
        }
        let listed = Command::new(self.engine).args(["images", "--format", "{{.Repository}}:{{.Tag}}"]).output();
        for image in listed.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default().lines() {
            let short = image.trim_start_matches("localhost/").trim_start_matches("docker.io/");
            if short.starts_with(&self.repo) {
                let _ = Command::new(self.engine).args(["rmi", "-f", image]).output();
            }
        }
    }
}

fn text(out: &Output) -> String {
    crate::common::read_as_prose(out)
}

fn journal(path: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(path).expect("journal").lines().map(|l| serde_json::from_str(l).expect("one JSON object a line")).collect()
}

#[test]
fn a_stopped_or_absent_gateway_is_refused_at_the_probe() {
    let world = World::new("docker", "gone");
    let log = world.failed_create();
    let image = World::built_image(&log);
    for how in ["stopped", "absent"] {
        if how == "stopped" {
            world.stop_gateway();
        } else {
            world.remove_gateway();
        }
        let journal_path = world.dir.path().join(format!("{how}.journal"));
        let out = world.recover(&log, &["--apply", "--yes", "--journal", &journal_path.display().to_string()]);
        assert_eq!(out.status.code(), Some(3), "{how}: {}", text(&out));
        assert!(text(&out).contains("stopped: step 1 did not show a line `true`"), "{how}: {}", text(&out));
        let entries = journal(&journal_path);
        assert_eq!(entries.len(), 1, "{how}: {entries:?}");
        assert_eq!(entries[0]["status"], "check-failed");
        assert_eq!(world.calls().len(), 1, "{how}: the create ran again: {:?}", world.calls());
    }
    world.start_gateway();
    assert!(!world.unpacked(&image), "an image was imported: {}", world.gateway_images());
}

#[test]
fn a_dry_run_changes_nothing() {
    let world = World::new("docker", "dry");
    let log = world.failed_create();
    let image = World::built_image(&log);
    let out = world.recover(&log, &["--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("the plan can be carried out"), "{}", text(&out));
    assert!(!world.unpacked(&image), "{}", world.gateway_images());
    assert!(!world.gateway_images().contains(&image), "{}", world.gateway_images());
    assert_eq!(world.calls().len(), 1);
}

/// The create ran again from the built image, with every other flag the operator gave.
fn assert_created_from(world: &World, image: &str) {
    let calls = world.calls();
    let last = calls.last().expect("calls");
    let mut expected: Vec<String> = world.create_argv();
    image.clone_into(&mut expected[4]);
    assert_eq!(last, &expected, "{calls:?}");
}

#[test]
fn the_upload_404_is_recovered_by_streaming_the_image_into_the_gateway() {
    let world = World::new("docker", "fix");
    let log = world.failed_create();
    let image = World::built_image(&log);
    let journal_path = world.dir.path().join("journal");
    let out = world.recover(&log, &["--apply", "--yes", "--journal", &journal_path.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(world.unpacked(&image), "{}", world.gateway_images());
    assert_created_from(&world, &image);
    let entries = journal(&journal_path);
    let steps: Vec<(u64, &str)> = entries.iter().map(|e| (e["step"].as_u64().unwrap_or(0), e["status"].as_str().unwrap_or(""))).collect();
    assert_eq!(steps, vec![(1, "done"), (2, "done"), (3, "done"), (4, "done"), (5, "done")], "{entries:?}");
    assert_eq!(entries[2]["risk"], "confirm");
    assert_eq!(entries[2]["exit_codes"], serde_json::json!([0, 0]));
    assert!(entries[2]["streamed_bytes"].as_u64().unwrap_or(0) > 1 << 20, "{:?}", entries[2]);
    // Run again: the image is there, so the import is skipped.
    let again = world.recover(&log, &["--apply", "--yes"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(text(&again).contains("already done: skipped"), "{}", text(&again));
}

#[test]
fn an_import_cut_off_midway_is_a_failed_step_and_nothing_after_it_runs() {
    let world = World::new("docker", "cut");
    // Enough to stream for a while: the import is stopped while it runs.
    fs::write(world.dir.path().join("Dockerfile"), "FROM sbxt-busybox:1\nRUN dd if=/dev/urandom of=/big bs=1M count=192\n")
        .expect("Dockerfile");
    let log = world.failed_create();
    let journal_path = world.dir.path().join("journal");
    // A watcher inside the gateway kills its containerd a moment after the import
    // starts, while the archive streams.
    // (`[i]` keeps the watcher from finding its own command line.)
    let watcher = "until ps -o args | grep -q 'images [i]mport'; do sleep 0.01; done; sleep 0.2; echo killing; kill -9 $(pidof containerd)";
    let mut watch =
        Command::new("docker").args(["exec", &world.container(), "sh", "-c", watcher]).stdout(Stdio::piped()).spawn().expect("the watcher");
    let recover = world
        .command(BIN)
        .arg("recover")
        .arg(&log)
        .args(["--apply", "--yes", "--journal", &journal_path.display().to_string(), "--"])
        .args(world.create_argv())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("recover");
    let out = recover.wait_with_output().expect("recover");
    let _ = watch.kill();
    let watched = watch.wait_with_output().expect("the watcher");
    assert_eq!(String::from_utf8_lossy(&watched.stdout).lines().next(), Some("killing"), "{}", text(&out));
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    let entries = journal(&journal_path);
    let last = entries.last().expect("an entry");
    assert_eq!(last["step"], 3, "{entries:?}");
    assert_eq!(last["status"], "failed", "{last:?}");
    let failed = last["failed"].as_str().unwrap_or_default();
    assert!(failed.starts_with("2: docker exec -i ") && failed.contains("images import -"), "{failed}");
    assert_eq!(world.calls().len(), 1, "the create ran after a failed import: {:?}", world.calls());
    assert!(text(&out).contains("failed: step 3 (pipeline command 2, `docker exec -i "), "{}", text(&out));
}

#[test]
fn run_recover_ends_with_the_sandbox_created() {
    let world = World::new("docker", "run");
    let out = world.command(BIN).args(["run", "--recover", "--yes", "--"]).args(world.create_argv()).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let calls = world.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    let image = calls[1][4].clone();
    assert!(image.starts_with(&world.repo), "{calls:?}");
    assert!(world.unpacked(&image), "{}", world.gateway_images());
    assert_created_from(&world, &image);
    assert!(text(&out).contains("image_upload_container_missing") || text(&out).contains("image_upload_failed"), "{}", text(&out));
}

#[test]
fn the_same_recovery_works_with_podman() {
    let world = World::podman("pod");
    let log = world.failed_create();
    let text_of_log = fs::read_to_string(&log).expect("log");
    assert!(text_of_log.contains("no container with name or ID"), "{text_of_log}");
    let image = World::built_image(&log);
    let out = world.recover(&log, &["--apply", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("$ podman save"), "{}", text(&out));
    assert!(world.unpacked(&image), "{}", world.gateway_images());
    assert_created_from(&world, &image);
    // Podman's `ps` says `Up …` of a running container: doctor reads it as running.
    let doctor = world.command(BIN).args(["doctor", "--engine", "podman", "-g", &world.gateway]).output().expect("doctor");
    let said = text(&doctor);
    assert!(said.contains(&format!("✓ gateway {} ", world.gateway)) && said.contains("containerd answers"), "{said}");
}

#[test]
fn doctor_passes_on_a_healthy_host_and_names_a_stopped_gateway() {
    let world = World::new("docker", "doc");
    let doctor = |world: &World| world.command(BIN).args(["doctor", "--engine", "docker", "-g", &world.gateway]).output().expect("doctor");
    let healthy = doctor(&world);
    assert_eq!(healthy.status.code(), Some(0), "{}", text(&healthy));
    assert!(text(&healthy).contains(&format!("✓ gateway {}", world.gateway)), "{}", text(&healthy));
    assert!(text(&healthy).contains("openshell 0.0.36: 0.0.36 or older"), "{}", text(&healthy));
    world.stop_gateway();
    let stopped = doctor(&world);
    assert_eq!(stopped.status.code(), Some(1), "{}", text(&stopped));
    let said = text(&stopped);
    assert!(said.contains(&format!("✗ gateway {}", world.gateway)) && said.contains("is exited"), "{said}");
    assert!(said.contains(&format!("fix: start it: `docker start {}`", world.container())), "{said}");
}
