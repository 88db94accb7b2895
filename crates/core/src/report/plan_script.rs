//! The plan as a POSIX shell script: probes run, changes ask first, conditions are
//! checked (a step whose work is done is skipped; one whose condition fails stops the
//! script), manual steps and alternatives are comments.

use std::fmt::Write as _;

use crate::command::{render, Shell, Word};
use crate::model::Diagnosis;
use crate::plan::{Applicability, Check, Holds, Plan, Step};
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

/// A check as a quiet shell condition: it succeeds, or one line of its output is the
/// expected one.
fn sh_condition(check: &Check) -> String {
    let command = render(&check.argv, Shell::Posix).unwrap_or_default();
    match &check.holds {
        Holds::PrintsLine { line } => format!("{command} 2>/dev/null | grep -Fqx -- {}", sh_quote(line)),
        _ => format!("{command} >/dev/null 2>&1"),
    }
}

/// A check that must hold, or the script stops saying which.
fn sh_require(check: &Check, when: &str, purpose: &str) -> String {
    let message = format!("stopped: {when} `{purpose}`, this did not hold: {}", check.expect.replace('\n', " "));
    format!("if ! {}; then echo {} >&2; exit 1; fi", sh_condition(check), sh_quote(&message))
}

/// A step that runs: asked first when it changes state, skipped when its work is done,
/// its pre- and post-conditions checked.
fn sh_run(step: &Step, command: &str, out: &mut String) {
    let mut body = Vec::new();
    if let Some(pre) = &step.pre {
        body.push(sh_require(pre, "before", &step.purpose));
    }
    body.push(command.to_owned());
    if let Some(post) = &step.post {
        body.push(sh_require(post, "after", &step.purpose));
    }
    let ask = matches!(step.applicability, Applicability::Confirm | Applicability::Destructive).then(|| {
        let question =
            if step.applicability == Applicability::Destructive { format!("{} (destructive)", step.purpose) } else { step.purpose.clone() };
        format!("confirm {}", sh_quote(&question))
    });
    let opening = match (&step.skip_if, &ask) {
        (Some(skip), _) => {
            let done = sh_quote(&format!("already done, skipped: {}", step.purpose));
            let rest = ask.as_ref().map_or_else(|| "else".to_owned(), |ask| format!("elif {ask}; then"));
            Some(format!("if {}; then\n  echo {done} >&2\n{rest}", sh_condition(skip)))
        }
        (None, Some(ask)) => Some(format!("if {ask}; then")),
        (None, None) => None,
    };
    match opening {
        Some(opening) => {
            let _ = writeln!(out, "{opening}");
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

fn sh_steps(steps: &[Step], prefix: &str, out: &mut String) {
    for (i, step) in steps.iter().enumerate() {
        out.push('\n');
        comment(&format!("{prefix}{}. [{}] {}", i + 1, step.applicability.as_str(), step.purpose), out);
        if let Some(note) = &step.note {
            comment(note, out);
        }
        let Some(command) = posix(&step.action) else { continue };
        if step.applicability == Applicability::Manual {
            comment("not run: fill in the placeholders, or do it by hand", out);
            comment(&command, out);
        } else {
            sh_run(step, &command, out);
        }
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
    out.push_str(
        "set -eu\n\n# Asks on the terminal; anything but yes skips the step.\nconfirm() {\n  printf '%s [y/N] ' \"$1\" >&2\n  answer=\n  read -r answer </dev/tty || answer=\n  case \"$answer\" in\n    y | Y | yes | YES) return 0 ;;\n    *) echo 'skipped' >&2; return 1 ;;\n  esac\n}\n",
    );
    sh_steps(&plan.steps, "", &mut out);
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
