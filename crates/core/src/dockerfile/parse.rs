//! A Dockerfile's instructions as builders print them in their step headers: the
//! continuation lines joined, comments and blank lines inside them dropped.

/// One instruction and the lines it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Instruction {
    /// Its first and last line (1-based).
    pub(crate) first: u32,
    pub(crate) last: u32,
    /// As a step header shows it: each continued line's text before its escape, then
    /// the next line as written (Docker, Podman and buildah all join so).
    pub(crate) text: String,
    /// The physical lines it spans, with their numbers (comments inside it included,
    /// as the file shows them).
    pub(crate) lines: Vec<(u32, String)>,
}

/// The instructions of `source`, in order. Parser directives and comments are not
/// instructions; a heredoc's body belongs to its instruction.
pub(crate) fn instructions(source: &str) -> Vec<Instruction> {
    // An editor's byte-order mark is not part of the first line.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let escape = escape_char(source);
    let mut found = Vec::new();
    // The instruction being read, and the heredoc words whose bodies are still to end.
    let mut current: Option<(Instruction, Vec<String>)> = None;
    for (index, raw) in source.lines().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some((instruction, heredoc)) = &mut current {
            instruction.lines.push((number, line.to_owned()));
            instruction.last = number;
            if let Some(word) = heredoc.first() {
                if line.trim() == word {
                    heredoc.remove(0);
                    if heredoc.is_empty() {
                        found.extend(current.take().map(|(i, _)| i));
                    }
                }
                continue;
            }
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let (text, continues) = continued(line, escape);
            instruction.text.push_str(text);
            if !continues {
                let words = heredoc_words(&instruction.text);
                if words.is_empty() {
                    found.extend(current.take().map(|(i, _)| i));
                } else {
                    *heredoc = words;
                }
            }
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (text, continues) = continued(trimmed, escape);
        let instruction = Instruction { first: number, last: number, text: text.to_owned(), lines: vec![(number, line.to_owned())] };
        let heredoc = if continues { Vec::new() } else { heredoc_words(text) };
        if continues || !heredoc.is_empty() {
            current = Some((instruction, heredoc));
        } else {
            found.push(instruction);
        }
    }
    found.extend(current.map(|(i, _)| i));
    found
}

/// The line's text without its escape (`\`, or the `# escape=` character) and the
/// whitespace after it, and whether the instruction continues.
fn continued(line: &str, escape: char) -> (&str, bool) {
    let end = line.trim_end();
    match end.strip_suffix(escape) {
        Some(text) => (text, true),
        None => (line.trim_end_matches([' ', '\t']), false),
    }
}

/// The `# escape=` parser directive (any case, spaces around `=`), if the file's
/// directives at its top hold one.
fn escape_char(source: &str) -> char {
    for line in source.lines() {
        let Some(directive) = line.trim().strip_prefix('#') else { break };
        let Some((key, value)) = directive.split_once('=') else { break };
        if key.trim().eq_ignore_ascii_case("escape") {
            return value.trim().chars().next().unwrap_or('\\');
        }
    }
    '\\'
}

/// The words that end the heredocs an instruction opens (`RUN <<EOF`, `COPY <<-"A"
/// <<B /etc/`), in order: a `<<` after a space, then a word (`$((1<<2))` opens none).
fn heredoc_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("<<") {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + 2..];
        rest = after;
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let after = after.strip_prefix('-').unwrap_or(after);
        let after = after.strip_prefix(['"', '\'']).unwrap_or(after);
        let word: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if word.chars().next().is_some_and(|c| !c.is_ascii_digit()) {
            words.push(word);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continued_instructions_are_joined_as_builders_print_them() {
        let source = "# syntax=docker/dockerfile:1\nFROM base\n\n# install\nRUN echo one && \\\n    false_cmd_missing --flag && \\\n\n    # a comment\n    echo three\nCOPY a b\n";
        let found = instructions(source);
        assert_eq!(found.len(), 3);
        assert_eq!(found[1].first, 5);
        assert_eq!(found[1].last, 9);
        assert_eq!(found[1].text, "RUN echo one &&     false_cmd_missing --flag &&     echo three");
        assert_eq!(found[2].first, 10);
    }

    #[test]
    fn the_escape_directive_and_heredocs_are_honoured() {
        let found = instructions("# escape=`\nFROM base\nRUN echo a `\n  b\nRUN <<EOF\nset -e\nmake\nEOF\nUSER 1000\n");
        assert_eq!(found.iter().map(|i| (i.first, i.last)).collect::<Vec<_>>(), vec![(2, 2), (3, 4), (5, 8), (9, 9)]);
        assert_eq!(found[1].text, "RUN echo a   b");
    }

    #[test]
    fn heredoc_words_are_read_in_order() {
        assert_eq!(heredoc_words("RUN <<EOF"), vec!["EOF"]);
        assert_eq!(heredoc_words("COPY <<-'A' <<\"B\" /etc/"), vec!["A", "B"]);
        assert_eq!(heredoc_words("RUN echo $((1<<2)) << 3"), Vec::<String>::new());
        assert_eq!(heredoc_words("RUN cat <<9"), Vec::<String>::new());
    }

    #[test]
    fn several_heredocs_a_shift_and_a_byte_order_mark() {
        let found = instructions(
            "\u{feff}# ESCAPE = \\\nFROM base\nCOPY <<A <<-\"B\" /etc/\na\nA\nb\nB\nRUN echo $((1<<PAGE_SHIFT)) && \\\n  false\nRUN x\n",
        );
        assert_eq!(found.iter().map(|i| (i.first, i.last)).collect::<Vec<_>>(), vec![(2, 2), (3, 7), (8, 9), (10, 10)]);
        assert_eq!(found[0].text, "FROM base");
    }
}
