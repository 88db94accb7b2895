//! The plan as a POSIX shell script with the executor's semantics: probes run and their
//! expectations are checked; a step whose work is done is skipped; a condition that
//! does not hold stops the script; every side of a pipeline is checked; changes ask
//! first (the default answer is no); a placeholder that is not set stops the script
//! naming it; manual steps stop it with the advice. Exit statuses are `recover`'s: 3 a
//! probe or pre-condition did not hold, 4 a step (or the check after it) failed, 5
//! stopped for a person.

use std::fmt::Write as _;

use crate::command::{render, Shell, Word};
use crate::model::Diagnosis;
use crate::plan::{Action, Applicability, Check, Holds, Plan, Step};
use crate::report::json::posix;

/// Every line of `text` as a shell comment: a newline inside a quoted word must not
/// end the comment and run the rest.
fn comment(text: &str, out: &mut String) {
    for line in text.split('\n') {
        let _ = writeln!(out, "# {line}");
    }
}

fn sh_quote(text: &str) -> String {
    render(&[Word::lit("x"), Word::lit(text)], Shell::Posix).map_or_else(|_| "''".to_owned(), |s| s[2..].to_owned())
}

/// The functions the steps use.
const PRELUDE: &str = r#"set -u
# The script's own output, for the last command of a pipeline (fd 1 carries statuses).
exec 3>&1

# --yes answers yes to every confirmation; --allow-destructive lets destructive steps run.
assume_yes=
allow_destructive=
for arg in "$@"; do
  case "$arg" in
    -y | --yes) assume_yes=1 ;;
    --allow-destructive) allow_destructive=1 ;;
    *) echo "usage: $0 [--yes] [--allow-destructive]" >&2; exit 2 ;;
  esac
done

# Asks on the terminal; only yes goes on. No terminal is a no.
confirm() {
  [ -n "$assume_yes" ] && return 0
  printf '%s [y/N] ' "$1" >&2
  answer=
  read -r answer </dev/tty 2>/dev/null || answer=
  case "$answer" in
    y | Y | yes | YES) return 0 ;;
    *) return 1 ;;
  esac
}

# Stops the script: a message on stderr and an exit status.
stop() {
  echo "stopped: $2" >&2
  exit "$1"
}

# Whether standard input has a line exactly "$1".
has_line() {
  grep -Fqx -- "$1"
}

# Whether standard input has a row whose first column is "$1" and last is "$2".
has_row() {
  awk -v first="$1" -v last="$2" '$1 == first && $NF == last { found = 1 } END { exit !found }'
}
"#;

/// A check as a quiet shell condition.
fn sh_condition(check: &Check) -> String {
    let command = render(&check.argv, Shell::Posix).unwrap_or_default();
    match &check.holds {
        Holds::PrintsLine { line } => format!("{command} 2>/dev/null | has_line {}", sh_quote(line)),
        Holds::PrintsRow { first, last } => format!("{command} 2>/dev/null | has_row {} {}", sh_quote(first), sh_quote(last)),
        _ => format!("{command} >/dev/null 2>&1"),
    }
}

/// A check that must hold, or the script stops with `status` saying which.
fn sh_require(check: &Check, status: u8, message: &str) -> String {
    format!("{} || stop {status} {}", sh_condition(check), sh_quote(&format!("{message}: {}", check.expect.replace('\n', " "))))
}

/// The step's action, run and checked: a failing command, or any failing side of a
/// pipeline, stops the script (status 4) naming it.
fn sh_action(number: usize, step: &Step, out: &mut Vec<String>) {
    match &step.action {
        Action::Argv(argv) => {
            let command = render(argv, Shell::Posix).unwrap_or_default();
            let message = sh_quote(&format!("step {number} failed: {}", step.purpose));
            out.push(format!("{command} || stop 4 {message}"));
        }
        Action::Pipeline(commands) => {
            // POSIX sh has no pipefail: each side reports its own status on fd 4, which
            // the commands themselves do not inherit.
            let sides: Vec<String> = commands
                .iter()
                .enumerate()
                .map(|(i, argv)| {
                    let command = render(argv, Shell::Posix).unwrap_or_default();
                    let name = argv.first().map(Word::display).unwrap_or_default();
                    let said = sh_quote(&format!("{} ({name}) exited ", i + 1));
                    format!("{{ {command} 3>&- 4>&-; echo {said}\"$?\" >&4; }}")
                })
                .collect();
            out.push(format!("statuses=$( {{ {}; }} 4>&1 1>&3 )", sides.join(" |\n    ")));
            let message = sh_quote(&format!("step {number} failed: {}: pipeline command ", step.purpose));
            out.push("failed=$(printf '%s\\n' \"$statuses\" | grep -v ' exited 0$')".to_owned());
            out.push(format!("[ -z \"$failed\" ] || stop 4 {message}\"$failed\""));
        }
        Action::Nothing => {}
    }
}

/// A step that runs: placeholders checked, skipped when its work is done, asked first
/// when it changes state, its pre- and post-conditions checked.
fn sh_run(number: usize, step: &Step, out: &mut String) {
    let mut body = Vec::new();
    for name in step.placeholders() {
        let message = sh_quote(&format!("step {number} needs {name} set (see the top of this script)"));
        body.push(format!("[ -n \"${{{name}:-}}\" ] || stop 5 {message}"));
    }
    if let Some(pre) = &step.pre {
        body.push(sh_require(pre, 3, &format!("before step {number} ({})", step.purpose)));
    }
    if step.applicability == Applicability::Destructive {
        let message = sh_quote(&format!("step {number} is destructive: run with --allow-destructive to let it run"));
        body.push(format!("[ -n \"$allow_destructive\" ] || stop 5 {message}"));
    }
    if step.applicability != Applicability::Probe {
        let question = match step.applicability {
            Applicability::Destructive => format!("{} (destructive)", step.purpose),
            _ => step.purpose.clone(),
        };
        body.push(format!("confirm {} || stop 5 {}", sh_quote(&question), sh_quote(&format!("step {number} was not confirmed"))));
    }
    match &step.post {
        Some(post) if step.expects_own_output() => {
            // A probe with an expectation: shown, then checked.
            let command = render(&post.argv, Shell::Posix).unwrap_or_default();
            let message = format!("step {number} ({}) did not show {}", step.purpose, post.expect.replace('\n', " "));
            body.push(format!("{command} || stop 3 {}", sh_quote(&format!("step {number} failed: {}", step.purpose))));
            body.push(format!("{} || stop 3 {}", sh_condition(post), sh_quote(&message)));
        }
        Some(post) => {
            sh_action(number, step, &mut body);
            body.push(sh_require(post, 4, &format!("after step {number} ({})", step.purpose)));
        }
        None if step.applicability == Applicability::Probe => {
            // A probe shown for a person: its failure is news, not a stop.
            let command = posix(&step.action).unwrap_or_default();
            body.push(format!("{command} || echo {} >&2", sh_quote(&format!("step {number} failed (shown only)"))));
        }
        None => sh_action(number, step, &mut body),
    }
    match &step.skip_if {
        Some(skip) => {
            let done = sh_quote(&format!("step {number} already done, skipped: {}", step.purpose));
            let _ = writeln!(out, "if {}; then\n  echo {done} >&2\nelse", sh_condition(skip));
            for line in body {
                let _ = writeln!(out, "  {line}");
            }
            let _ = writeln!(out, "fi");
        }
        None => {
            for line in body {
                let _ = writeln!(out, "{line}");
            }
        }
    }
}

fn sh_steps(steps: &[Step], out: &mut String) {
    for (i, step) in steps.iter().enumerate() {
        out.push('\n');
        let risk = step.applicability.as_str();
        comment(&format!("{}. [{risk}] {}", i + 1, step.purpose), out);
        if let Some(note) = &step.note {
            comment(note, out);
        }
        if step.applicability == Applicability::Manual {
            if let Some(command) = posix(&step.action) {
                comment(&command, out);
            }
            let message = sh_quote(&format!("step {} is yours to do: {}", i + 1, step.purpose));
            let _ = writeln!(out, "stop 5 {message}");
            // Nothing after a step only a person can do runs.
            return;
        }
        sh_run(i + 1, step, out);
    }
}

/// The plan as a POSIX shell script.
#[must_use]
pub fn plan_script(diagnosis: &Diagnosis, plan: &Plan) -> String {
    let mut out = String::from("#!/bin/sh\n");
    comment(&format!("sandbox-triage recovery plan: {}", diagnosis.kind), &mut out);
    comment(&plan.headline, &mut out);
    for note in &plan.notes {
        comment(note, &mut out);
    }
    for p in plan.placeholders.list() {
        comment(&format!("set {}: {}", p.name, p.reason), &mut out);
    }
    comment("usage: sh THIS-FILE [--yes] [--allow-destructive]", &mut out);
    comment("exit status: 0 done, 3 a probe or condition did not hold, 4 a step failed, 5 stopped for you", &mut out);
    out.push_str(PRELUDE);
    sh_steps(&plan.steps, &mut out);
    out.push_str("\necho 'recovered' >&2\n");
    for alternative in &plan.alternatives {
        out.push('\n');
        comment(&format!("alternative, not run: {}", alternative.title), &mut out);
        for condition in &alternative.conditions {
            comment(&format!("only if: {condition}"), &mut out);
        }
        for (i, step) in alternative.steps.iter().enumerate() {
            comment(&format!("{}. [{}] {}", char::from(b'a' + (i % 26) as u8), step.applicability.as_str(), step.purpose), &mut out);
            if let Some(command) = posix(&step.action) {
                comment(&command, &mut out);
            }
        }
    }
    out
}
