//! Which placeholders a plan's steps read: every command, check, looked-for word and
//! undo of each step. A value is checked as the argument it stands for, and a value
//! that is a word of its own must not look like a flag.

use crate::command::Word;
use crate::plan::{Action, Holds, Step};

/// One placeholder the steps read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    /// Its name.
    pub name: String,
    /// Some command has it as a word of its own (not the tail of `KEY=…`).
    pub whole_word: bool,
}

/// Every word a step runs, checks, looks for or undoes with.
#[must_use]
pub fn step_words(step: &Step) -> Vec<&Word> {
    let mut words: Vec<&Word> = step.commands().into_iter().flatten().collect();
    for check in [&step.pre, &step.post, &step.skip_if].into_iter().flatten() {
        match &check.holds {
            Holds::PrintsLine { line } => words.push(line),
            Holds::PrintsRow { first, last } => words.extend([first, last]),
            Holds::LacksRow { first } => words.push(first),
            Holds::Succeeds => {}
        }
    }
    if let Some(Action::Pipeline(undo)) = &step.undo {
        words.extend(undo.iter().flatten());
    }
    words
}

/// The placeholders `steps` read, each once, in the order first read.
#[must_use]
pub fn reads(steps: &[Step]) -> Vec<Read> {
    let mut names: Vec<Read> = Vec::new();
    for word in steps.iter().flat_map(step_words) {
        let whole = word.0.len() == 1;
        for name in word.placeholders() {
            match names.iter_mut().find(|r| r.name == name) {
                Some(read) => read.whole_word |= whole,
                None => names.push(Read { name: name.to_owned(), whole_word: whole }),
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Part;
    use crate::plan::{Applicability, Check};

    #[test]
    fn a_placeholder_read_whole_anywhere_is_a_whole_word() {
        let tail = Word(vec![Part::Lit("--name=".into()), Part::Var("NAME".into())]);
        let step = Step::argv(Applicability::Confirm, "Create", vec![Word::lit("create"), tail.clone(), Word::var("IMAGE")])
            .with_post(Check::prints_row(vec![Word::lit("list")], Word::var("ROW"), "Ready", "a row"))
            .with_skip_if(Check {
                argv: vec![Word::lit("list")],
                expect: "gone".into(),
                holds: Holds::LacksRow { first: Word::var("GONE") },
                readings: Vec::new(),
            });
        let read = |steps: &[Step]| reads(steps).into_iter().map(|r| (r.name, r.whole_word)).collect::<Vec<_>>();
        let expected = [("NAME", false), ("IMAGE", true), ("ROW", true), ("GONE", true)].map(|(n, w)| (n.to_owned(), w));
        assert_eq!(read(std::slice::from_ref(&step)), expected);
        // Read whole by a later step: whole.
        let later = Step::argv(Applicability::Confirm, "Delete", vec![Word::lit("delete"), Word::var("NAME")]);
        assert_eq!(read(&[step.clone(), later.clone()])[0], ("NAME".to_owned(), true));
        assert_eq!(read(&[later, step])[0], ("NAME".to_owned(), true));
    }
}
