//! A check in the script: run once, quietly, its output kept; judged; and when it
//! fails, read as the executor reads it: the machine's state and the way on.

use crate::command::{render, Shell};
use crate::plan::{Check, Holds, Reading, Sign};

use super::{sh_quote, sh_word};

/// `run_check <command>`: runs it, keeping what it printed.
pub(super) fn run(check: &Check) -> String {
    format!("run_check {}", render(&check.argv, Shell::Posix).unwrap_or_default())
}

/// The condition, after `run_check`, that the check held.
pub(super) fn held(check: &Check) -> String {
    match &check.holds {
        Holds::PrintsLine { line } => format!("holds_line {}", sh_word(line)),
        Holds::PrintsRow { first, last } => format!("holds_row {} {}", sh_word(first), sh_word(last)),
        Holds::LacksRow { first } => format!("holds_no_row {}", sh_word(first)),
        Holds::Succeeds => "[ \"$check_status\" -eq 0 ]".to_owned(),
    }
}

fn sign(sign: &Sign) -> String {
    match sign {
        Sign::Says { any } => any.iter().map(|text| format!("said {}", sh_quote(text))).collect::<Vec<_>>().join(" || "),
        Sign::PrintsLine { line } => format!("holds_line {}", sh_quote(line)),
        Sign::Row { first, last } => format!("holds_row {} {}", sh_quote(first), sh_quote(last)),
        Sign::NotInstalled => "[ \"$check_status\" -eq 127 ]".to_owned(),
        Sign::Fails => "true".to_owned(),
    }
}

fn found(reading: &Reading) -> String {
    let next = reading.next.as_ref().and_then(|next| render(next, Shell::Posix).ok()).unwrap_or_default();
    format!("found {} {} {}", sh_quote(&reading.state), sh_quote(&next), sh_quote(reading.advice.as_deref().unwrap_or("")))
}

/// After a failed check: what it showed, then the stop with `status` and `message`.
pub(super) fn read_then_stop(check: &Check, status: u8, message: &str, out: &mut Vec<String>) {
    for (i, reading) in check.readings.iter().enumerate() {
        let keyword = if i == 0 { "if" } else { "elif" };
        out.push(format!("{keyword} {}; then", sign(&reading.sign)));
        out.push(format!("  {}", found(reading)));
    }
    let fallback = "found \"not as the plan needs it (exit status $check_status: $(first_words))\" 'sandbox-triage doctor' \
                    'doctor checks the engine, the gateway and the CLI, and names the fix for what it finds'";
    if check.readings.is_empty() {
        out.push(fallback.to_owned());
    } else {
        out.push("else".to_owned());
        out.push(format!("  {fallback}"));
        out.push("fi".to_owned());
    }
    out.push(format!("stop {status} {}", sh_quote(&format!("{message}: {}", check.expect.replace('\n', " ")))));
}

/// A check that must hold, or the script stops with `status`, saying why.
pub(super) fn require(check: &Check, status: u8, message: &str, out: &mut Vec<String>) {
    out.push(run(check));
    out.push(format!("if ! {}; then", held(check)));
    let mut body = Vec::new();
    read_then_stop(check, status, message, &mut body);
    out.extend(body.into_iter().map(|line| format!("  {line}")));
    out.push("fi".to_owned());
}
