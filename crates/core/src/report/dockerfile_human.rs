//! The failed instruction in its Dockerfile, for people: the file and line, then the
//! lines with the failed command underlined; or why it could not be placed.

use std::fmt::Write as _;

use crate::model::{Diagnosis, DockerfileSpot, FailedStep};
use crate::report::style::{Look, Style};
use crate::report::wrap::{clip, wrap_prefixed};
use crate::screen::printable;

/// The `dockerfile` block, or nothing when the spot is neither placed nor explained.
pub(crate) fn dockerfile_block(diagnosis: &Diagnosis, style: Style) -> String {
    let Some(spot) = &diagnosis.dockerfile else { return String::new() };
    let mut out = String::new();
    let path = printable(spot.path.as_deref().unwrap_or("Dockerfile"));
    if let Some(note) = &spot.note {
        let _ = writeln!(out, "\n{}", style.paint(Look::Heading, "dockerfile"));
        // Masked where it was made: masking again would take masks for values.
        out.push_str(&wrap_prefixed(&printable(note), style.width, "  ", "  ", ""));
        return out;
    }
    let Some(line) = spot.line else { return out };
    let lines = match spot.end_line {
        Some(end) => format!("{line}-{end}"),
        None => line.to_string(),
    };
    let _ = writeln!(out, "\n{} {path}:{lines}{}", style.paint(Look::Heading, "dockerfile"), step_shown(diagnosis.failed_step.as_ref()));
    frame(&mut out, spot, style);
    out
}

/// ` (step 4/5)`, when the output numbered it.
fn step_shown(step: Option<&FailedStep>) -> String {
    match step.map(|s| (s.number, s.total)) {
        Some((Some(n), Some(t))) => format!(" (step {n}/{t})"),
        Some((Some(n), None)) => format!(" (step {n})"),
        _ => String::new(),
    }
}

/// The numbered lines: the failed instruction's marked, context lines dim, the failed
/// command underlined with `^`.
fn frame(out: &mut String, spot: &DockerfileSpot, style: Style) {
    let digits = spot.frame.iter().map(|l| l.line.to_string().len()).max().unwrap_or(1).max(4);
    for shown in &spot.frame {
        let number = format!("{:>digits$}", shown.line);
        // Cut at the end, not the middle: the underline below marks columns of the line.
        let text = style.evidence_width.map_or(shown.text.clone(), |width| clip(&shown.text, width.saturating_sub(digits + 5)));
        let text = if shown.failed { text } else { style.paint(Look::Muted, &text) };
        let _ = writeln!(out, "  {} │ {text}", style.paint(Look::Muted, &number));
        if let Some((start, end)) = shown.underline {
            let marks = format!("{}{}", " ".repeat(start), "^".repeat(end.saturating_sub(start).max(1)));
            // As far as the line it marks is shown.
            let marks: String =
                style.evidence_width.map_or(marks.clone(), |width| marks.chars().take(width.saturating_sub(digits + 6)).collect());
            let _ = writeln!(out, "  {} │ {}", " ".repeat(digits), style.paint(Look::Failure, &marks));
        }
    }
}
