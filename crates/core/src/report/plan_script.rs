//! The plan as a POSIX shell script: probes run, changes ask first, manual steps and
//! alternatives are comments.

use std::fmt::Write as _;

use crate::command::{render, Shell, Word};
use crate::model::Diagnosis;
use crate::plan::{Applicability, Check, Plan, Step};
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

/// A probe run before or after a step, its expectation as a comment.
fn sh_check(check: &Check, redirect: &str, out: &mut String) {
    let _ = writeln!(
        out,
        "  {}{redirect}  # expect: {}",
        render(&check.argv, Shell::Posix).unwrap_or_default(),
        check.expect.replace('\n', " ")
    );
}

fn sh_steps(steps: &[Step], prefix: &str, out: &mut String) {
    for (i, step) in steps.iter().enumerate() {
        out.push('\n');
        comment(&format!("{prefix}{}. [{}] {}", i + 1, step.applicability.as_str(), step.purpose), out);
        if let Some(note) = &step.note {
            comment(note, out);
        }
        let Some(command) = posix(&step.action) else { continue };
        match step.applicability {
            Applicability::Manual => {
                comment("not run: fill in the placeholders, or do it by hand", out);
                comment(&command, out);
            }
            Applicability::Probe | Applicability::Safe => {
                let _ = writeln!(out, "{command}");
            }
            Applicability::Confirm | Applicability::Destructive => {
                let question = if step.applicability == Applicability::Destructive {
                    format!("{} (destructive)", step.purpose)
                } else {
                    step.purpose.clone()
                };
                let _ = writeln!(out, "if confirm {}; then", sh_quote(&question));
                if let Some(pre) = &step.pre {
                    sh_check(pre, " >&2", out);
                }
                let _ = writeln!(out, "  {command}");
                if let Some(post) = &step.post {
                    sh_check(post, "", out);
                }
                let _ = writeln!(out, "fi");
            }
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
