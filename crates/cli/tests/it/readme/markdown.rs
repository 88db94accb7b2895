//! Reading the documents: their fenced blocks and the comments that say how each is
//! checked, transcripts and shell lines; and showing a stale block: a line diff, JSON laid
//! out for reading.

use std::fmt::Write as _;
use std::ops::Range;

/// A fenced block of a document.
pub(super) struct Block {
    /// The line of its opening fence, from 1.
    pub(super) line: usize,
    /// The fence's language (`sh`), or nothing.
    pub(super) lang: String,
    /// What it holds, each line ending in a newline.
    pub(super) text: String,
    /// Where that is in the document, to rewrite it.
    pub(super) range: Range<usize>,
    /// The `<!-- name: argument -->` comment since the block before, if any.
    pub(super) directive: Option<String>,
    pub(super) directive_argument: Option<String>,
}

/// The fenced blocks of a Markdown document, each with the directive before it.
pub(super) fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut directive: Option<(String, Option<String>)> = None;
    let mut open: Option<(usize, String, usize)> = None;
    let mut offset = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_end();
        match open.take() {
            Some((at, lang, from)) if trimmed == "```" => {
                let (name, argument) = directive.take().unzip();
                let text = text[from..start].to_owned();
                blocks.push(Block { line: at, lang, text, range: from..start, directive: name, directive_argument: argument.flatten() });
            }
            Some(still_open) => open = Some(still_open),
            None => {
                if let Some(lang) = trimmed.strip_prefix("```") {
                    open = Some((number + 1, lang.trim().to_owned(), offset));
                } else if let Some(inner) = trimmed.strip_prefix("<!-- ").and_then(|l| l.strip_suffix(" -->")) {
                    directive = Some(match inner.split_once(": ") {
                        Some((name, argument)) => (name.to_owned(), Some(argument.to_owned())),
                        None => (inner.to_owned(), None),
                    });
                }
            }
        }
    }
    blocks
}

/// The document with blocks' contents replaced.
pub(super) fn replaced(text: &str, mut updates: Vec<(Range<usize>, String)>) -> String {
    let mut text = text.to_owned();
    updates.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, fresh) in updates {
        text.replace_range(range, &fresh);
    }
    text
}

/// A transcript's commands (`$ ` lines, with the lines a trailing `\` continues onto),
/// each with the output shown after it.
pub(super) fn transcript(text: &str) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = Vec::new();
    let mut continued = false;
    for line in text.lines() {
        match (entries.last_mut(), line.strip_prefix("$ ")) {
            (Some((command, _)), _) if continued => {
                command.push('\n');
                command.push_str(line);
                continued = line.ends_with('\\');
            }
            (_, Some(command)) => {
                continued = command.ends_with('\\');
                entries.push((command.to_owned(), String::new()));
            }
            (Some((_, output)), None) => {
                output.push_str(line);
                output.push('\n');
            }
            (None, None) => {}
        }
    }
    entries
}

/// A shell block's command lines, each with the lines a trailing `\` continues onto.
pub(super) fn command_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut continued = false;
    for line in text.lines() {
        match lines.last_mut() {
            Some(last) if continued => last.push_str(line),
            _ => lines.push(line.to_owned()),
        }
        continued = line.ends_with('\\');
        if continued {
            if let Some(last) = lines.last_mut() {
                last.pop();
            }
        }
    }
    lines
}

/// The arguments a command line gives `sandbox-triage` (also as `cargo run … --`) where it
/// is a command (first, after `VAR=value` words or after a pipe or a list operator), up to
/// the next pipe, redirection or operator; none when it does not run it.
pub(super) fn binary_arguments(words: &[String]) -> Option<Vec<String>> {
    let operator = |w: &String| w.starts_with(['|', '&', ';', '>', '<', '#']) || w.starts_with("2>");
    let mut command_starts = true;
    for (at, word) in words.iter().enumerate() {
        let start = match word.as_str() {
            _ if operator(word) => {
                command_starts = true;
                continue;
            }
            _ if !command_starts => continue,
            assignment if assignment.contains('=') && !assignment.starts_with('-') => continue,
            "sandbox-triage" => Some(at + 1),
            "cargo" if words.get(at + 1).is_some_and(|w| w == "run") => words[at..].iter().position(|w| w == "--").map(|p| at + p + 1),
            _ => None,
        };
        command_starts = false;
        if let Some(start) = start {
            return Some(words[start..].iter().take_while(|w| !operator(w)).cloned().collect());
        }
    }
    None
}

/// The keys a JSON shape names: each quoted word that does not follow a `:`.
pub(super) fn named_keys(shape: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let (mut word, mut escaped, mut after_colon) = (None::<String>, false, false);
    for c in shape.chars() {
        match &mut word {
            Some(text) if escaped || c != '"' => {
                text.push(c);
                escaped = !escaped && c == '\\';
            }
            Some(_) => {
                let text = word.take().unwrap_or_default();
                if !after_colon {
                    keys.push(text);
                }
            }
            None => match c {
                '"' => word = Some(String::new()),
                ':' => after_colon = true,
                c if c.is_whitespace() => {}
                _ => after_colon = false,
            },
        }
    }
    keys
}

/// A line diff: `- ` lines only the document has, `+ ` lines only the binary prints.
/// Trailing spaces show as `·`.
pub(super) fn diff(old: &str, new: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    // The longest common subsequence of every pair of suffixes.
    let mut common = vec![vec![0_usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] { common[i + 1][j + 1] + 1 } else { common[i + 1][j].max(common[i][j + 1]) };
        }
    }
    let visible = |line: &str| {
        let text = line.trim_end_matches(' ');
        format!("{text}{}", "·".repeat(line.len() - text.len()))
    };
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            let _ = writeln!(out, "  {}", a[i]);
            (i, j) = (i + 1, j + 1);
        } else if j < b.len() && (i == a.len() || common[i][j + 1] >= common[i + 1][j]) {
            let _ = writeln!(out, "+ {}", visible(b[j]));
            j += 1;
        } else {
            let _ = writeln!(out, "- {}", visible(a[i]));
            i += 1;
        }
    }
    out
}

/// Compact JSON laid out two spaces an indent, its keys in the order printed; an array
/// of plain values (an argv) stays on one line.
pub(super) fn pretty_json(compact: &str) -> String {
    let mut out = String::new();
    let (mut depth, mut in_string, mut escaped, mut inline_until) = (0_usize, false, false, 0);
    for (at, c) in compact.char_indices() {
        if in_string {
            out.push(c);
            (in_string, escaped) = (escaped || c != '"', !escaped && c == '\\');
            continue;
        }
        let indent = |depth: usize| "  ".repeat(depth);
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '[' => {
                if let Some(length) = flat_array(&compact[at..]) {
                    inline_until = at + length;
                    out.push(c);
                } else {
                    depth += 1;
                    let _ = write!(out, "[\n{}", indent(depth));
                }
            }
            '{' if compact[at + 1..].starts_with('}') => out.push(c),
            '{' => {
                depth += 1;
                let _ = write!(out, "{{\n{}", indent(depth));
            }
            ',' | ']' if at < inline_until => out.push_str(if c == ',' { ", " } else { "]" }),
            '}' if compact[..at].ends_with('{') => out.push(c),
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                let _ = write!(out, "\n{}{c}", indent(depth));
            }
            ',' => {
                let _ = write!(out, ",\n{}", indent(depth));
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out + "\n"
}

/// The length of the array `text` starts with, when it holds no object or array.
fn flat_array(text: &str) -> Option<usize> {
    let (mut in_string, mut escaped) = (false, false);
    for (at, c) in text.char_indices().skip(1) {
        if in_string {
            (in_string, escaped) = (escaped || c != '"', !escaped && c == '\\');
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => return None,
            ']' => return Some(at + 1),
            _ => {}
        }
    }
    None
}

#[test]
fn compact_json_is_laid_out_in_its_own_order() {
    let shown = pretty_json(r#"{"b":1,"a":[{"x":"q\"{,"}],"e":[],"o":{},"argv":["a","b]"]}"#);
    let expected = "{\n  \"b\": 1,\n  \"a\": [\n    {\n      \"x\": \"q\\\"{,\"\n    }\n  ],\n  \"e\": [],\n  \"o\": {},\n  \"argv\": [\"a\", \"b]\"]\n}\n";
    assert_eq!(shown, expected);
}

#[test]
fn a_shape_names_its_keys_not_its_values() {
    let shape = r#"{"a":1,"b":{"kind":"succeeds"}|{"c":[…]},"d","e"}"#;
    assert_eq!(named_keys(shape), ["a", "b", "kind", "c", "d", "e"]);
}

#[test]
fn a_transcript_is_commands_and_their_output() {
    let entries = transcript("$ a \\\n  b\nout 1\n$ echo $?\n1\n");
    assert_eq!(entries, [("a \\\n  b".to_owned(), "out 1\n".to_owned()), ("echo $?".to_owned(), "1\n".to_owned())]);
}

#[test]
fn the_arguments_stop_at_the_first_shell_operator() {
    let words = |line: &str| shell_words::split(line).expect("words");
    let args = |line: &str| binary_arguments(&words(line));
    assert_eq!(args("nemoclaw onboard 2>&1 | sandbox-triage classify - # a comment"), Some(vec!["classify".to_owned(), "-".to_owned()]));
    assert_eq!(args("cargo run --release -q -- rules"), Some(vec!["rules".to_owned()]));
    assert_eq!(args("sandbox-triage completions bash > x"), Some(vec!["completions".to_owned(), "bash".to_owned()]));
    assert_eq!(args("bash .ci/run"), None);
    assert_eq!(args("SANDBOX_TRIAGE_X=1 cargo test -p sandbox-triage --test it"), None);
    assert_eq!(args("X=1 sandbox-triage rules && sandbox-triage schema"), Some(vec!["rules".to_owned()]));
    assert_eq!(command_lines("a \\\n  b\nc\n"), ["a   b", "c"]);
}
