//! The plan as a POSIX shell script with the executor's semantics and statuses: first
//! every stop it can know before its first change (values, permissions, manual steps,
//! a yes nobody can give), all said at once, and nothing changed; then the steps. A
//! probe runs and its expectation is checked; a step whose work is done is skipped; a
//! condition that does not hold stops the script; every side of a pipeline is checked;
//! changes ask first (the default answer is no); a check that fails is read (the
//! machine's state and the next command); a stop puts back what the steps before it
//! changed. A plan of choices has its probes run, up to the first choice. Exit
//! statuses are `recover`'s: 0 recovered, 3 a probe or pre-condition did not hold, 4 a
//! step (or the check after it) failed, 5 stopped for a person, 130 interrupted.

mod checks;
mod preflight;
mod prelude;
mod steps;

use std::fmt::Write as _;

use crate::command::{render, variable, Shell, Word};
use crate::model::Diagnosis;
use crate::plan::{Applicability, Plan};
use crate::report::json::posix;

/// Every line of `text` as a shell comment: a newline inside a quoted word must not
/// end the comment and run the rest.
fn comment(text: &str, out: &mut String) {
    for line in text.split('\n') {
        let _ = writeln!(out, "# {line}");
    }
}

/// A string for the shell, quoted.
fn sh_quote(text: &str) -> String {
    sh_word(&Word::lit(text))
}

/// One word as the shell should read it: quoted, a placeholder read from its variable.
fn sh_word(word: &Word) -> String {
    render(&[Word::lit("x"), word.clone()], Shell::Posix).map_or_else(|_| "''".to_owned(), |s| s[2..].to_owned())
}

fn header(diagnosis: &Diagnosis, plan: &Plan, out: &mut String) {
    out.push_str("#!/bin/sh\n");
    comment(&format!("sandbox-triage recovery plan: {}", diagnosis.kind_id()), out);
    comment(&plan.headline, out);
    for note in &plan.notes {
        comment(note, out);
    }
    for p in plan.placeholders.list() {
        let carried =
            if p.carried.is_some() { " (the create's own argv has it: `sandbox-triage recover … -- <its command>` uses it)" } else { "" };
        comment(&format!("set {}: {}{carried}", variable(&p.name), p.reason), out);
    }
    comment("usage: sh THIS-FILE [--yes] [--allow-destructive]", out);
    comment(
        "exit status: 0 recovered, 3 a probe or condition did not hold, 4 a step failed, 5 stopped for you, 130 interrupted \
         (3, 4, 5 and 130 put back what the run changed first)",
        out,
    );
    out.push_str(prelude::PRELUDE);
}

/// An answer a user's rules took part in ([`Plan::for_a_person_only`]): every step a
/// comment, then a stop, whatever the plan holds.
fn for_a_person(plan: &Plan, why: &str, out: &mut String) {
    for (i, step) in plan.steps.iter().enumerate() {
        out.push('\n');
        comment(&format!("{}. [{}] {}", i + 1, step.applicability.as_str(), step.purpose), out);
        if let Some(command) = posix(&step.action) {
            comment(&command, out);
        }
    }
    let _ = writeln!(out, "stop 5 {}", sh_quote(&format!("{why}, and this script runs nothing for it")));
}

/// The steps of a plan of choices: its probes, up to the first choice.
fn choices(plan: &Plan, out: &mut String) {
    for (i, step) in plan.steps.iter().enumerate() {
        out.push('\n');
        comment(&format!("{}. [{}] {}", i + 1, step.applicability.as_str(), step.purpose), out);
        if step.applicability != Applicability::Probe {
            if let Some(command) = posix(&step.action) {
                comment(&command, out);
            }
            let message = format!("from step {} on, this plan is choices for you to make from what the probes show", i + 1);
            let _ = writeln!(out, "stop 5 {}", sh_quote(&message));
            // The choices, for a person to read.
            for (j, rest) in plan.steps.iter().enumerate().skip(i + 1) {
                comment(&format!("{}. [{}] {}", j + 1, rest.applicability.as_str(), rest.purpose), out);
                if let Some(command) = posix(&rest.action) {
                    comment(&command, out);
                }
            }
            return;
        }
        let mut lines = Vec::new();
        steps::step(i + 1, step, &mut lines);
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
    }
}

/// A one-sequence plan: the preflight, what puts steps back, the steps, `recovered`.
fn sequence(plan: &Plan, out: &mut String) {
    let mut lines = Vec::new();
    out.push_str("\n# Before any change: every stop this script can know.\n");
    preflight::preflight(plan, &mut lines);
    steps::undo_functions(&plan.steps, &mut lines);
    for line in lines.drain(..) {
        let _ = writeln!(out, "{line}");
    }
    for (i, step) in plan.steps.iter().enumerate() {
        out.push('\n');
        comment(&format!("{}. [{}] {}", i + 1, step.applicability.as_str(), step.purpose), out);
        if let Some(note) = &step.note {
            comment(note, out);
        }
        steps::step(i + 1, step, &mut lines);
        for line in lines.drain(..) {
            let _ = writeln!(out, "{line}");
        }
    }
    out.push_str("\ntrap - INT TERM HUP\nrm -f \"$errs\"\necho 'recovered' >&2\n");
}

/// The plan as a POSIX shell script.
#[must_use]
pub fn plan_script(diagnosis: &Diagnosis, plan: &Plan) -> String {
    let mut out = String::new();
    header(diagnosis, plan, &mut out);
    if let Some(why) = plan.for_a_person_only() {
        for_a_person(plan, &why, &mut out);
        out.push_str("\ntrap - INT TERM HUP\nrm -f \"$errs\"\n");
    } else if plan.mechanical {
        sequence(plan, &mut out);
    } else {
        choices(plan, &mut out);
        out.push_str("\ntrap - INT TERM HUP\nrm -f \"$errs\"\n");
    }
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
