//! The script's first work: every stop it can know before its first change, all said
//! at once (a value not set or not valid, a destructive step not allowed, a step only a
//! person can do, a yes nobody can give). A script that cannot finish changes nothing.

use crate::command::{variable, Placeholders, ValueKind};
use crate::plan::{reads, Applicability, Plan, Step};

use super::sh_quote;

/// Shell `case` patterns a value of `kind` must not match.
fn invalid_patterns(kind: ValueKind, whole_word: bool) -> Vec<&'static str> {
    let mut patterns = Vec::new();
    if whole_word || kind != ValueKind::Text {
        patterns.push("-*");
    }
    patterns.extend(match kind {
        ValueKind::Name => &["[!A-Za-z0-9]*", "*[!A-Za-z0-9._-]*"][..],
        ValueKind::Image | ValueKind::SshHost => &["*[!A-Za-z0-9@._:/-]*"][..],
        _ => &[][..],
    });
    patterns
}

/// Shell `case` patterns a value of `kind` must match, if any.
fn required_patterns(kind: ValueKind) -> Option<&'static str> {
    match kind {
        ValueKind::EngineAddress => Some("unix://* | tcp://* | ssh://* | npipe://*"),
        ValueKind::Endpoint => Some("https://* | http://*"),
        _ => None,
    }
}

/// The test a value of `kind` must pass on the file system, if any.
fn path_test(kind: ValueKind) -> Option<&'static str> {
    match kind {
        ValueKind::File => Some("-f"),
        ValueKind::Directory => Some("-d"),
        ValueKind::Path => Some("-e"),
        _ => None,
    }
}

fn numbers(steps: &[Step], wanted: impl Fn(&Step) -> bool) -> Vec<usize> {
    steps.iter().enumerate().filter(|(_, s)| wanted(s)).map(|(i, _)| i + 1).collect()
}

fn list(numbers: &[usize]) -> String {
    let words: Vec<String> = numbers.iter().map(ToString::to_string).collect();
    match words.as_slice() {
        [one] => format!("step {one}"),
        _ => format!("steps {}", words.join(", ")),
    }
}

/// Adds `message` to the stops.
fn add(message: &str) -> String {
    format!("stops=\"$stops\n  \"{}", sh_quote(message))
}

/// Each value the steps read: set, and valid for its argument.
fn values(plan: &Plan, placeholders: &Placeholders, out: &mut Vec<String>) {
    for read in reads(&plan.steps) {
        let Some(placeholder) = placeholders.get(&read.name) else { continue };
        let var = variable(&read.name);
        let readers = list(&numbers(&plan.steps, |s| reads(std::slice::from_ref(s)).iter().any(|r| r.name == read.name)));
        if placeholder.carried.is_some() {
            // The create's own value, whatever it is (empty too): set it as it was.
            let message = format!("{readers} need {var} set to the create's own value ({}; `sandbox-triage recover … -- <the create's command>` takes it from the command)", placeholder.reason);
            out.push(format!("[ -n \"${{{var}+set}}\" ] || {}", add(&message)));
            continue;
        }
        out.push(format!("value=${{{var}:-}}"));
        out.push("if [ -z \"$value\" ]; then".to_owned());
        out.push(format!("  {}", add(&format!("{readers} need {var} set: {}", placeholder.reason))));
        let patterns = invalid_patterns(placeholder.kind, read.whole_word);
        let bad = format!("{var} is not a valid {}", placeholder.kind.as_str().replace('-', " "));
        if let Some(test) = path_test(placeholder.kind) {
            out.push(format!("elif [ ! {test} \"$value\" ]; then"));
            out.push(format!("  {}", add(&bad)));
        }
        if !patterns.is_empty() || required_patterns(placeholder.kind).is_some() {
            out.push("else".to_owned());
            if !patterns.is_empty() {
                out.push(format!("  case $value in {}) {} ;; esac", patterns.join(" | "), add(&bad)));
            }
            if let Some(required) = required_patterns(placeholder.kind) {
                out.push(format!("  case $value in {required}) ;; *) {} ;; esac", add(&bad)));
            }
        }
        out.push("fi".to_owned());
    }
}

/// The preflight block: every stop it finds, then nothing changed.
pub(super) fn preflight(plan: &Plan, out: &mut Vec<String>) {
    out.push("stops=".to_owned());
    values(plan, &plan.placeholders, out);
    for (i, step) in plan.steps.iter().enumerate() {
        let number = i + 1;
        match step.applicability {
            Applicability::Manual => out.push(add(&format!("step {number} is yours to do: {}", step.purpose))),
            Applicability::Destructive => {
                let message = format!("step {number} is destructive: run with --allow-destructive to let it run");
                out.push(format!("[ -n \"$allow_destructive\" ] || {}", add(&message)));
            }
            _ => {}
        }
        if let Some(why) = &step.in_person {
            let message = format!("step {number} needs a yes from a person (--yes does not give it: {why}), and there is no terminal");
            out.push(format!("has_terminal || {}", add(&message)));
        }
    }
    let asked = numbers(&plan.steps, |s| s.changes_state() && s.in_person.is_none());
    if !asked.is_empty() {
        let message = format!("{} need a yes and there is no terminal to ask on: run with --yes", list(&asked));
        out.push(format!("[ -n \"$assume_yes\" ] || has_terminal || {}", add(&message)));
    }
    out.push(
        "[ -z \"$stops\" ] || { printf 'stopped before any change: carried out now, this recovery would stop part-way:%s\\n' \"$stops\" >&2; rm -f \"$errs\"; exit 5; }"
            .to_owned(),
    );
    // A step only a person may allow is asked now, before the first change: a no then
    // changes nothing.
    for (i, step) in plan.steps.iter().enumerate() {
        let number = i + 1;
        let Some(question) = step.early_question(number) else { continue };
        out.push(format!(
            "ask {} || stop 5 {}",
            sh_quote(&question),
            sh_quote(&format!("step {number} was not allowed: nothing was changed"))
        ));
        out.push(format!("allowed_{number}=1"));
    }
}
