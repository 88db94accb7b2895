//! Every example in `README.md` and `docs/*.md` is the binary's own output, or checked
//! against it. What a fenced block holds, or the comment before it, says how:
//!
//! * `<!-- output: COMMAND -->`: COMMAND runs under `sh` in the workspace, with
//!   `COLUMNS=80`, `NO_COLOR=1` and the built `sandbox-triage` first on `PATH`; its
//!   stdout and stderr, as one stream, are the block byte for byte (the final newline
//!   aside).
//! * `<!-- json: COMMAND -->`: the block is COMMAND's JSON, pretty-printed; compared as
//!   JSON, every field and value.
//! * A block whose first line starts with `$ ` is a transcript: each `$ ` line (and the
//!   lines its trailing `\` continues onto) runs as above, and the lines up to the next
//!   `$ ` are its output. `$ echo $?` shows the status of the command before it.
//! * `<!-- keys: COMMAND -->`: the block is the shape of COMMAND's JSON, abbreviated;
//!   every key it names is a key of that JSON (where in it is not checked).
//! * `<!-- file: PATH -->`: the block is the workspace's file PATH, as it is.
//! * `<!-- synopsis -->`: every `--option` a line names is one that its command's
//!   `--help` lists (the options it leaves out are not checked).
//! * `<!-- paths -->`: every path a line starts with exists in the workspace.
//! * ```` ```sh ````: every command line that runs `sandbox-triage` (or `cargo run … --`)
//!   is run with its own arguments only (no pipe, no redirection), in an empty directory
//!   with an empty `HOME` and only `sandbox-triage` on `PATH`, so nothing it would start
//!   can start (`run -- openshell …` exits 127) and no file it names exists. Checked:
//!   clap accepts the line (no usage error). Not checked: what the command then does.
//!
//! Any other fenced block fails the test, so nothing is shown unchecked. Tables and prose
//! are not checked. `SANDBOX_TRIAGE_UPDATE_DOCS=1 cargo test -p sandbox-triage --test it
//! readme` rewrites the output, JSON, transcript and file blocks instead of failing.

mod markdown;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use markdown::{diff, pretty_json, Block};

use crate::common::{workspace, BIN};

/// The variable that has the test rewrite stale blocks instead of failing.
const UPDATE: &str = "SANDBOX_TRIAGE_UPDATE_DOCS";

/// The documents whose examples are checked: the README and every page under `docs/`.
fn documents() -> Vec<PathBuf> {
    let mut files = vec![workspace().join("README.md")];
    let mut docs: Vec<PathBuf> = fs::read_dir(workspace().join("docs"))
        .map(|dir| dir.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "md")).collect())
        .unwrap_or_default();
    docs.sort();
    files.extend(docs);
    files
}

#[test]
fn every_example_in_the_readme_and_docs_is_current() {
    let sandbox = Sandbox::new();
    let mut failures = Vec::new();
    for path in documents() {
        let text = fs::read_to_string(&path).expect("a document");
        let name = path.strip_prefix(workspace()).unwrap_or(&path).display().to_string();
        let mut updates = Vec::new();
        for block in markdown::blocks(&text) {
            if let Err(failure) = check(&block, &sandbox, &mut updates) {
                failures.push(format!("{name}:{}: {failure}", block.line));
            }
        }
        if !updates.is_empty() {
            fs::write(&path, markdown::replaced(&text, updates)).expect("the updated document");
        }
    }
    let hint = format!("regenerate the blocks from the binary: {UPDATE}=1 cargo test -p sandbox-triage --test it readme");
    assert!(failures.is_empty(), "{}\n\n{hint}", failures.join("\n\n"));
}

/// Checks one block; a stale generated block is rewritten (into `updates`) when asked.
fn check(block: &Block, sandbox: &Sandbox, updates: &mut Vec<(std::ops::Range<usize>, String)>) -> Result<(), String> {
    let fresh = match (block.directive.as_deref(), block.directive_argument.as_deref()) {
        (Some("output"), Some(command)) => sandbox.shell(command, true).0,
        (Some("json"), Some(command)) => json(block, &sandbox.shell(command, false).0)?,
        (Some("keys"), Some(command)) => return keys(block, &sandbox.shell(command, false).0),
        (Some("file"), Some(path)) => fs::read_to_string(workspace().join(path)).map_err(|e| format!("{path}: {e}"))?,
        (Some("synopsis"), None) => return synopsis(block),
        (Some("paths"), None) => return paths(block),
        (Some(other), _) => return Err(format!("unknown directive <!-- {other} -->")),
        (None, _) if block.text.starts_with("$ ") => transcript(block, sandbox),
        (None, _) if block.lang == "sh" => return sandbox.parses(&block.text),
        (None, _) => return Err("a block no test checks: precede it with <!-- output: … --> or another directive".into()),
    };
    match same(block, &fresh) {
        Err(_) if std::env::var_os(UPDATE).is_some() => {
            updates.push((block.range.clone(), fresh.trim_end_matches('\n').to_owned() + "\n"));
            Ok(())
        }
        result => result,
    }
}

/// The block is `fresh`, its final newline aside; else a diff.
fn same(block: &Block, fresh: &str) -> Result<(), String> {
    let (shown, fresh) = (block.text.trim_end_matches('\n'), fresh.trim_end_matches('\n'));
    if shown == fresh {
        return Ok(());
    }
    Err(format!("the block is out of date (- what it shows, + what it should):\n{}", diff(shown, fresh)))
}

/// The JSON a command printed, laid out as the block should show it; the block's own
/// text when it holds the same values.
fn json(block: &Block, printed: &str) -> Result<String, String> {
    let actual: serde_json::Value = serde_json::from_str(printed).map_err(|e| format!("the command printed no JSON ({e}): {printed}"))?;
    let shown: Option<serde_json::Value> = serde_json::from_str(&block.text).ok();
    Ok(if shown.as_ref() == Some(&actual) { block.text.clone() } else { pretty_json(printed.trim()) })
}

/// Every key a JSON shape names (a quoted word not after a `:`) is a key somewhere in the
/// JSON a command prints (a JSON Schema's keys include its property names).
fn keys(block: &Block, printed: &str) -> Result<(), String> {
    fn collect(value: &serde_json::Value, keys: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => map.iter().for_each(|(key, value)| {
                keys.push(key.clone());
                collect(value, keys);
            }),
            serde_json::Value::Array(items) => items.iter().for_each(|item| collect(item, keys)),
            _ => {}
        }
    }
    let value: serde_json::Value = serde_json::from_str(printed).map_err(|e| format!("the command printed no JSON ({e}): {printed}"))?;
    let mut known = Vec::new();
    collect(&value, &mut known);
    let unknown: Vec<String> = markdown::named_keys(&block.text).into_iter().filter(|k| !known.contains(k)).collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(format!("the JSON has no fields {unknown:?}"))
    }
}

/// A transcript, each command's output replaced by what it prints now.
fn transcript(block: &Block, sandbox: &Sandbox) -> String {
    let mut out = String::new();
    let mut status = 0;
    for (command, _) in markdown::transcript(&block.text) {
        out.push_str("$ ");
        out.push_str(&command);
        out.push('\n');
        let printed = if command == "echo $?" {
            format!("{status}\n")
        } else {
            let (printed, code) = sandbox.shell(&command, true);
            status = code;
            printed
        };
        out.push_str(&printed);
        if !printed.is_empty() && !printed.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Every `--option` in a synopsis is one its command's `--help` lists.
fn synopsis(block: &Block) -> Result<(), String> {
    let (mut command, mut help) = (String::new(), String::new());
    for line in block.text.lines() {
        if let Some(rest) = line.strip_prefix("sandbox-triage ") {
            rest.split_whitespace().next().unwrap_or_default().clone_into(&mut command);
            help = String::from_utf8_lossy(&run_binary(&[command.as_str(), "--help"], &workspace(), &[]).stdout).into_owned();
        }
        for option in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).filter(|w| w.starts_with("--") && w.len() > 2) {
            if !help.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).any(|w| w == option) {
                return Err(format!("`sandbox-triage {command}` has no {option}: {line:?}"));
            }
        }
    }
    Ok(())
}

/// Every path a line of a layout starts with exists: at the margin, from the workspace;
/// indented by two, under the last one at the margin. `*` stands for any one directory.
fn paths(block: &Block) -> Result<(), String> {
    let mut parent = String::new();
    for line in block.text.lines() {
        let indent = line.len() - line.trim_start().len();
        let Some(first) = line.split_whitespace().next() else { continue };
        let path = match indent {
            0 => {
                first.clone_into(&mut parent);
                first.to_owned()
            }
            2 => format!("{parent}{first}"),
            _ => continue,
        };
        let (before, after) = path.split_once('*').unwrap_or((&path, ""));
        let found = if path.contains('*') {
            fs::read_dir(workspace().join(before))
                .is_ok_and(|dir| dir.flatten().any(|e| e.path().join(after.trim_start_matches('/')).exists()))
        } else {
            workspace().join(&path).exists()
        };
        if !found {
            return Err(format!("no such path in the workspace: {path}"));
        }
    }
    Ok(())
}

/// Where commands run: a directory with `sandbox-triage` alone in `bin/`, and an empty
/// one to be `HOME` and the working directory of the commands that are only parsed.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("a temporary directory");
        fs::create_dir_all(dir.path().join("bin")).expect("bin/");
        fs::create_dir_all(dir.path().join("home")).expect("home/");
        std::os::unix::fs::symlink(BIN, dir.path().join("bin/sandbox-triage")).expect("sandbox-triage on PATH");
        Sandbox { dir }
    }

    /// A command line run under `sh` in the workspace: what it prints (stdout, and stderr
    /// too when `merged`, as one stream), and its status.
    fn shell(&self, command: &str, merged: bool) -> (String, i32) {
        let path = format!("{}:{}", self.dir.path().join("bin").display(), std::env::var("PATH").unwrap_or_default());
        let script = if merged { format!("exec 2>&1\n{command}") } else { command.to_owned() };
        let out = spawn(Command::new("sh").arg("-c").arg(script).current_dir(workspace()).env("PATH", path));
        (String::from_utf8_lossy(&out.stdout).into_owned(), out.status.code().unwrap_or(-1))
    }

    /// Each command line of a shell block that runs `sandbox-triage` is one clap accepts.
    fn parses(&self, text: &str) -> Result<(), String> {
        let home = self.dir.path().join("home");
        for line in markdown::command_lines(text) {
            let words = shell_words::split(&line).map_err(|e| format!("{line:?} does not parse as shell words: {e}"))?;
            let Some(args) = markdown::binary_arguments(&words) else { continue };
            let args: Vec<String> =
                args.iter().map(|a| a.strip_prefix("~/").map_or_else(|| a.clone(), |rest| format!("{}/{rest}", home.display()))).collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let bin = self.dir.path().join("bin");
            let out = run_binary(&args, &home, &[("HOME", home.as_os_str()), ("PATH", bin.as_os_str())]);
            let errors = String::from_utf8_lossy(&out.stderr);
            if out.status.code() == Some(2) && (errors.starts_with("error:") || errors.contains("\nUsage:")) {
                return Err(format!("{line:?} is not a valid command line:\n{errors}"));
            }
        }
        Ok(())
    }
}

/// Runs the binary with the documents' settings, in `dir`, stdin empty.
fn run_binary(args: &[&str], dir: &Path, env: &[(&str, &std::ffi::OsStr)]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args.iter().filter(|a| !a.is_empty())).current_dir(dir);
    for (key, value) in env {
        command.env(key, value);
    }
    spawn(&mut command)
}

/// Runs a command as the documents show it (80 columns, no colour, nothing inherited that
/// changes an answer), and kills it after a minute: a hang fails the test, not stalls it.
fn spawn(command: &mut Command) -> Output {
    command.env("COLUMNS", "80").env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE").env_remove("NEMOCLAW_INVOKED_AS");
    for (key, _) in std::env::vars_os().filter(|(k, _)| k.to_string_lossy().starts_with("SANDBOX_TRIAGE_")) {
        command.env_remove(key);
    }
    let child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).expect("a process id"));
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || send.send(child.wait_with_output()));
    let output = receive.recv_timeout(Duration::from_secs(60)).or_else(|_| {
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
        receive.recv()
    });
    output.expect("the command's end").expect("its output")
}
