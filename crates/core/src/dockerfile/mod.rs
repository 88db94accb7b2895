//! Where a failed build step is in its Dockerfile: the builder's own frame (BuildKit),
//! or the step's instruction found in the file read from disk (the classic builder,
//! Podman and buildah print only the instruction).

mod chain;
mod frame;
mod parse;
mod place;
#[cfg(test)]
mod tests;

pub(crate) use frame::from_builder;
pub use place::place_in_dockerfile;

use crate::model::{Diagnosis, DockerfileSpot};

/// The spot of a failed build before the file is read: the instruction the output
/// shows, and the Dockerfile OpenShell announced (the caller drops a spot that has
/// neither, nor a builder's frame).
pub(crate) fn unplaced(diagnosis: &Diagnosis, path: Option<&str>, programs: Vec<String>) -> Option<DockerfileSpot> {
    let step = diagnosis.failed_step.as_ref()?;
    let implied = step.command.as_deref().and_then(instruction_of_command);
    let instruction = step.instruction.clone().or_else(|| implied.clone());
    let mut shown_as: Vec<String> = instruction.iter().chain(implied.iter()).cloned().collect();
    shown_as.dedup();
    Some(DockerfileSpot {
        path: path.map(|p| crate::redact::redact(p).into_owned()),
        line: None,
        end_line: None,
        instruction,
        failed_command: None,
        frame: Vec::new(),
        placed_by: None,
        note: None,
        programs,
        shown_as,
    })
}

/// The instruction a failed command ran: a summary's `/bin/sh -c make` is `RUN make`,
/// and Podman's `RUN make` is itself.
fn instruction_of_command(command: &str) -> Option<String> {
    let keyword = command.split_whitespace().next()?;
    if keyword.bytes().all(|b| b.is_ascii_uppercase()) && keyword.len() > 2 {
        return Some(command.to_owned());
    }
    ["/bin/sh -c ", "/bin/bash -c ", "/bin/bash -o pipefail -c ", "/bin/sh -o pipefail -c "]
        .iter()
        .find_map(|shell| command.strip_prefix(shell))
        .map(|rest| format!("RUN {rest}"))
}

/// An instruction as compared: its words, single-spaced, the keyword upper-cased.
fn normalized(text: &str) -> String {
    let mut words = text.split_whitespace();
    let keyword = words.next().unwrap_or_default().to_ascii_uppercase();
    std::iter::once(keyword.as_str()).chain(words).collect::<Vec<_>>().join(" ")
}

/// Whether the output's instruction is `written` (as [`parse`] joins it): the same
/// words; the start of them when the output clipped it (`…`); and for a heredoc, whose
/// first line is all the file's instruction holds, the output's start (BuildKit and
/// buildah add the body's first line: `RUN <<EOF (set -e…)`).
fn same_instruction(shown: &str, written: &str) -> bool {
    let (shown, written) = (normalized(shown), normalized(written));
    match shown.strip_suffix('…') {
        Some(start) => written.starts_with(start.trim_end()),
        None if written.contains("<<") => shown == written || shown.starts_with(&format!("{written} ")),
        None => shown == written,
    }
}

/// A terminal's progress display cuts a step's name at its width, without a mark: a
/// long enough start still names one instruction (when only one starts so).
const CUT_NAME_MIN: usize = 40;

/// Whether `shown` may be `written` cut by a terminal's width.
fn cut_by_terminal(shown: &str, written: &str) -> bool {
    let (shown, written) = (normalized(shown), normalized(written));
    shown.len() >= CUT_NAME_MIN && written.len() > shown.len() && written.starts_with(&shown)
}
