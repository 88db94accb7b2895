//! Finding the failed step's instruction in the Dockerfile read from disk.

use crate::dockerfile::frame::{instruction_shown, underline};
use crate::dockerfile::parse::{instructions, Instruction};
use crate::dockerfile::{cut_by_terminal, same_instruction};
use crate::model::{Diagnosis, PlacedBy};
use crate::redact::redact;
use crate::screen::printable;

/// Places the failed step's instruction in `source`, the Dockerfile at `path`: its
/// lines, the failed command underlined; or, when the file no longer holds that
/// instruction, or holds it more than once and the output does not say which, a note
/// that says so. The builder's own place, when it printed one, is kept. A note quotes
/// the build's instruction, never the file's text (the file may not be a Dockerfile).
pub fn place_in_dockerfile(diagnosis: &mut Diagnosis, path: &str, source: &str) {
    let (number, total) = diagnosis.failed_step.as_ref().map_or((None, None), |s| (s.number, s.total));
    let Some(spot) = &mut diagnosis.dockerfile else { return };
    if spot.placed_by == Some(PlacedBy::Builder) {
        return;
    }
    let path = redact(path).into_owned();
    spot.path = Some(path.clone());
    let Some(wanted) = spot.instruction.clone() else { return };
    let all = instructions(source);
    // The output's instruction is masked: so is the file's, to compare them.
    let written: Vec<String> = all.iter().map(|i| redact(&i.text).into_owned()).collect();
    let matching = |same: &dyn Fn(&str, &str) -> bool| -> Vec<usize> {
        (0..all.len()).filter(|&i| spot.shown_as.iter().any(|shown| same(shown, &written[i]))).collect()
    };
    let mut found = matching(&same_instruction);
    if found.is_empty() {
        found = matching(&cut_by_terminal);
    }
    // The classic builder numbers every instruction of the file: its number decides
    // between equal ones, and tells a changed file.
    let numbered = match (number, total) {
        (Some(n), Some(t)) if usize::try_from(t).is_ok_and(|t| t == all.len()) => n.checked_sub(1).map(|i| i as usize),
        _ => None,
    };
    let chosen = match found[..] {
        [one] => Some(one),
        _ => numbered.filter(|n| found.contains(n)),
    };
    let Some(chosen) = chosen else {
        spot.note = Some(unplaced_note(&path, &wanted, &all, &found, numbered.and_then(|n| Some((n + 1, all.get(n)?)))));
        return;
    };
    let found: &Instruction = &all[chosen];
    spot.line = Some(found.first);
    spot.end_line = Some(found.last).filter(|last| *last != found.first);
    spot.placed_by = Some(PlacedBy::File);
    spot.frame = instruction_shown(&found.lines);
    underline(spot);
}

/// Why the instruction is not placed: the file no longer holds it, or holds it more
/// than once.
fn unplaced_note(path: &str, wanted: &str, all: &[Instruction], found: &[usize], numbered: Option<(usize, &Instruction)>) -> String {
    match (found.len(), numbered) {
        (0, Some((step, there))) => {
            format!("{path} changed since this build: its step {step} (line {}) no longer reads `{}`", there.first, brief(wanted))
        }
        (0, None) => {
            format!("{path} has no instruction `{}`: it changed since this build, or the build used another Dockerfile", brief(wanted))
        }
        _ => format!(
            "`{}` is on lines {} of {path}: the output does not say which one failed",
            brief(wanted),
            found.iter().map(|&i| all[i].first.to_string()).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// An instruction in a note: single-spaced, and its start only when long.
fn brief(text: &str) -> String {
    let text = redact(&printable(&crate::screen::single_spaced(text))).into_owned();
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}
