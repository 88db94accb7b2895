//! The fields of a failure or supporting rule, and the kind it names: the catalogue's,
//! or in a user's failure rule one of the user's own.

use std::sync::Arc;

use serde::Deserialize;

use super::Fields;
use crate::model::{Engine, Kind, Phase, PhaseScope, RuleKind, UserKind};
use crate::rules::rule::{LineMatcher, LineRule};
use crate::rules::CatalogueError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LineFile {
    kind: String,
    /// A kind of the user's own: one line saying what failed.
    title: Option<String>,
    /// A kind of the user's own: what the operator does about it.
    fix: Option<String>,
    #[serde(default)]
    phases: Vec<PhaseScope>,
    #[serde(default)]
    anchors: Vec<String>,
    pattern: Option<String>,
    #[serde(default)]
    parts: Vec<PartFile>,
    within_lines: Option<u64>,
    engine: Option<Engine>,
    places_phase: Option<Phase>,
    #[serde(default)]
    wraps: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartFile {
    anchors: Vec<String>,
    pattern: String,
}

impl Fields<'_> {
    /// The kind a line rule names: the catalogue's, or, in a user's failure rule, one of
    /// the user's own with its title and fix.
    fn line_kind(&self, l: &LineFile, decides: bool) -> Result<(Kind, Option<Arc<UserKind>>), CatalogueError> {
        if !(decides && self.is_users()) {
            if l.title.is_some() || l.fix.is_some() {
                let why = if decides {
                    "a built-in rule names a kind of the catalogue"
                } else {
                    "a kind of your own is decided by a failure rule; a supporting rule supports a catalogue kind"
                };
                return Err(self.error("title", why.to_owned()));
            }
            return l
                .kind
                .parse()
                .map(|kind| (kind, None))
                .map_err(|unknown: crate::model::UnknownId| self.error("kind", unknown.to_string()));
        }
        match RuleKind::named(&l.kind, l.title.as_deref(), l.fix.as_deref()).map_err(|e| self.error(e.field, e.message))? {
            RuleKind::Catalogue(kind) => Ok((kind, None)),
            RuleKind::Own(own) => Ok((Kind::UserKind, Some(Arc::new(own)))),
        }
    }

    /// Whether the file is a user's (its regexes charge a budget).
    pub(super) fn is_users(&self) -> bool {
        self.budget.borrow().is_some()
    }

    pub(super) fn line_rule(&self, l: LineFile, decides: bool) -> Result<LineRule, CatalogueError> {
        let (kind, user_kind) = self.line_kind(&l, decides)?;
        let matcher = match (l.pattern, l.parts.is_empty()) {
            (Some(pattern), true) => LineMatcher::Line(self.pattern(&l.anchors, &pattern, "anchors", "pattern")?),
            (None, false) if l.anchors.is_empty() => LineMatcher::Parts {
                parts: l
                    .parts
                    .iter()
                    .map(|part| self.pattern(&part.anchors, &part.pattern, "parts.anchors", "parts.pattern"))
                    .collect::<Result<_, _>>()?,
                within_lines: l.within_lines,
            },
            (None, true) => return Err(self.error("pattern", "a line rule needs `pattern` or `parts`".to_owned())),
            _ => return Err(self.error("parts", "give either `pattern` and `anchors`, or `parts`, not both".to_owned())),
        };
        if l.within_lines.is_some() && matches!(matcher, LineMatcher::Line(_)) {
            return Err(self.error("within_lines", "applies to `parts` only".to_owned()));
        }
        if l.within_lines == Some(0) {
            return Err(self.error("within_lines", "must be at least 1 (the parts on one line)".to_owned()));
        }
        Ok(LineRule { kind, user_kind, phases: l.phases, matcher, engine: l.engine, places_phase: l.places_phase, wraps: l.wraps })
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{Catalogue, CatalogueError};

    fn rule(id: &str, role: &str, kind: &str, own: &str) -> String {
        format!("id = \"{id}\"\nstage = \"gateway-start\"\nrole = \"{role}\"\nkind = \"{kind}\"\n{own}anchors = [\"cgroup\"]\npattern = 'cgroup v1'\nexplanation = \"e\"\n")
    }

    const OWN: &str = "title = \"The host runs cgroup v1\"\nfix = \"Boot the host with cgroup v2.\"\n";

    fn users(files: &[String]) -> Result<Catalogue, CatalogueError> {
        Catalogue::from_sources(Vec::new(), files.iter().enumerate().map(|(i, text)| (format!("mine/{i}.toml"), text.clone())).collect())
    }

    fn field(result: Result<Catalogue, CatalogueError>) -> (String, String) {
        match result {
            Err(CatalogueError::Field { file, field, message }) => (format!("{file} {field}"), message),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_users_failure_rule_names_a_kind_of_its_own_in_any_stage() {
        let catalogue = users(&[rule("mine.cgroup", "failure", "cgroup_v1_host", OWN)]).unwrap();
        let own = catalogue.get("mine.cgroup").and_then(|r| r.user_kind()).expect("a kind of its own");
        assert_eq!(
            (own.id.as_str(), own.title.as_str(), own.fix.as_str()),
            ("cgroup_v1_host", "The host runs cgroup v1", "Boot the host with cgroup v2.")
        );
        assert_eq!(catalogue.get("mine.cgroup").and_then(crate::rules::Rule::kind), Some(crate::model::Kind::UserKind));
    }

    #[test]
    fn a_kind_of_ones_own_needs_a_valid_id_a_title_and_a_fix() {
        let (at, message) = field(users(&[rule("x", "failure", "cgroup_v1_host", "")]));
        assert_eq!(at, "mine/0.toml kind");
        assert!(message.contains("unknown kind 'cgroup_v1_host'") && message.contains("give its title and fix too"), "{message}");
        let (at, _) = field(users(&[rule("x", "failure", "cgroup_v1_host", "title = \"t\"\n")]));
        assert_eq!(at, "mine/0.toml fix");
        let (at, message) = field(users(&[rule("x", "failure", "docker_unreachable", OWN)]));
        assert_eq!(at, "mine/0.toml kind");
        assert!(message.contains("is a built-in kind"), "{message}");
        let (at, _) = field(users(&[rule("x", "failure", "Cgroup-V1", OWN)]));
        assert_eq!(at, "mine/0.toml kind");
        // The reserved id is not offered as one of one's own.
        let (_, message) = field(users(&[rule("x", "failure", "user_kind", "")]));
        assert!(message.contains("unknown kind 'user_kind'") && !message.contains("title"), "{message}");
        // Provider validation is answered by provider rules alone.
        let provider = rule("x", "failure", "cgroup_v1_host", OWN).replace("gateway-start", "provider-validation");
        let (at, message) = field(users(&[provider]));
        assert_eq!(at, "mine/0.toml kind");
        assert!(
            message.contains(
                "'cgroup_v1_host' is a kind of your own: it belongs to stage sandbox-create or gateway-start, not provider-validation"
            ),
            "{message}"
        );
    }

    #[test]
    fn only_a_users_failure_rule_may_name_one() {
        let (at, message) = field(users(&[rule("x", "supporting", "cgroup_v1_host", OWN)]));
        assert_eq!(at, "mine/0.toml title");
        assert!(message.contains("decided by a failure rule"), "{message}");
        let built_in = Catalogue::from_sources(vec![("b.toml".to_owned(), rule("b", "failure", "cgroup_v1_host", OWN))], Vec::new());
        let (at, message) = field(built_in);
        assert_eq!(at, "b.toml title");
        assert!(message.contains("names a kind of the catalogue"), "{message}");
    }

    #[test]
    fn rules_naming_the_same_kind_give_it_the_same_title_and_fix() {
        let same = [rule("a", "failure", "cgroup_v1_host", OWN), rule("b", "failure", "cgroup_v1_host", OWN)];
        assert!(users(&same).is_ok());
        let other = rule("b", "failure", "cgroup_v1_host", "title = \"Another title\"\nfix = \"Boot the host with cgroup v2.\"\n");
        let (at, message) = field(users(&[rule("a", "failure", "cgroup_v1_host", OWN), other]));
        assert_eq!(at, "mine/1.toml title");
        assert!(message.contains("also named in mine/0.toml with another title"), "{message}");
        let other = rule("b", "failure", "cgroup_v1_host", "title = \"The host runs cgroup v1\"\nfix = \"Another fix.\"\n");
        let (at, _) = field(users(&[rule("a", "failure", "cgroup_v1_host", OWN), other]));
        assert_eq!(at, "mine/1.toml fix");
    }
}
