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

/// The functions that put steps back, defined before anything runs. A step begun is
/// put back even when it failed or was cut short (a service stop goes on after its
/// client is killed); its condition, when it has one, says whether there is anything to
/// put back and whether that is safe.
pub(super) fn undo_functions(steps: &[Step], out: &mut Vec<String>) {
    for (i, step) in steps.iter().enumerate() {
        let Some(Action::Argv(undo)) = &step.undo else { continue };
        let number = i + 1;
        let command = render(undo, Shell::Posix).unwrap_or_default();
        let mut body = vec![format!("echo {} >&2", sh_quote(&format!("putting back step {number}: {}", step.purpose)))];
        if let Some(needed) = &step.undo_if {
            body.push(run(needed));
            body.push(format!("if ! {}; then", held(needed)));
            body.push(format!("  echo {} >&2", sh_quote(&format!("step {number} left nothing to put back"))));
            body.push("  return 0".to_owned());
            body.push("fi".to_owned());
        }
        if let Some(safe) = &step.undo_safe {
            let cannot = format!("cannot put back step {number} safely ({} does not hold): it is as this run left it", safe.expect);
            body.push(run(safe));
            body.push(format!("if ! {}; then", held(safe)));
            body.push(format!("  echo {} >&2", sh_quote(&cannot)));
            body.push("  return 1".to_owned());
            body.push("fi".to_owned());
        }
        body.push(command);
        let body: Vec<String> = body.iter().map(|line| format!("  {line}")).collect();
        out.push(format!("{}() {{\n{}\n}}", undo_function(number), body.join("\n")));
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
    // A step only a person may allow was asked before the first change.
    let ask = if step.in_person.is_some() { format!("[ -n \"${{allowed_{number}:-}}\" ] || ask") } else { "confirm".to_owned() };
    if step.applicability == Applicability::Destructive {
        if let Action::Argv(argv) = &step.action {
            // The command it will run, its values filled, before it runs.
            let words = render(argv, Shell::Posix).unwrap_or_default();
            body.push(format!("printf 'will run:' >&2; printf ' %s' {words} >&2; echo >&2"));
        }
    }
    body.push(format!("{ask} {} || stop 5 {}", sh_quote(&question), sh_quote(&format!("step {number} was not confirmed"))));
    // Begun, it is put back if the run ends early; done, a change that cannot be put
    // back ends what can.
    if step.undo.is_some() {
        body.push(format!("undo_list=\"{} $undo_list\"", undo_function(number)));
    }
    action(number, step, &mut body);
    if step.undo.is_none() {
        body.push("undo_list=".to_owned());
    }
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
