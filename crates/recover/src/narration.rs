//! What a recovery says as it goes, as data: a [`Listener`] prints it (the binary), or
//! keeps it (a test). [`text`] gives each its words, so every front end says the same.

use std::time::Duration;

use sandbox_triage_core::{controls_marked, printable, shown_action, Look, Step, Style};
use unicode_width::UnicodeWidthStr;

use crate::journal::{Entry, Found};

/// One thing said.
#[derive(Debug, Clone)]
pub enum Said<'a> {
    /// What the run is.
    Headline(String),
    /// A step begins.
    Step {
        /// Its number.
        number: usize,
        /// The step.
        step: &'a Step,
    },
    /// The command a step will run, its values filled (secrets masked): shown before a
    /// destructive step runs.
    Resolved(String),
    /// A value the commands read, and where it came from.
    Value {
        /// The placeholder.
        name: &'a str,
        /// The value as it may be shown.
        shown: String,
        /// Where it came from.
        origin: String,
    },
    /// A check's result.
    Check {
        /// Which check: `before`, `after`, `already done?`.
        when: &'static str,
        /// Its command, as shown.
        command: String,
        /// What it looks for.
        expect: &'a str,
        /// Whether it held.
        holds: bool,
    },
    /// A line of a step's output, masked.
    Output(&'a str),
    /// A pipeline's stream so far.
    Streaming(u64, Duration),
    /// A pipeline's stream, once over.
    Streamed(u64, Duration),
    /// What happened, in a sentence.
    Note(String),
    /// Something that stops the run (or would stop `--apply`), in a sentence.
    Stop(String),
    /// What a failed check showed about the machine, and the way on.
    Found(&'a Found),
    /// How the run ended.
    Summary(String),
}

/// Takes what a recovery says, and each step's record.
pub trait Listener {
    /// Something said.
    fn said(&mut self, said: Said<'_>);
    /// A step's record, once it has ended.
    fn record(&mut self, entry: &Entry);
}

/// Bytes, rate and elapsed time of a stream, for people.
#[must_use]
pub fn rate(bytes: u64, elapsed: Duration) -> String {
    #[allow(clippy::cast_precision_loss)]
    let mib = bytes as f64 / f64::from(1 << 20);
    let secs = elapsed.as_secs_f64().max(0.001);
    format!("streamed {mib:.1} MiB in {secs:.1} s ({:.1} MiB/s)", mib / secs)
}

/// The lines people read for `said` (`None`: a progress line, drawn in place by the
/// front end), fitted to `style`: prose wraps to its width under its own column,
/// commands stay whole on their lines (they must paste as shown), a step's output is
/// clipped in the middle on a terminal. Everything from the plan or a process is made
/// printable, and commands come already shown (their control characters as U+FFFD): no
/// escape sequence reaches the terminal but the palette's own.
#[must_use]
pub fn text(said: &Said<'_>, style: Style) -> Option<String> {
    // A sentence after `→`, wrapped under its first word.
    let arrow = |text: &str| trimmed(style.wrap(text, "   → ", "     "));
    Some(match said {
        Said::Headline(text) => {
            // Blank lines before it stay: they part it from what came before.
            let body = text.trim_start_matches('\n');
            format!("{}{}", &text[..text.len() - body.len()], trimmed(style.wrap(body, "", "")))
        }
        Said::Summary(text) => style.paint(Look::Heading, &printable(text)),
        Said::Step { number, step } => {
            let tag = format!("[{}]", step.applicability.as_str());
            let head = format!("{number}. ");
            let title = style.wrap(&format!("{tag} {}", step.purpose), &head, &" ".repeat(head.len()));
            // Painted once wrapped: escapes take no columns.
            let mut lines = vec![format!("\n{}", trimmed(title.replacen(&tag, &style.paint(Look::Risk(step.applicability), &tag), 1)))];
            // Each control character of a word shows as U+FFFD: what the operator gave
            // never drives the terminal, and the command still reads as planned.
            if let Some(command) = shown_action(&step.action) {
                for (i, line) in command.lines().enumerate() {
                    lines.push(format!("   {} {line}", if i == 0 { "$" } else { " " }));
                }
            }
            if let Some(note) = &step.note {
                lines.push(trimmed(style.wrap(&format!("({note})"), "   ", "    ")));
            }
            lines.join("\n")
        }
        Said::Resolved(command) => format!("   → will run: {command}"),
        Said::Value { name, shown, origin } => {
            trimmed(style.wrap(&format!("{name} = {} (from {origin})", controls_marked(shown)), "   · ", "     "))
        }
        Said::Check { when, command, expect, holds } => check(style, when, command, expect, *holds),
        Said::Output(line) => format!("   │ {}", style.fit_line(&printable(line), |width| width.saturating_sub(5))),
        Said::Streaming(..) => return None,
        Said::Streamed(bytes, elapsed) => format!("   → {}", rate(*bytes, *elapsed)),
        Said::Note(text) => arrow(text),
        Said::Stop(text) => trimmed(style.wrap(text, "   → ", "     ").replacen('→', &style.paint(Look::Attention, "→"), 1)),
        Said::Found(found) => {
            let mut lines = vec![arrow(&format!("the machine: {}", found.state))];
            if let Some(next) = &found.next {
                // A command: whole.
                lines.push(format!("   → next: {next}"));
            }
            if let Some(advice) = &found.advice {
                lines.push(arrow(advice));
            }
            lines.join("\n")
        }
    })
}

/// A check's line: its mark, which check and its command (whole), then what it looks
/// for, on the same line when it fits, else wrapped below.
fn check(style: Style, when: &str, command: &str, expect: &str, holds: bool) -> String {
    // "Already done?" answered no is the usual case, not a failure.
    let (mark, look) = match (holds, when.starts_with("already done")) {
        (true, _) => ("✓", Look::Success),
        (false, true) => ("·", Look::Muted),
        (false, false) => ("✗", Look::Failure),
    };
    let mark = style.paint(look, mark);
    let expect = printable(expect);
    let line = format!("   {when}: {command}  → {expect}");
    if line.width() + 2 <= style.width {
        return format!("   {mark} {when}: {command}  → {expect}");
    }
    format!("   {mark} {when}: {command}\n{}", trimmed(style.wrap(&expect, "       → ", "         ")))
}

/// Wrapped text without its last newline: each said thing is printed as a line.
fn trimmed(mut text: String) -> String {
    if text.ends_with('\n') {
        text.pop();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_is_marked_and_coloured_by_its_result_and_fits_the_width() {
        let style = Style { color: true, width: 60, evidence_width: Some(60) };
        let held = check(style, "before", "podman inspect x", "a line `true`", true);
        assert_eq!(held, "   \u{1b}[1m\u{1b}[32m✓\u{1b}[0m before: podman inspect x  → a line `true`");
        let failed = check(style, "after", "podman inspect x", "a line `true`", false);
        assert!(failed.starts_with("   \u{1b}[1m\u{1b}[31m✗\u{1b}[0m after: "), "{failed:?}");
        let not_yet = check(style, "already done?", "podman inspect x", "a line `true`", false);
        assert!(not_yet.starts_with("   \u{1b}[2m·\u{1b}[0m already done?: "), "{not_yet:?}");
        // Too long for one line: the command whole, what it looks for wrapped below.
        let long = check(Style { color: false, ..style }, "before", &"word ".repeat(14), &"expect ".repeat(12), true);
        let lines: Vec<&str> = long.lines().collect();
        assert_eq!(lines[0], format!("   ✓ before: {}", "word ".repeat(14)));
        assert!(lines[1].starts_with("       → expect") && lines[1..].iter().all(|l| l.chars().count() <= 60), "{long}");
    }
}
