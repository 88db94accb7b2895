//! The rule catalogue: the built-in rules, plus any a user adds or overrides from a
//! directory, checked once into [`Rule`]s.

use std::collections::BTreeMap;

use crate::model::Stage;
use crate::rules::pattern::UserBudget;
use crate::rules::rule_file::parse_rule;
use crate::rules::Rule;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// A rule file that could not be read or checked. The message names the file and field.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogueError {
    /// The file is not TOML.
    #[error("{file}: {message}")]
    Parse {
        /// The file.
        file: String,
        /// What is wrong, and where.
        message: String,
    },
    /// A field is missing, unknown to the rule's role, or has a bad value.
    #[error("{file}: field `{field}`: {message}")]
    Field {
        /// The file.
        file: String,
        /// The field (`parts[0].pattern` inside tables).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// Two files define the same id.
    #[error("{file}: rule id '{id}' is also defined in {other}")]
    DuplicateId {
        /// The later file.
        file: String,
        /// The id.
        id: String,
        /// The earlier file.
        other: String,
    },
}

/// Rules that name the same kind of the user's own give it the same title and fix, so
/// the answer does not depend on which of them decided.
fn one_title_and_fix_per_kind(rules: &[Rule]) -> Result<(), CatalogueError> {
    let mut first: BTreeMap<&str, &Rule> = BTreeMap::new();
    for rule in rules {
        let Some(own) = rule.user_kind() else { continue };
        match first.get(own.id.as_str()) {
            Some(other) if other.user_kind() != Some(own) => {
                let field = if other.user_kind().is_some_and(|o| o.title == own.title) { "fix" } else { "title" };
                return Err(CatalogueError::Field {
                    file: rule.file.clone(),
                    field: field.to_owned(),
                    message: format!("kind '{}' is also named in {} with another {field}: give it the same in both", own.id, other.file),
                });
            }
            Some(_) => {}
            None => {
                first.insert(&own.id, rule);
            }
        }
    }
    Ok(())
}

/// All rules, in a stable order (by stage, then id).
#[derive(Debug, Clone)]
pub struct Catalogue {
    rules: Vec<Rule>,
    /// A user's file removed a built-in rule (`disabled = true`).
    users_disabled: bool,
}

impl Catalogue {
    /// The built-in rules only.
    pub fn builtin() -> Result<Catalogue, CatalogueError> {
        Catalogue::from_sources(embedded::EMBEDDED_RULES.iter().map(|(path, text)| ((*path).to_owned(), (*text).to_owned())), Vec::new())
    }

    /// The built-in rules with a user's rule files (name, contents) added: a user rule
    /// with a built-in rule's id replaces it, and `disabled = true` removes it. Reading
    /// them is the caller's (the binary reads a directory, with limits).
    pub fn with_user_files(user: Vec<(String, String)>) -> Result<Catalogue, CatalogueError> {
        Catalogue::from_sources(embedded::EMBEDDED_RULES.iter().map(|(path, text)| ((*path).to_owned(), (*text).to_owned())), user)
    }

    /// Builds a catalogue from (file name, contents) pairs: `builtin` first, then
    /// `overrides`, which may replace built-in ids but not repeat their own. The
    /// overrides' regexes and anchors share a budget; too many or too large is an error.
    pub fn from_sources(
        builtin: impl IntoIterator<Item = (String, String)>,
        overrides: Vec<(String, String)>,
    ) -> Result<Catalogue, CatalogueError> {
        let mut by_id: BTreeMap<String, (Rule, bool)> = BTreeMap::new();
        let mut disabled = Vec::new();
        let mut users_disabled = false;
        let mut budget = UserBudget::default();
        for (is_override, (file, text)) in builtin.into_iter().map(|s| (false, s)).chain(overrides.into_iter().map(|s| (true, s))) {
            let (rule, off) = parse_rule(&file, &text, is_override.then_some(&mut budget))?;
            if let Some((existing, existing_is_override)) = by_id.get(&rule.id) {
                // A built-in file may not repeat an id, and neither may two user files.
                if !is_override || *existing_is_override {
                    return Err(CatalogueError::DuplicateId { file, id: rule.id, other: existing.file.clone() });
                }
            }
            if off {
                users_disabled |= is_override;
                disabled.push(rule.id.clone());
            }
            by_id.insert(rule.id.clone(), (rule, is_override));
        }
        for id in disabled {
            by_id.remove(&id);
        }
        let mut rules: Vec<Rule> = by_id.into_values().map(|(rule, _)| rule).collect();
        rules.sort_by(|a, b| (a.stage, &a.id).cmp(&(b.stage, &b.id)));
        one_title_and_fix_per_kind(&rules)?;
        Ok(Catalogue { rules, users_disabled })
    }

    /// Whether a user's file removed a built-in rule: any answer may then be one the
    /// built-in rules alone would not give.
    #[must_use]
    pub fn users_disabled(&self) -> bool {
        self.users_disabled
    }

    /// Every rule.
    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rules of one stage.
    pub fn for_stage(&self, stage: Stage) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |rule| rule.stage == stage)
    }

    /// The rule with this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Result<Catalogue, CatalogueError> {
        Catalogue::from_sources(Vec::new(), vec![("user/x.toml".to_owned(), text.to_owned())])
    }

    #[test]
    fn a_malformed_rule_names_its_file_and_field() {
        let err = one("id = \"x\"\nstage = \"sandbox-create\"\nrole = \"failure\"\nkind = \"image_transfer_reset\"\nanchors=[\"abc\"]\npattern = \"(\"\nexplanation = \"e\"\n").unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("user/x.toml: field `pattern`:"), "{message}");

        let err = one("id = \"x\"\nstage = \"sandbox-create\"\nrole = \"failure\"\nkind = \"nope\"\nanchors=[\"abc\"]\npattern = \"a\"\nexplanation = \"e\"\n").unwrap_err();
        assert!(err.to_string().contains("field `kind`"), "{err}");

        let err = one("id = \"x\"\nstage = \"sandbox-create\"\nrole = \"failure\"\nkind = \"unknown\"\npattern = \"a\"\nexplanation = \"e\"\npriority = \"high\"\n").unwrap_err();
        assert!(err.to_string().starts_with("user/x.toml:") && err.to_string().contains("field `priority`"), "{err}");

        let err = one("id = \"x\"\nstage = \"sandbox-create\"\nrole = \"failure\"\nkind = \"unknown\"\nanchors=[\"ab\"]\npattern = \"a\"\nexplanation = \"e\"\n").unwrap_err();
        assert!(err.to_string().contains("field `anchors`"), "{err}");

        let err = one("id = \"x\"\nstage = \"sandbox-create\"\nrole = \"failure\"\nkind = \"database_migration_incompatible\"\nanchors=[\"abc\"]\npattern = \"a\"\nexplanation = \"e\"\n").unwrap_err();
        assert!(err.to_string().contains("belongs to stage gateway-start, not sandbox-create"), "{err}");
    }

    #[test]
    fn user_rules_override_and_disable_builtin_ones() {
        let builtin = vec![
            ("a.toml".to_owned(), "id = \"a\"\nstage = \"gateway-start\"\nrole = \"failure\"\nkind = \"docker_unreachable\"\nanchors=[\"abc\"]\npattern = \"abc\"\nexplanation = \"builtin\"\n".to_owned()),
            ("b.toml".to_owned(), "id = \"b\"\nstage = \"gateway-start\"\nrole = \"failure\"\nkind = \"docker_unreachable\"\nanchors=[\"xyz\"]\npattern = \"xyz\"\nexplanation = \"builtin\"\n".to_owned()),
        ];
        let user = vec![
            ("u/a.toml".to_owned(), "id = \"a\"\nstage = \"gateway-start\"\nrole = \"failure\"\nkind = \"docker_unreachable\"\nanchors=[\"abc\"]\npattern = \"abc\"\nexplanation = \"mine\"\n".to_owned()),
            ("u/b.toml".to_owned(), "id = \"b\"\nstage = \"gateway-start\"\nrole = \"failure\"\nkind = \"docker_unreachable\"\nanchors=[\"xyz\"]\npattern = \"xyz\"\nexplanation = \"off\"\ndisabled = true\n".to_owned()),
        ];
        let catalogue = Catalogue::from_sources(builtin.clone(), user).unwrap();
        assert_eq!(catalogue.get("a").unwrap().explanation, "mine");
        assert!(catalogue.get("b").is_none());

        let twice = vec![builtin[0].clone(), ("again.toml".to_owned(), builtin[0].1.clone())];
        assert!(matches!(Catalogue::from_sources(twice, Vec::new()), Err(CatalogueError::DuplicateId { .. })));
    }
}
