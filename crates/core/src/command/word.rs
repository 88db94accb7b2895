//! Commands as data: a command is a list of [`Word`]s, never a joined string, so each
//! shell gets a rendering that passes exactly those words to the program.

/// A piece of a word: literal text, or the value of a named placeholder variable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Part {
    /// Literal text.
    Lit(String),
    /// A placeholder the operator must set.
    Var(String),
    /// An environment variable every login session has (`HOME`, `USER`).
    Env(String),
}

/// One argument: its parts, concatenated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Word(pub Vec<Part>);

impl Word {
    #[must_use]
    /// A literal word.
    pub fn lit(text: impl Into<String>) -> Word {
        Word(vec![Part::Lit(text.into())])
    }

    /// A placeholder: the whole word is the value of variable `name` (upper case,
    /// digits, `_`).
    #[must_use]
    pub fn var(name: impl Into<String>) -> Word {
        Word(vec![Part::Var(name.into())])
    }

    /// The word's literal text, when it has no placeholder.
    #[must_use]
    pub fn as_literal(&self) -> Option<String> {
        self.0
            .iter()
            .map(|p| match p {
                Part::Lit(s) => Some(s.as_str()),
                Part::Var(_) | Part::Env(_) => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.concat())
    }

    #[must_use]
    /// The placeholder variables the word reads.
    pub fn placeholders(&self) -> Vec<&str> {
        self.0
            .iter()
            .filter_map(|p| match p {
                Part::Var(name) => Some(name.as_str()),
                Part::Lit(_) | Part::Env(_) => None,
            })
            .collect()
    }

    /// The word for people: placeholders shown as `<NAME>`.
    #[must_use]
    pub fn display(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Part::Lit(s) => s.clone(),
                Part::Var(name) => format!("<{name}>"),
                Part::Env(name) => format!("${name}"),
            })
            .collect()
    }
}

/// Words from plain strings.
#[must_use]
pub fn words<S: AsRef<str>>(argv: &[S]) -> Vec<Word> {
    argv.iter().map(|a| Word::lit(a.as_ref())).collect()
}

impl From<&str> for Word {
    fn from(text: &str) -> Word {
        Word::lit(text)
    }
}

impl From<String> for Word {
    fn from(text: String) -> Word {
        Word::lit(text)
    }
}

impl From<&crate::model::ImageRef> for Word {
    fn from(image: &crate::model::ImageRef) -> Word {
        Word::lit(image.as_str())
    }
}
