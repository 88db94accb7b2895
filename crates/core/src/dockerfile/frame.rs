//! The lines shown around the failed instruction, with the failed command underlined.

use crate::classify::state::BuilderFrame;
use crate::dockerfile::chain::{commands, program};
use crate::model::{DockerfileSpot, FrameLine, PlacedBy};
use crate::redact::redact;
use crate::screen::printable;

/// At most this many lines are shown; a longer instruction is shown around its failed
/// command.
pub(super) const FRAME_SHOWN: usize = 8;

/// The spot BuildKit printed itself.
pub(crate) fn from_builder(frame: &BuilderFrame, mut spot: DockerfileSpot) -> DockerfileSpot {
    let marked: Vec<u32> = frame.lines.iter().filter(|l| l.2).map(|l| l.0).collect();
    spot.path = Some(frame.path.clone());
    spot.line = marked.first().copied().or(Some(frame.line));
    spot.end_line = marked.last().copied().filter(|last| Some(*last) != spot.line);
    spot.placed_by = Some(PlacedBy::Builder);
    spot.frame = frame.lines.iter().map(|(line, text, failed)| shown(*line, text, *failed)).collect();
    underline(&mut spot);
    spot
}

/// A line as shown: printable, masked, nothing underlined yet.
pub(super) fn shown(line: u32, text: &str, failed: bool) -> FrameLine {
    // Tabs as spaces: an underline counts columns.
    FrameLine { line, text: redact(&printable(&text.replace('\t', "    "))).into_owned(), failed, underline: None }
}

/// Underlines the command of the failed instruction that runs a program the cause
/// names, when exactly one does; then keeps the frame to [`FRAME_SHOWN`] lines.
pub(super) fn underline(spot: &mut DockerfileSpot) {
    let mut found = Vec::new();
    for (index, line) in spot.frame.iter().enumerate().filter(|(_, l)| l.failed) {
        for (start, end) in commands(&line.text) {
            // The instruction's keyword and a continued line's escape are the
            // Dockerfile's, not the command's.
            let start = start + keyword_len(&line.text[start..end]);
            let end = start + line.text[start..end].trim_end_matches(['\\', ' ', '\t']).len();
            let command = &line.text[start..end];
            if program(command).is_some_and(|p| spot.programs.iter().any(|wanted| wanted == p)) {
                found.push((index, start, end));
            }
        }
    }
    if let [(index, start, end)] = found[..] {
        let line = &mut spot.frame[index];
        let columns = |at: usize| line.text[..at].chars().count();
        line.underline = Some((columns(start), columns(end)));
        spot.failed_command = Some(line.text[start..end].to_owned());
    }
    keep_around_underline(&mut spot.frame);
}

/// The length of a `RUN ` (any case) that starts a command, with the spaces after it.
fn keyword_len(command: &str) -> usize {
    let word = command.split_whitespace().next().unwrap_or_default();
    if word.eq_ignore_ascii_case("RUN") && command.starts_with(word) {
        word.len() + command[word.len()..].len() - command[word.len()..].trim_start().len()
    } else {
        0
    }
}

/// Keeps at most [`FRAME_SHOWN`] lines, the underlined one among them.
fn keep_around_underline(frame: &mut Vec<FrameLine>) {
    if frame.len() <= FRAME_SHOWN {
        return;
    }
    let focus = frame.iter().position(|l| l.underline.is_some()).or_else(|| frame.iter().position(|l| l.failed)).unwrap_or(0);
    let start = focus.saturating_sub(FRAME_SHOWN / 2).min(frame.len() - FRAME_SHOWN);
    frame.drain(start + FRAME_SHOWN..);
    frame.drain(..start);
}
