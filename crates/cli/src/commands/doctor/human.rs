//! The human report: a line per check (✓ or ✗, its name, its detail), its fix beneath,
//! then the count. Fitted to the style's width by words, details under their column and
//! fixes under theirs; a command in backticks is one word, so it is never broken (alone
//! on its line when it is longer than the room).

use std::fmt::Write as _;

use sandbox_triage_core::{Look, Style};

use super::Finding;

/// Stands for a space inside a command while the text is wrapped: not whitespace, so
/// the command stays one word, and one column wide like the space it stands for. From
/// the private use area; any already in the text is removed first.
const GLUE: char = '\u{E000}';

/// How far a fix is indented, and its label.
const FIX: &str = "    fix: ";

/// `text` with the spaces of each `…` span glued.
fn glued(text: &str) -> String {
    let text: String = text.chars().filter(|&c| c != GLUE).collect();
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find('`') {
        let Some(length) = rest[open + 1..].find('`') else { break };
        let close = open + 1 + length;
        out.push_str(&rest[..open]);
        out.extend(rest[open..=close].chars().map(|c| if c == ' ' { GLUE } else { c }));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// `text` with each word longer than `room` columns cut into pieces that fit: after a
/// `/` where it has one (a long path reads well cut there), else anywhere. A word with
/// a backtick is a command, or holds one, and is left whole to stay copyable.
fn cut_long_words(text: &str, room: usize) -> String {
    let room = room.max(1);
    let mut words = Vec::new();
    for word in text.split_whitespace() {
        if word.contains('`') || word.chars().count() <= room {
            words.push(word.to_owned());
            continue;
        }
        let mut piece = String::new();
        for segment in word.split_inclusive('/') {
            if piece.chars().count() + segment.chars().count() > room && !piece.is_empty() {
                words.push(std::mem::take(&mut piece));
            }
            for c in segment.chars() {
                if piece.chars().count() == room {
                    words.push(std::mem::take(&mut piece));
                }
                piece.push(c);
            }
        }
        words.push(piece);
    }
    words.join(" ")
}

/// `text` wrapped to the style's width, `first` before its first line and `rest` before
/// the others: commands whole, other words cut when no line could hold them.
fn wrapped(style: Style, text: &str, first: &str, rest: &str) -> String {
    let text = cut_long_words(&glued(text), style.width.saturating_sub(rest.chars().count()));
    style.wrap(&text, first, rest).replace(GLUE, " ")
}

/// `text`'s lines each painted (an escape never spans a line break).
fn painted_lines(style: Style, look: Look, text: &str) -> String {
    text.lines().map(|line| style.paint(look, line) + "\n").collect()
}

/// One check: its line, wrapped, then its fix.
fn check(out: &mut String, f: &Finding, column: usize, style: Style) {
    let (mark, look) = if f.ok { ("✓", Look::Success) } else { ("✗", Look::Failure) };
    let pad = " ".repeat(column.saturating_sub(f.check.chars().count()));
    let first = format!("{mark} {}{pad}  ", f.check);
    let body = wrapped(style, &f.detail, &first, &" ".repeat(column + 4));
    let name = if f.ok { f.check.clone() } else { style.paint(Look::Failure, &f.check) };
    let head = format!("{} {name}{pad}  ", style.paint(look, mark));
    match body.strip_prefix(&first) {
        Some(rest) => {
            out.push_str(&head);
            out.push_str(rest);
        }
        None => {
            let _ = writeln!(out, "{}", head.trim_end());
        }
    }
    if let Some(fix) = &f.fix {
        let body = wrapped(style, fix, FIX, &" ".repeat(FIX.len()));
        if let Some(rest) = body.strip_prefix(FIX) {
            let _ = write!(out, "    {} {rest}", style.paint(Look::Attention, "fix:"));
        }
    }
}

/// The report. The name column is as wide as the longest name, up to a third of the
/// width: a longer name pushes its own detail along, not everyone's.
pub(super) fn render(findings: &[Finding], style: Style) -> String {
    let widest = findings.iter().map(|f| f.check.chars().count()).max().unwrap_or(0);
    let column = widest.min(style.width / 3);
    let mut out = String::new();
    for f in findings {
        check(&mut out, f, column, style);
    }
    let failed: Vec<&str> = findings.iter().filter(|f| !f.ok).map(|f| f.check.as_str()).collect();
    let total = findings.len();
    // Each name is kept whole on a line, as a command is.
    let names: Vec<String> = failed.iter().map(|name| name.chars().map(|c| if c == ' ' { GLUE } else { c }).collect()).collect();
    let summary = match failed.len() {
        0 => format!("all {total} checks pass"),
        1 => format!("1 of {total} checks fails: {}", names[0]),
        n => format!("{n} of {total} checks fail: {}", names.join(", ")),
    };
    let look = if failed.is_empty() { Look::Success } else { Look::Failure };
    out.push_str(&painted_lines(style, look, &style.wrap(&summary, "", "  ").replace(GLUE, " ")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_stay_whole_and_prose_wraps_under_its_column() {
        let style = Style { color: false, width: 40, evidence_width: None };
        let text = wrapped(style, "start it: `systemctl --user start openshell-gateway`, or not", "    fix: ", "         ");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines, ["    fix: start it:", "         `systemctl --user start openshell-gateway`,", "         or not"]);
        assert_eq!(glued("a `b c` d `e"), "a `b\u{E000}c` d `e");
        // A glued space takes its column: the command does not fit beside `abcd`.
        let narrow = Style { color: false, width: 12, evidence_width: None };
        assert_eq!(wrapped(narrow, "abcd `e f g h`", "", ""), "abcd\n`e f g h`\n");
        assert_eq!(wrapped(narrow, "abcd `e f g`", "", ""), "abcd `e f g`\n");
        // A path longer than any line is cut after a `/`; a command never is.
        assert_eq!(cut_long_words("in ~/.config/openshell/gateways/x y", 14), "in ~/.config/ openshell/ gateways/x y");
        assert_eq!(cut_long_words("abcdefghij `a/b/c/d/e/f/g`", 4), "abcd efgh ij `a/b/c/d/e/f/g`");
    }
}
