//! A host for `doctor` to check: a home directory whose OpenShell config holds gateways
//! registered as OpenShell writes them (`gateways/NAME/metadata.json`, pretty JSON in
//! its field order, directories 0700, `mtls/tls.key` 0600; `active_gateway`), an empty
//! system registry in place of `/etc/openshell`, a real TCP listener on 127.0.0.1 for a
//! gateway that answers and a closed port for one that does not, and stand-in `docker`
//! and `openshell` scripts alone on `PATH`. Nothing leaves this machine.

// Each test file uses its own share of these.
#![allow(dead_code)]

use std::fs;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) use crate::common::flat;
use crate::common::BIN;

/// Docker as the checks ask it: it answers, keeps its images where this host has no
/// such directory (the free-space check then says so instead of a number that varies),
/// lists the containers `PS` stands for, and runs `ctr` in a running one. Shell
/// builtins only: nothing else is on `PATH`.
const DOCKER: &str = r#"#!/bin/sh
case "$1" in
  --version) echo 'Docker version 27.0.0, build 1' ;;
  info) case "$3" in *ServerVersion*) echo 27.0.0 ;; *) echo /nonexistent/sbxt-docker-root ;; esac ;;
  ps) PS ;;
  exec) echo 'Client: v1.7.0' ;;
  *) exit 1 ;;
esac
"#;

pub(crate) struct World {
    pub(crate) dir: tempfile::TempDir,
    /// A port something listens at (never accepted: the kernel completes the connect).
    pub(crate) port: u16,
    /// A port nothing listens at.
    pub(crate) closed: u16,
    _listener: TcpListener,
}

fn write_exec(path: &Path, text: &str) {
    fs::write(path, text).expect("write a stand-in");
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("chmod");
}

fn restricted_dir(path: &Path) {
    fs::create_dir_all(path).expect("mkdir");
    fs::set_permissions(path, fs::Permissions::from_mode(0o700)).expect("chmod");
}

impl World {
    /// No gateway registered; `docker` answers with no container; `openshell` 0.0.40.
    pub(crate) fn new() -> World {
        let dir = tempfile::tempdir().expect("temp dir");
        let listener = TcpListener::bind("127.0.0.1:0").expect("listen on loopback");
        let port = listener.local_addr().expect("address").port();
        let closed = TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address").port();
        for sub in ["home", "bin", "etc-openshell"] {
            fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
        }
        let world = World { dir, port, closed, _listener: listener };
        world.containers("");
        world.openshell("openshell 0.0.40");
        world
    }

    pub(crate) fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// Where OpenShell keeps its per-user config when `XDG_CONFIG_HOME` is unset.
    pub(crate) fn config(&self) -> PathBuf {
        self.home().join(".config/openshell")
    }

    pub(crate) fn bin(&self) -> PathBuf {
        self.dir.path().join("bin")
    }

    /// The system registry (`OPENSHELL_SYSTEM_GATEWAY_DIR`), in place of `/etc/openshell`.
    pub(crate) fn system(&self) -> PathBuf {
        self.dir.path().join("etc-openshell")
    }

    /// The stand-in `openshell` answers `--version` with `version`.
    pub(crate) fn openshell(&self, version: &str) {
        write_exec(&self.bin().join("openshell"), &format!("#!/bin/sh\necho '{version}'\n"));
    }

    /// `docker ps` lists these `NAME\tSTATE` lines (no `'` in them).
    pub(crate) fn containers(&self, lines: &str) {
        let listed = lines.lines().map(|l| format!(" '{l}'")).collect::<Vec<_>>().concat();
        let ps = if listed.is_empty() { ":".to_owned() } else { format!("printf '%s\\n'{listed}") };
        write_exec(&self.bin().join("docker"), &DOCKER.replace("PS", &ps));
    }

    pub(crate) fn register(&self, name: &str, endpoint: &str) {
        register_in(&self.config(), name, endpoint);
    }

    pub(crate) fn metadata(&self, name: &str, text: &str) {
        metadata_in(&self.config(), name, text);
    }

    /// `name`'s client bundle, `files` of `ca.crt`, `tls.crt`, `tls.key`.
    pub(crate) fn bundle(&self, name: &str, files: &[&str]) {
        let dir = self.config().join("gateways").join(name).join("mtls");
        restricted_dir(&dir);
        for file in files {
            let path = dir.join(file);
            fs::write(&path, format!("-----BEGIN {file}-----\nsbxt-secret-material\n-----END {file}-----\n")).expect("write");
            if *file == "tls.key" {
                fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
            }
        }
    }

    pub(crate) fn activate(&self, name: &str) {
        activate_in(&self.config(), name);
    }

    /// `name` registered at an endpoint that answers, with its whole client bundle.
    pub(crate) fn answering(&self, name: &str) {
        self.register(name, &self.live());
        self.bundle(name, &["ca.crt", "tls.crt", "tls.key"]);
    }

    /// [`World::answering`], and the active gateway.
    pub(crate) fn active_answering(&self, name: &str) {
        self.answering(name);
        self.activate(name);
    }

    /// `https://127.0.0.1:PORT`, where something listens.
    pub(crate) fn live(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// `http://127.0.0.1:PORT`, where nothing listens.
    pub(crate) fn dead(&self) -> String {
        format!("http://127.0.0.1:{}", self.closed)
    }

    /// `doctor` as a user on this host runs it: only the stand-ins on `PATH`, colour off,
    /// nothing of the caller's OpenShell or terminal settings inherited.
    pub(crate) fn command(&self) -> Command {
        let mut command = Command::new(BIN);
        self.environment(&mut command);
        command.arg("doctor").env("PATH", self.bin()).env("NO_COLOR", "1");
        command
    }

    /// This host's environment for `command`, `PATH` and colour aside.
    pub(crate) fn environment(&self, command: &mut Command) {
        command
            .env("HOME", self.home())
            .env("OPENSHELL_SYSTEM_GATEWAY_DIR", self.system())
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("OPENSHELL_GATEWAY")
            .env_remove("COLUMNS")
            .env_remove("CLICOLOR_FORCE");
    }

    pub(crate) fn doctor(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run doctor")
    }
}

/// Registers `name` under `root` (`…/openshell`) as `openshell gateway add` does:
/// `gateway add https://… --local` writes `auth_mode` `mtls`, `gateway add http://…
/// --local` writes `plaintext`.
pub(crate) fn register_in(root: &Path, name: &str, endpoint: &str) {
    let auth = if endpoint.starts_with("https://") { "mtls" } else { "plaintext" };
    let text = format!(
        "{{\n  \"name\": \"{name}\",\n  \"gateway_endpoint\": \"{endpoint}\",\n  \"is_remote\": false,\n  \"gateway_port\": 0,\n  \"auth_mode\": \"{auth}\"\n}}"
    );
    metadata_in(root, name, &text);
}

/// Writes `text` as `name`'s metadata.json, whatever it holds.
pub(crate) fn metadata_in(root: &Path, name: &str, text: &str) {
    let dir = root.join("gateways").join(name);
    restricted_dir(&dir);
    fs::write(dir.join("metadata.json"), text).expect("write metadata.json");
}

/// `active_gateway` under `root` names `name`, as `gateway select` writes it (no newline).
pub(crate) fn activate_in(root: &Path, name: &str) {
    restricted_dir(root);
    fs::write(root.join("active_gateway"), name).expect("write active_gateway");
}

/// What the run printed, both streams, for failure messages.
pub(crate) fn said(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// The line of the check named `check`, as printed (✓ or ✗, the name, the detail's
/// first line).
pub(crate) fn line<'a>(text: &'a str, check: &str) -> Option<&'a str> {
    text.lines().find(|l| {
        let rest = l.strip_prefix("✓ ").or_else(|| l.strip_prefix("✗ "));
        rest.is_some_and(|r| r.strip_prefix(check).is_some_and(|after| after.starts_with("  ") || after.is_empty()))
    })
}

/// Whether the check `check` passed (`Some(true)`), failed, or is not there.
pub(crate) fn passed(text: &str, check: &str) -> Option<bool> {
    line(text, check).map(|l| l.starts_with('✓'))
}

/// `text` as a terminal shows it: ANSI sequences removed.
pub(crate) fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}
