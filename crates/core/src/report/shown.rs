//! Commands as a person may be shown them: each control character of a word as U+FFFD,
//! before quoting, so a command pasted from the screen is the one planned and no word
//! from the input can drive the terminal (an OSC title, a CSI clear, a C1 control).

use crate::command::{render, render_pipeline, Part, Shell, Word};
use crate::plan::Action;

/// `text` with each control character as U+FFFD, and each character that reorders the
/// text around it (the bidirectional overrides, embeddings, isolates and marks): a word
/// shown reversed would not read as the word pasted.
#[must_use]
pub fn controls_marked(text: &str) -> String {
    text.chars().map(|c| if c.is_control() || reorders(c) { '\u{fffd}' } else { c }).collect()
}

/// Unicode's bidirectional formatting characters.
fn reorders(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Words as a person may be shown them: each control character replaced by U+FFFD
/// before quoting. Removing them after quoting could take a closing quote with them, and
/// the command pasted from the screen would not be the one planned.
#[must_use]
pub fn shown_words(words: &[Word]) -> Vec<Word> {
    words
        .iter()
        .map(|word| {
            Word(
                word.0
                    .iter()
                    .map(|part| match part {
                        Part::Lit(text) => Part::Lit(controls_marked(text)),
                        other => other.clone(),
                    })
                    .collect(),
            )
        })
        .collect()
}

/// A command as a person may be shown it (POSIX quoting).
#[must_use]
pub fn shown_command(words: &[Word]) -> String {
    render(&shown_words(words), Shell::Posix).unwrap_or_default()
}

/// An action's commands as a person may be shown them.
#[must_use]
pub fn shown_action(action: &Action) -> Option<String> {
    match action {
        Action::Argv(argv) => Some(shown_command(argv)),
        Action::Pipeline(commands) => render_pipeline(&commands.iter().map(|c| shown_words(c)).collect::<Vec<_>>(), Shell::Posix).ok(),
        Action::Nothing => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::words;

    #[test]
    fn characters_that_reorder_a_word_show_as_replacement() {
        let shown = shown_command(&words(&["echo", "x\u{202e}; rm -rf ~ #", "\u{2066}a\u{2069}", "\u{200f}\u{061c}b\u{200e}"]));
        assert_eq!(shown, "echo 'x\u{fffd}; rm -rf ~ #' '\u{fffd}a\u{fffd}' '\u{fffd}\u{fffd}b\u{fffd}'");
        // Right-to-left text itself is kept.
        assert_eq!(controls_marked("שלום"), "שלום");
    }

    #[test]
    fn control_characters_show_as_replacement_and_the_rest_is_quoted() {
        let argv = words(&["openshell", "--label", "a\u{1b}]0;x\u{7}b", "c\u{9b}d"]);
        assert_eq!(shown_command(&argv), "openshell --label 'a\u{fffd}]0;x\u{fffd}b' 'c\u{fffd}d'");
        assert_eq!(shown_action(&Action::Argv(argv.clone())), Some(shown_command(&argv)));
        let pipeline = Action::Pipeline(vec![words(&["docker", "save", "x:1"]), words(&["podman", "load"])]);
        assert_eq!(shown_action(&pipeline).as_deref(), Some("docker save x:1 | podman load"));
        assert_eq!(shown_action(&Action::Nothing), None);
        assert_eq!(controls_marked("tab\there"), "tab\u{fffd}here");
    }
}
