//! The lines shown around the failed instruction, with the failed command underlined.

use crate::classify::state::BuilderFrame;
use crate::classify::state::COMMAND_CHARS;
use crate::dockerfile::chain::{commands, program};
use crate::model::{DockerfileSpot, FrameLine, PlacedBy};
use crate::redact::{keep_clipped, redact};
use crate::screen::printable;

/// At most this many lines are shown; a longer instruction is shown around its failed
/// command.
pub(crate) const FRAME_SHOWN: usize = 8;

/// The spot BuildKit printed itself.
pub(crate) fn from_builder(frame: &BuilderFrame, mut spot: DockerfileSpot) -> DockerfileSpot {
    let marked: Vec<(u32, String)> = frame.lines.iter().filter(|l| l.2).map(|l| (l.0, l.1.clone())).collect();
    let masked = masked_as_one(&marked);
    spot.path = Some(redact(&frame.path).into_owned());
    spot.line = marked.first().map(|l| l.0).or(Some(frame.line));
    spot.end_line = marked.last().map(|l| l.0).filter(|last| Some(*last) != spot.line);
    spot.placed_by = Some(PlacedBy::Builder);
    let mut masked = masked.iter().peekable();
    spot.frame = frame
        .lines
        .iter()
        .map(|(line, text, failed)| match (failed, masked.next_if(|_| *failed)) {
            (true, Some(masked)) => shown(*line, masked, true),
            _ => shown(*line, &redact(text), *failed),
        })
        .collect();
    underline(&mut spot);
    spot
}

/// The instruction's lines as shown, masked as the one command they are.
pub(super) fn instruction_shown(lines: &[(u32, String)]) -> Vec<FrameLine> {
    lines.iter().zip(masked_as_one(lines)).map(|((line, _), text)| shown(*line, &text, true)).collect()
}

/// A masked line as shown: printable, clipped, nothing underlined yet.
fn shown(line: u32, masked: &str, failed: bool) -> FrameLine {
    // Tabs as spaces: an underline counts columns.
    let text = printable(&masked.replace('\t', "    "));
    FrameLine { line, text: keep_clipped(&text, 0, COMMAND_CHARS).0, failed, underline: None }
}

/// The lines of one instruction, each masked where the instruction they make up holds
/// a secret: one that a continuation splits (`Bearer \`, then the token) is on two.
fn masked_as_one(lines: &[(u32, String)]) -> Vec<String> {
    // Joined as builders join them: each line's text before its escape, then the next.
    let mut joined = String::new();
    let mut parts = Vec::with_capacity(lines.len());
    for (_, text) in lines {
        let trimmed = text.trim_end();
        let content = trimmed.strip_suffix('\\').unwrap_or(text);
        parts.push(joined.len()..joined.len() + content.len());
        joined.push_str(content);
    }
    let secrets = crate::redact::secret_ranges(&joined);
    lines
        .iter()
        .zip(parts)
        .map(|((_, text), part)| {
            let mut text = text.clone();
            // From the right, so that the earlier ranges stay where they were.
            for secret in secrets.iter().rev() {
                let (start, end) = (secret.start.max(part.start), secret.end.min(part.end));
                if start < end {
                    text.replace_range(start - part.start..end - part.start, "***");
                }
            }
            text
        })
        .collect()
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
