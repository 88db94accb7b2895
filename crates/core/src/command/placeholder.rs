//! Values a command needs that the tool must not print (credentials) or cannot know (a
//! temporary file deleted after the failure, the gateway when the output does not name
//! it): the rendered command reads each from an environment variable, and the operator
//! is told which to set and why.

use crate::command::{Part, Word};

/// A value the operator must supply, read from an environment variable of this name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Placeholder {
    /// The variable's name (upper case, digits, `_`).
    pub name: String,
    /// Why the value is not printed.
    pub reason: String,
}

/// The placeholders a set of commands uses, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placeholders {
    list: Vec<Placeholder>,
}

impl Placeholders {
    /// The placeholder `name`, registered on first use: every command that needs the
    /// same value reads the same variable.
    pub fn named(&mut self, name: &str, reason: &str) -> Word {
        if !self.list.iter().any(|p| p.name == name) {
            self.list.push(Placeholder { name: name.to_owned(), reason: reason.to_owned() });
        }
        Word::var(name)
    }

    /// A new placeholder named after `hint` (upper-cased, other characters `_`), with a
    /// suffix when the name is taken: two different values never share a variable.
    pub fn fresh(&mut self, hint: &str, reason: &str) -> Part {
        let mut base: String = hint.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
        base = base.trim_matches('_').to_owned();
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base.insert_str(0, "VALUE_");
        }
        let mut name = base.clone();
        let mut n = 2;
        while self.list.iter().any(|p| p.name == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.list.push(Placeholder { name: name.clone(), reason: reason.to_owned() });
        Part::Var(name)
    }

    /// Takes in another command's placeholders; a name already registered is the same
    /// value.
    pub fn adopt(&mut self, other: Placeholders) {
        for p in other.list {
            if !self.list.iter().any(|q| q.name == p.name) {
                self.list.push(p);
            }
        }
    }

    /// Every placeholder, in the order first used.
    #[must_use]
    pub fn list(&self) -> &[Placeholder] {
        &self.list
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

impl IntoIterator for Placeholders {
    type Item = Placeholder;
    type IntoIter = std::vec::IntoIter<Placeholder>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

impl<'a> IntoIterator for &'a Placeholders {
    type Item = &'a Placeholder;
    type IntoIter = std::slice::Iter<'a, Placeholder>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

impl Placeholders {
    /// The placeholders, in the order first used.
    pub fn iter(&self) -> std::slice::Iter<'_, Placeholder> {
        self.list.iter()
    }
}
