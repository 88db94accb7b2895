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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(placeholders: &Placeholders) -> Vec<&str> {
        placeholders.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn the_same_value_reuses_its_name_and_another_gets_one_of_its_own() {
        let mut p = Placeholders::default();
        let asked = || Spec::asked(ValueKind::Name, "the gateway");
        let carried = |v: &str| Spec::carried(ValueKind::Text, Sensitivity::HostSpecific, v, "the create's");
        assert_eq!(p.named("GATEWAY", asked()), Word::var("GATEWAY"));
        assert_eq!(p.named("GATEWAY", asked()), Word::var("GATEWAY"));
        assert_eq!(p.fresh("gateway", carried("prod")), Part::Var("GATEWAY_2".into()));
        assert_eq!(p.fresh("gateway", carried("prod")), Part::Var("GATEWAY_2".into()));
        assert_eq!(p.fresh("gateway", carried("test")), Part::Var("GATEWAY_3".into()));
        assert_eq!(p.fresh("--hf-token", carried("x")), Part::Var("HF_TOKEN".into()));
        assert_eq!(p.fresh("9lives", carried("x")), Part::Var("VALUE_9LIVES".into()));
        assert_eq!(p.fresh("", carried("y")), Part::Var("VALUE_".into()));
        assert_eq!(names(&p), ["GATEWAY", "GATEWAY_2", "GATEWAY_3", "HF_TOKEN", "VALUE_9LIVES", "VALUE_"]);
        // A different kind or sensitivity is a different value too.
        assert_eq!(p.named("GATEWAY", Spec::asked(ValueKind::Text, "the gateway")), Word::var("GATEWAY_4"));
        assert_eq!(p.get("GATEWAY_2").map(Placeholder::variable), Some("SANDBOX_TRIAGE_GATEWAY_2".to_owned()));
        assert_eq!(p.get("nope"), None);
    }

    #[test]
    fn placeholders_are_listed_and_iterated_in_the_order_first_used() {
        let mut p = Placeholders::default();
        assert!(p.is_empty());
        p.named("A", Spec::asked(ValueKind::Name, "first"));
        p.named("B", Spec::asked(ValueKind::Name, "b"));
        assert!(!p.is_empty());
        assert_eq!(p.list()[0].reason, "first");
        assert_eq!((&p).into_iter().count(), 2);
        assert_eq!(p.into_iter().map(|p| p.name).collect::<Vec<_>>(), ["A", "B"]);
    }

    #[test]
    fn a_carried_value_is_never_printed_by_debug() {
        let carried = Carried { value: "nvapi-secret-0123".to_owned(), temporary: true };
        let shown = format!("{carried:?}");
        assert_eq!(shown, "Carried { value: \"<not shown>\", temporary: true }");
    }
}
