//! Values a command needs that the tool must not print (credentials) or cannot know (a
//! temporary file deleted after the failure, the gateway when the output does not name
//! it). A rendered command reads each from a variable of its own, `SANDBOX_TRIAGE_<NAME>`,
//! which no shell or login session sets by itself: a placeholder named `PATH` or `HOME`
//! can never be filled from the operator's own environment by accident.
//!
//! A value the failed create itself carried (a credential in its argv, its runtime
//! environment, its temporary policy file) is kept with the placeholder, never printed:
//! carrying the plan out uses the create's own value, not whatever the operator's shell
//! happens to hold under that name.

use std::fmt;

use crate::command::{Part, Sensitivity, ValueKind, Word};

/// The prefix of the variable a placeholder is read from.
pub const VARIABLE_PREFIX: &str = "SANDBOX_TRIAGE_";

/// A value the failed create carried. Its text is never printed: `Debug` masks it.
#[derive(Clone, PartialEq, Eq)]
pub struct Carried {
    /// The value, as the create had it.
    pub value: String,
    /// A temporary file or directory, likely deleted after the failure: when it is gone,
    /// the operator gives a replacement.
    pub temporary: bool,
}

impl fmt::Debug for Carried {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Carried").field("value", &"<not shown>").field("temporary", &self.temporary).finish()
    }
}

/// A value the operator must supply, or the create carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// The name (upper case, digits, `_`); the variable is [`Placeholder::variable`].
    pub name: String,
    /// Why the value is not printed.
    pub reason: String,
    /// What the value must be.
    pub kind: ValueKind,
    /// How it may be shown: a secret is masked everywhere.
    pub sensitivity: Sensitivity,
    /// The create's own value, when its argv had one.
    pub carried: Option<Carried>,
}

impl Placeholder {
    /// The variable a rendered command reads: `SANDBOX_TRIAGE_<NAME>`.
    #[must_use]
    pub fn variable(&self) -> String {
        variable(&self.name)
    }
}

/// The variable a placeholder called `name` is read from.
#[must_use]
pub fn variable(name: &str) -> String {
    format!("{VARIABLE_PREFIX}{name}")
}

/// What a new placeholder is: its kind, how sensitive, and the create's own value.
#[derive(Debug, Clone)]
pub struct Spec<'a> {
    /// What the value must be.
    pub kind: ValueKind,
    /// How it may be shown.
    pub sensitivity: Sensitivity,
    /// The create's own value.
    pub carried: Option<Carried>,
    /// Why it is a placeholder.
    pub reason: &'a str,
}

impl<'a> Spec<'a> {
    /// A public value nobody gave.
    #[must_use]
    pub fn asked(kind: ValueKind, reason: &'a str) -> Spec<'a> {
        Spec { kind, sensitivity: Sensitivity::Public, carried: None, reason }
    }

    /// The create's own value, shown as a placeholder.
    #[must_use]
    pub fn carried(kind: ValueKind, sensitivity: Sensitivity, value: &str, reason: &'a str) -> Spec<'a> {
        Spec { kind, sensitivity, carried: Some(Carried { value: value.to_owned(), temporary: false }), reason }
    }

    /// The create's own temporary file or directory.
    #[must_use]
    pub fn temporary(kind: ValueKind, value: &str, reason: &'a str) -> Spec<'a> {
        let carried = Some(Carried { value: value.to_owned(), temporary: true });
        Spec { kind, sensitivity: Sensitivity::HostSpecific, carried, reason }
    }
}

/// The placeholders a set of commands uses, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placeholders {
    list: Vec<Placeholder>,
}

impl Placeholders {
    /// The placeholder `name`, registered on first use: every command that needs the
    /// same value reads the same variable. A different value already registered under
    /// that name (the create's own `GATEWAY=…` beside the gateway nobody gave) gets a
    /// name of its own: two values never share a variable.
    pub fn named(&mut self, name: &str, spec: Spec<'_>) -> Word {
        Word(vec![self.register(name, spec)])
    }

    /// A new placeholder named after `hint` (upper-cased, other characters `_`), with a
    /// suffix when the name is taken by a different value.
    pub fn fresh(&mut self, hint: &str, spec: Spec<'_>) -> Part {
        let mut base: String = hint.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
        base = base.trim_matches('_').to_owned();
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base.insert_str(0, "VALUE_");
        }
        self.register(&base, spec)
    }

    /// The variable for `spec` under `base`, or `base_2`, `base_3`…: the same value
    /// (kind, sensitivity, the create's own value) reuses its name.
    fn register(&mut self, base: &str, spec: Spec<'_>) -> Part {
        let same = |p: &Placeholder| p.kind == spec.kind && p.sensitivity == spec.sensitivity && p.carried == spec.carried;
        let mut name = base.to_owned();
        let mut n = 2;
        loop {
            match self.list.iter().find(|p| p.name == name) {
                Some(existing) if same(existing) => return Part::Var(name),
                Some(_) => {
                    name = format!("{base}_{n}");
                    n += 1;
                }
                None => break,
            }
        }
        self.list.push(Placeholder {
            name: name.clone(),
            reason: spec.reason.to_owned(),
            kind: spec.kind,
            sensitivity: spec.sensitivity,
            carried: spec.carried,
        });
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

    /// The placeholder called `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Placeholder> {
        self.list.iter().find(|p| p.name == name)
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The placeholders, in the order first used.
    pub fn iter(&self) -> std::slice::Iter<'_, Placeholder> {
        self.list.iter()
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
