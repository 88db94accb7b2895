//! A step in the script, with the executor's semantics: a probe runs and its
//! expectation is checked; a change is skipped when its work is done, its condition
//! checked, asked first, run (every side of a pipeline checked) and checked after; what
//! puts it back is kept until a step that cannot be put back succeeds.

use crate::command::{render, Shell, Word};
use crate::plan::{Action, Applicability, Step};

use super::checks::{held, read_then_stop, require, run};
use super::sh_quote;

/// The name of the function that puts step `number` back.
pub(super) fn undo_function(number: usize) -> String {
    format!("undo_{number}")
}

/// The functions that put steps back, defined before anything runs.
pub(super) fn undo_functions(steps: &[Step], out: &mut Vec<String>) {
    for (i, step) in steps.iter().enumerate() {
        if let Some(Action::Argv(undo)) = &step.undo {
            let command = render(undo, Shell::Posix).unwrap_or_default();
            out.push(format!(
                "{}() {{\n  echo {} >&2\n  {command}\n}}",
                undo_function(i + 1),
                sh_quote(&format!("putting back step {}: {}", i + 1, step.purpose))
            ));
        }
    }
}

/// The step's action, run and checked: a failing command, or any failing side of a
/// pipeline, stops the script (status 4) naming it.
fn action(number: usize, step: &Step, out: &mut Vec<String>) {
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

/// A probe: run once, its output shown; its expectation, when it has one, must hold.
fn probe(number: usize, step: &Step, out: &mut Vec<String>) {
    match (&step.post, &step.action) {
        (Some(post), _) if step.expects_own_output() => {
            out.push(run(post));
            out.push("printf '%s\\n' \"$out\"; cat \"$errs\" >&2".to_owned());
            out.push(format!("if ! {}; then", held(post)));
            let mut body = Vec::new();
            read_then_stop(post, 3, &format!("step {number} ({}) did not show", step.purpose), &mut body);
            out.extend(body.into_iter().map(|l| format!("  {l}")));
            out.push("fi".to_owned());
        }
        (_, Action::Argv(argv)) => {
            // A probe shown for a person: its failure is news, not a stop.
            let command = render(argv, Shell::Posix).unwrap_or_default();
            out.push(format!("{command} || echo {} >&2", sh_quote(&format!("step {number} failed (shown only)"))));
        }
        _ => {}
    }
}

/// A step that changes state.
fn change(number: usize, step: &Step, out: &mut Vec<String>) {
    let mut body = Vec::new();
    if let Some(pre) = &step.pre {
        require(pre, 3, &format!("before step {number} ({}), this did not hold", step.purpose), &mut body);
    }
    let question = match step.applicability {
        Applicability::Destructive => format!("{} (destructive)", step.purpose),
        _ => step.purpose.clone(),
    };
    let ask = if step.in_person.is_some() { "ask" } else { "confirm" };
    if step.applicability == Applicability::Destructive {
        if let Action::Argv(argv) = &step.action {
            // The command it will run, its values filled, before it runs.
            let words = render(argv, Shell::Posix).unwrap_or_default();
            body.push(format!("printf 'will run:' >&2; printf ' %s' {words} >&2; echo >&2"));
        }
    }
    body.push(format!("{ask} {} || stop 5 {}", sh_quote(&question), sh_quote(&format!("step {number} was not confirmed"))));
    action(number, step, &mut body);
    // Done: what puts it back is kept; a change that cannot be put back ends what can.
    body.push(match &step.undo {
        Some(_) => format!("undo_list=\"{} $undo_list\"", undo_function(number)),
        None => "undo_list=".to_owned(),
    });
    if let Some(post) = &step.post {
        require(post, 4, &format!("after step {number} ({}), this did not hold", step.purpose), &mut body);
    }
    match &step.skip_if {
        Some(skip) => {
            let done = sh_quote(&format!("step {number} already done, skipped: {}", step.purpose));
            out.push(run(skip));
            out.push(format!("if {}; then\n  echo {done} >&2\nelse", held(skip)));
            out.extend(body.into_iter().map(|l| format!("  {l}")));
            out.push("fi".to_owned());
        }
        None => out.extend(body),
    }
}

/// One step's lines.
pub(super) fn step(number: usize, step: &Step, out: &mut Vec<String>) {
    match step.applicability {
        Applicability::Probe => probe(number, step, out),
        // The preflight has stopped the script before a manual step could be reached.
        Applicability::Manual => out.push(format!("stop 5 {}", sh_quote(&format!("step {number} is yours to do: {}", step.purpose)))),
        _ => change(number, step, out),
    }
}
