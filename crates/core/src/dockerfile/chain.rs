//! The commands of a shell `RUN` line, split where the shell runs one after another
//! (`&&`, `||`, `;`, `|`), and the program each runs.

/// The byte ranges of the commands in `text`, outside quotes.
pub(crate) fn commands(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let (mut start, mut at, mut quote) = (0, 0, None::<u8>);
    while at < bytes.len() {
        let b = bytes[at];
        match quote {
            Some(q) if b == q => quote = None,
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if b == b'\\' => at += 1,
            None if b == b';' || b == b'|' || b == b'&' && bytes.get(at + 1) == Some(&b'&') => {
                found.push((start, at));
                at += usize::from(bytes.get(at + 1) == Some(&b));
                start = at + 1;
            }
            _ => {}
        }
        at += 1;
    }
    found.push((start, bytes.len()));
    found.into_iter().map(|(s, e)| trimmed(text, s, e)).filter(|(s, e)| s < e).collect()
}

/// The range without the whitespace around it.
fn trimmed(text: &str, start: usize, end: usize) -> (usize, usize) {
    let part = &text[start..end];
    let lead = part.len() - part.trim_start().len();
    (start + lead, start + lead + part.trim().len())
}

/// The program a command runs: its first word after variable assignments and the
/// wrappers that run another (`sudo`, `env`, `exec`, `time`), without its directory.
pub(crate) fn program(command: &str) -> Option<&str> {
    let mut words = command
        .split_whitespace()
        .skip_while(|w| w.contains('=') && !w.starts_with('=') || matches!(*w, "sudo" | "env" | "exec" | "time" | "RUN" | "run" | "-E"));
    let word = words.next()?;
    Some(word.rsplit('/').next().unwrap_or(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Vec<&str> {
        commands(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn a_chain_is_split_where_the_shell_splits_it() {
        assert_eq!(
            parts("RUN echo one &&     missing --flag &&     echo 'a && b'"),
            vec!["RUN echo one", "missing --flag", "echo 'a && b'"]
        );
        assert_eq!(
            parts("apt-get update; apt-get install -y x || true | tee log"),
            vec!["apt-get update", "apt-get install -y x", "true", "tee log"]
        );
    }

    #[test]
    fn quotes_escapes_and_a_background_ampersand_do_not_split() {
        assert_eq!(parts("echo 'x' && make"), vec!["echo 'x'", "make"]);
        assert_eq!(parts("echo \"a;b\";c"), vec!["echo \"a;b\"", "c"]);
        assert_eq!(parts("echo a\\;b; c"), vec!["echo a\\;b", "c"]);
        assert_eq!(parts("sleep 1 & wait"), vec!["sleep 1 & wait"]);
        assert_eq!(parts("a;b"), vec!["a", "b"]);
        assert_eq!(parts("a&&b||c|d"), vec!["a", "b", "c", "d"]);
        assert_eq!(parts("a;;  ;b"), vec!["a", "b"]);
    }

    #[test]
    fn the_program_is_the_first_word_after_assignments_and_wrappers() {
        assert_eq!(program("RUN DEBIAN_FRONTEND=noninteractive apt-get install -y x"), Some("apt-get"));
        assert_eq!(program("sudo -E /usr/local/bin/pip install x"), Some("pip"));
        assert_eq!(program("   "), None);
    }
}
