//! The rule catalogue: the built-in rules, plus any a user adds or overrides from a
//! directory, checked once into [`Rule`]s.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use crate::host::Version;
use crate::kind::{Kind, Retry, Stage};
use crate::phase::{Phase, PhaseScope};
use crate::rule::{Effects, Engine, Matcher, Pattern, ProviderCondition, Role, Rule, RuleCase};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// A rule file that could not be read or checked. The message names the file and field.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: field `{field}`: {message}")]
    Field { file: String, field: &'static str, message: String },
    #[error("cannot read rules directory {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: rule id '{id}' is also defined in {other}")]
    DuplicateId { file: String, id: String, other: String },
}

/// A rule file as written. Its flags mirror the file format one to one.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    stage: String,
    role: String,
    kind: Option<String>,
    #[serde(default)]
    priority: i32,
    #[serde(default)]
    phases: Vec<String>,
    #[serde(default)]
    anchors: Vec<String>,
    pattern: Option<String>,
    #[serde(default)]
    parts: Vec<RawPart>,
    within_lines: Option<u64>,
    continue_until: Option<String>,
    sets_phase: Option<String>,
    #[serde(default)]
    starts_step: bool,
    engine: Option<String>,
    #[serde(default)]
    uploaded: bool,
    tag: Option<String>,
    #[serde(default)]
    requires_evidence: Vec<String>,
    #[serde(default)]
    correlate_packages: bool,
    #[serde(default)]
    exit_status: Vec<i32>,
    #[serde(default)]
    curl_nonzero: bool,
    #[serde(default)]
    http_status: Vec<u16>,
    http_status_range: Option<[u16; 2]>,
    max_openshell: Option<String>,
    min_openshell: Option<String>,
    retry: Option<String>,
    #[serde(default)]
    disabled: bool,
    explanation: String,
    #[serde(default)]
    cases: Vec<RawCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPart {
    anchors: Vec<String>,
    pattern: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    text: String,
    fires: bool,
    exit_status: Option<i32>,
    http_status: Option<u16>,
    curl_status: Option<i32>,
}

/// All rules, in a stable order (by stage, then id).
#[derive(Debug, Clone)]
pub struct Catalogue {
    rules: Vec<Rule>,
}

impl Catalogue {
    /// The built-in rules only.
    pub fn builtin() -> Result<Catalogue, CatalogueError> {
        Catalogue::from_sources(embedded::EMBEDDED_RULES.iter().map(|(path, text)| ((*path).to_owned(), (*text).to_owned())), Vec::new())
    }

    /// The built-in rules with the `*.toml` files of `dir` (searched recursively) added;
    /// a user rule with a built-in rule's id replaces it, and `disabled = true` removes it.
    pub fn with_user_dir(dir: &Path) -> Result<Catalogue, CatalogueError> {
        let mut files = Vec::new();
        collect_toml(dir, &mut files)?;
        files.sort();
        let mut user = Vec::new();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|source| CatalogueError::Io { path: path.clone(), source })?;
            user.push((path.display().to_string(), text));
        }
        Catalogue::from_sources(embedded::EMBEDDED_RULES.iter().map(|(path, text)| ((*path).to_owned(), (*text).to_owned())), user)
    }

    /// Builds a catalogue from (file name, contents) pairs: `builtin` first, then
    /// `overrides`, which may replace built-in ids but not repeat their own.
    pub fn from_sources(
        builtin: impl IntoIterator<Item = (String, String)>,
        overrides: Vec<(String, String)>,
    ) -> Result<Catalogue, CatalogueError> {
        let mut by_id: BTreeMap<String, (Rule, bool)> = BTreeMap::new();
        let mut disabled = Vec::new();
        for (is_override, (file, text)) in builtin.into_iter().map(|s| (false, s)).chain(overrides.into_iter().map(|s| (true, s))) {
            let (rule, off) = parse_rule(&file, &text)?;
            if let Some((existing, existing_is_override)) = by_id.get(&rule.id) {
                // A built-in file may not repeat an id, and neither may two user files.
                if !is_override || *existing_is_override {
                    return Err(CatalogueError::DuplicateId { file, id: rule.id, other: existing.source.clone() });
                }
            }
            if off {
                disabled.push(rule.id.clone());
            }
            by_id.insert(rule.id.clone(), (rule, is_override));
        }
        for id in disabled {
            by_id.remove(&id);
        }
        let mut rules: Vec<Rule> = by_id.into_values().map(|(rule, _)| rule).collect();
        rules.sort_by(|a, b| (a.stage, &a.id).cmp(&(b.stage, &b.id)));
        Ok(Catalogue { rules })
    }

    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn for_stage(&self, stage: Stage) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |rule| rule.stage == stage)
    }

    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id == id)
    }
}

fn collect_toml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), CatalogueError> {
    let entries = std::fs::read_dir(dir).map_err(|source| CatalogueError::Io { path: dir.to_owned(), source })?;
    for entry in entries {
        let entry = entry.map_err(|source| CatalogueError::Io { path: dir.to_owned(), source })?;
        let path = entry.path();
        if path.is_dir() {
            collect_toml(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Regexes run on candidate lines only, and lines can be long; keep each compiled
/// program and its lazy DFA cache small so memory stays bounded however many rules a
/// user adds.
fn compile_regex(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .size_limit(2 << 20)
        .dfa_size_limit(1 << 20)
        .build()
        .map_err(|e| e.to_string().lines().last().unwrap_or("invalid regex").trim().to_owned())
}

fn parse_rule(file: &str, text: &str) -> Result<(Rule, bool), CatalogueError> {
    let raw: RawRule = toml::from_str(text)
        .map_err(|e| CatalogueError::Parse { file: file.to_owned(), message: e.message().to_owned() + &span_hint(text, e.span()) })?;
    let field = |field: &'static str| move |message: String| CatalogueError::Field { file: file.to_owned(), field, message };

    if raw.id.is_empty() || !raw.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_')) {
        return Err(field("id")(format!("'{}' must be non-empty lowercase letters, digits, '.', '-' or '_'", raw.id)));
    }
    let stage: Stage = raw.stage.parse().map_err(field("stage"))?;
    let role = Role::parse(&raw.role).map_err(field("role"))?;
    let kind = raw.kind.as_deref().map(str::parse::<Kind>).transpose().map_err(field("kind"))?;
    if let Some(kind) = kind {
        if kind.stage().is_some_and(|s| s != stage) {
            return Err(field("kind")(format!("kind '{kind}' belongs to stage {}, not {stage}", kind.stage().map_or("", Stage::as_str))));
        }
    }
    let needs_kind = matches!(role, Role::Failure | Role::Supporting | Role::FailedCommand | Role::ExitStatus | Role::Provider);
    if needs_kind && kind.is_none() {
        return Err(field("kind")(format!("role '{}' needs a kind", raw.role)));
    }
    let phases = raw.phases.iter().map(|p| p.parse::<PhaseScope>()).collect::<Result<Vec<_>, _>>().map_err(field("phases"))?;
    let matcher = build_matcher(file, &raw, role)?;
    if role == Role::Provider && raw.retry.is_none() {
        return Err(field("retry")("a provider rule needs `retry`".to_owned()));
    }
    if let Some(until) = &raw.continue_until {
        if until.bytes().any(|b| b.is_ascii_uppercase()) || until.is_empty() {
            return Err(field("continue_until")("must be a non-empty lowercase literal".to_owned()));
        }
    }
    let parse_version = |v: &Option<String>, name: &'static str| v.as_deref().map(str::parse::<Version>).transpose().map_err(field(name));
    let checked = Rule {
        id: raw.id,
        source: file.to_owned(),
        stage,
        role,
        kind,
        priority: raw.priority,
        phases,
        matcher,
        continue_until: raw.continue_until,
        effects: Effects {
            sets_phase: raw.sets_phase.as_deref().map(str::parse::<Phase>).transpose().map_err(field("sets_phase"))?,
            starts_step: raw.starts_step,
            engine: raw.engine.as_deref().map(Engine::parse).transpose().map_err(field("engine"))?,
            uploaded: raw.uploaded,
        },
        tag: raw.tag,
        requires_evidence: raw.requires_evidence,
        correlate_packages: raw.correlate_packages,
        max_openshell: parse_version(&raw.max_openshell, "max_openshell")?,
        min_openshell: parse_version(&raw.min_openshell, "min_openshell")?,
        retry: raw.retry.as_deref().map(str::parse::<Retry>).transpose().map_err(field("retry"))?,
        explanation: raw.explanation.trim().to_owned(),
        cases: raw
            .cases
            .into_iter()
            .map(|c| RuleCase {
                text: c.text,
                fires: c.fires,
                exit_status: c.exit_status,
                http_status: c.http_status,
                curl_status: c.curl_status,
            })
            .collect(),
    };
    Ok((checked, raw.disabled))
}

/// Where a TOML error is: the line, and the field when the line assigns one.
/// What a rule matches, from its role and the fields that go with it.
fn build_matcher(file: &str, raw: &RawRule, role: Role) -> Result<Matcher, CatalogueError> {
    let field = |field: &'static str| move |message: String| CatalogueError::Field { file: file.to_owned(), field, message };
    let check_anchors = |anchors: &[String], field_name: &'static str| -> Result<Vec<String>, CatalogueError> {
        if anchors.is_empty() {
            return Err(field(field_name)("a line rule needs at least one anchor (a literal every matching line contains)".to_owned()));
        }
        for anchor in anchors {
            if anchor.len() < 3 {
                return Err(field(field_name)(format!("anchor '{anchor}' must be at least 3 bytes long")));
            }
        }
        Ok(anchors.to_vec())
    };

    Ok(match role {
        _ if role.matches_lines() => {
            if raw.parts.is_empty() {
                let pattern =
                    raw.pattern.as_deref().ok_or_else(|| field("pattern")("a line rule needs `pattern` or `parts`".to_owned()))?;
                Matcher::Line(Pattern {
                    anchors: check_anchors(&raw.anchors, "anchors")?,
                    regex: compile_regex(pattern).map_err(field("pattern"))?,
                })
            } else {
                if raw.pattern.is_some() || !raw.anchors.is_empty() {
                    return Err(field("parts")("give either `pattern` and `anchors`, or `parts`, not both".to_owned()));
                }
                let parts = raw
                    .parts
                    .iter()
                    .map(|part| {
                        Ok(Pattern {
                            anchors: check_anchors(&part.anchors, "parts.anchors")?,
                            regex: compile_regex(&part.pattern).map_err(field("parts.pattern"))?,
                        })
                    })
                    .collect::<Result<Vec<_>, CatalogueError>>()?;
                Matcher::Parts { parts, within_lines: raw.within_lines }
            }
        }
        Role::FailedCommand => Matcher::Command(raw.pattern.as_deref().map(compile_regex).transpose().map_err(field("pattern"))?),
        Role::ExitStatus => {
            if raw.exit_status.is_empty() {
                return Err(field("exit_status")("an exit-status rule needs at least one status".to_owned()));
            }
            Matcher::Exit(raw.exit_status.clone())
        }
        _ => Matcher::Provider(ProviderCondition {
            curl_nonzero: raw.curl_nonzero,
            http_status: raw.http_status.clone(),
            http_status_range: raw.http_status_range.map(|[lo, hi]| (lo, hi)),
            message: raw.pattern.as_deref().map(compile_regex).transpose().map_err(field("pattern"))?,
        }),
    })
}

fn span_hint(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let Some(span) = span else { return String::new() };
    let start = span.start.min(text.len());
    let line = text[..start].bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_text = text[line_start..].lines().next().unwrap_or_default();
    match line_text.split_once('=') {
        Some((key, _)) if !key.trim().is_empty() && !key.contains('[') => format!(" (field `{}`, line {line})", key.trim()),
        _ => format!(" (line {line})"),
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

        let err = one("id = \"x\"\nstage = \"sandbox-create\"\nrole = \"failure\"\nkind = \"docker_unreachable\"\nanchors=[\"abc\"]\npattern = \"a\"\nexplanation = \"e\"\n").unwrap_err();
        assert!(err.to_string().contains("belongs to stage gateway-start"), "{err}");
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
