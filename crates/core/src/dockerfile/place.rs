//! Finding the failed step's instruction in the Dockerfile read from disk.

use crate::dockerfile::frame::{shown, underline};
use crate::dockerfile::parse::{instructions, Instruction};
use crate::dockerfile::same_instruction;
use crate::model::{Diagnosis, PlacedBy};
use crate::screen::printable;

/// Places the failed step's instruction in `source`, the Dockerfile at `path`: its
/// lines, the failed command underlined; or, when the file no longer holds that
/// instruction, or holds it more than once and the output does not say which, a note
/// that says so. The builder's own place, when it printed one, is kept.
pub fn place_in_dockerfile(diagnosis: &mut Diagnosis, path: &str, source: &str) {
    let (number, total) = diagnosis.failed_step.as_ref().map_or((None, None), |s| (s.number, s.total));
    let Some(spot) = &mut diagnosis.dockerfile else { return };
    if spot.placed_by == Some(PlacedBy::Builder) {
        return;
    }
    spot.path = Some(path.to_owned());
    let Some(wanted) = spot.instruction.clone() else { return };
    let all = instructions(source);
    // The output's instruction is masked: so is the file's, to compare them.
    let matching: Vec<&Instruction> = all.iter().filter(|i| same_instruction(&wanted, &crate::redact::redact(&i.text))).collect();
    // The classic builder numbers every instruction of the file: its number decides
    // between equal ones, and tells a changed file.
    let numbered = match (number, total) {
        (Some(n), Some(t)) if usize::try_from(t).is_ok_and(|t| t == all.len()) => n.checked_sub(1).and_then(|i| all.get(i as usize)),
        _ => None,
    };
    let found = match matching[..] {
        [one] => Some(one),
        [] => None,
        _ => numbered.filter(|n| matching.iter().any(|m| m.first == n.first)),
    };
    let Some(found) = found else {
        spot.note = Some(match (matching.len(), numbered) {
            (0, Some(there)) => format!(
                "{path} changed since this build: its step {} (line {}) is `{}`, and the build ran `{}`",
                number.unwrap_or_default(),
                there.first,
                brief(&there.text),
                brief(&wanted)
            ),
            (0, None) => {
                format!("{path} has no instruction `{}`: it changed since this build, or the build used another Dockerfile", brief(&wanted))
            }
            _ => format!(
                "`{}` is on lines {} of {path}: the output does not say which one failed",
                brief(&wanted),
                matching.iter().map(|m| m.first.to_string()).collect::<Vec<_>>().join(", ")
            ),
        });
        return;
    };
    spot.line = Some(found.first);
    spot.end_line = Some(found.last).filter(|last| *last != found.first);
    spot.placed_by = Some(PlacedBy::File);
    spot.frame = found.lines.iter().map(|(line, text)| shown(*line, text, true)).collect();
    underline(spot);
}

/// An instruction in a note: single-spaced, and its start only when long.
fn brief(text: &str) -> String {
    let text = crate::redact::redact(&printable(&text.split_whitespace().collect::<Vec<_>>().join(" "))).into_owned();
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}
