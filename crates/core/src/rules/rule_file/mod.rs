//! The rule file format: TOML whose `role` picks the fields the rest of the file may use.
//!
//! The fields every rule has are read first; the others must be exactly the role's, so
//! a field the role would ignore is an error naming the file and the field.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::model::{Engine, Kind, Phase, PhaseScope, Retry, Stage, Version};
use crate::rules::field_errors::{backticked, fields_of, span_hint};
use crate::rules::pattern::{at_line_start, compile_regex, UserBudget};
use crate::rules::rule::{
    BuildLine, BuildSummaryRule, ExitStatusRule, FailedCommandRule, MarkerRule, Provenance, ProviderRule, Releases, Role, Rule, RuleCase,
    StepEvidenceRule,
};
use crate::rules::{CatalogueError, Pattern};

mod line;

/// The longest `source` a rule may give.
const SOURCE_MAX: usize = 1024;

/// The fields every rule has, whatever its role.
#[derive(Debug, Deserialize)]
struct Common {
    id: String,
    stage: Stage,
    #[serde(default)]
    priority: i32,
    explanation: String,
    #[serde(default)]
    cases: Vec<CaseFile>,
    #[serde(default)]
    disabled: bool,
    min_openshell: Option<Version>,
    max_openshell: Option<Version>,
    source: Option<String>,
    added: Option<Version>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    text: String,
    fires: bool,
    exit_status: Option<i32>,
    http_status: Option<u16>,
    curl_status: Option<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
// The file format's switches, read into one `BuildLine`.
#[allow(clippy::struct_excessive_bools)]
struct MarkerFile {
    #[serde(default)]
    phases: Vec<PhaseScope>,
    anchors: Vec<String>,
    pattern: String,
    sets_phase: Option<Phase>,
    #[serde(default)]
    starts_step: bool,
    engine: Option<Engine>,
    #[serde(default)]
    uploaded: bool,
    #[serde(default)]
    replays_step: bool,
    #[serde(default)]
    ends_build: bool,
    #[serde(default = "yes")]
    streamed: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
// The file format's switches, each read into the rule as is.
#[allow(clippy::struct_excessive_bools)]
struct StepEvidenceFile {
    anchors: Vec<String>,
    pattern: String,
    tag: String,
    #[serde(default)]
    places_build: bool,
    #[serde(default)]
    wraps: bool,
    #[serde(default)]
    cause: bool,
    hint: Option<String>,
    /// The pattern matches at the start of the tool's line, after any builder's or
    /// runner's prefix.
    #[serde(default)]
    at_line_start: bool,
    #[serde(default)]
    programs: Vec<String>,
    #[serde(default)]
    weak: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BuildSummaryFile {
    anchors: Vec<String>,
    pattern: String,
    continue_until: Option<String>,
    engine: Option<Engine>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FailedCommandFile {
    kind: Kind,
    pattern: Option<String>,
    #[serde(default)]
    requires_evidence: Vec<String>,
    #[serde(default)]
    correlate_packages: bool,
    #[serde(default)]
    exit_codes: Vec<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExitStatusFile {
    kind: Kind,
    #[serde(default)]
    phases: Vec<PhaseScope>,
    exit_status: Vec<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderFile {
    kind: Kind,
    retry: Retry,
    #[serde(default)]
    curl_nonzero: bool,
    #[serde(default)]
    http_status: Vec<u16>,
    http_status_range: Option<[u16; 2]>,
    pattern: Option<String>,
}

/// Reads one rule file; the flag says whether it disables the rule of its id. A user's
/// file charges its regexes to `budget`; a built-in one has none.
pub(crate) fn parse_rule(file: &str, text: &str, budget: Option<&mut UserBudget>) -> Result<(Rule, bool), CatalogueError> {
    let mut table: toml::Table = toml::from_str(text)
        .map_err(|e| CatalogueError::Parse { file: file.to_owned(), message: e.message().to_owned() + &span_hint(text, e.span()) })?;
    let f = Fields { file, budget: std::cell::RefCell::new(budget) };
    let role = match table.remove("role") {
        Some(toml::Value::String(role)) => role,
        Some(_) => return Err(f.error("role", "must be a string".to_owned())),
        None => return Err(f.error("role", "missing: every rule needs a role".to_owned())),
    };
    // The common fields go to their own struct; what is left must be the role's.
    let common_keys = fields_of::<Common>();
    let (common, rest): (toml::Table, toml::Table) = table.into_iter().partition(|(key, _)| common_keys.contains(&key.as_str()));
    let common: Common = f.deserialize(common)?;
    if common.id.is_empty() || !common.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_')) {
        return Err(f.error("id", format!("'{}' must be non-empty lowercase letters, digits, '.', '-' or '_'", common.id)));
    }
    if let Some(source) = &common.source {
        if source.trim().is_empty() || source.len() > SOURCE_MAX || source.chars().any(char::is_control) {
            return Err(
                f.error("source", format!("must be one line of text, at most {SOURCE_MAX} bytes: an issue's address or a log's name"))
            );
        }
    }
    let role = f.role(&role, rest)?;
    let rule = Rule {
        file: file.to_owned(),
        provenance: Provenance { source: common.source.map(|s| s.trim().to_owned()), added: common.added, users: f.is_users() },
        stage: common.stage,
        priority: common.priority,
        openshell: Releases { min: common.min_openshell, max: common.max_openshell },
        explanation: common.explanation.trim().to_owned(),
        cases: common.cases.into_iter().map(CaseFile::into_case).collect(),
        id: common.id,
        role,
    };
    if let Some(kind) = rule.kind() {
        if !kind.stages().contains(&rule.stage) {
            let owners: Vec<&str> = kind.stages().iter().map(|s| s.as_str()).collect();
            let what = match rule.user_kind() {
                Some(own) => format!("'{}' is a kind of your own: it", own.id),
                None => format!("kind '{kind}'"),
            };
            return Err(f.error("kind", format!("{what} belongs to stage {}, not {}", owners.join(" or "), rule.stage)));
        }
    }
    Ok((rule, common.disabled))
}

impl CaseFile {
    fn into_case(self) -> RuleCase {
        RuleCase {
            text: self.text,
            fires: self.fires,
            exit_status: self.exit_status,
            http_status: self.http_status,
            curl_status: self.curl_status,
        }
    }
}

/// Errors that name the file and the field, and the regex budget the file charges.
struct Fields<'a> {
    file: &'a str,
    budget: std::cell::RefCell<Option<&'a mut UserBudget>>,
}

impl Fields<'_> {
    fn compile(&self, pattern: &str, field: &str) -> Result<regex::Regex, CatalogueError> {
        let mut budget = self.budget.borrow_mut();
        compile_regex(pattern, budget.as_deref_mut()).map_err(|message| self.error(field, message))
    }

    fn error(&self, field: &str, message: String) -> CatalogueError {
        CatalogueError::Field { file: self.file.to_owned(), field: field.to_owned(), message }
    }

    /// Reads `table` as `T`; an error names the field it is about.
    fn deserialize<T: DeserializeOwned>(&self, table: toml::Table) -> Result<T, CatalogueError> {
        serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
            let path = e.path().to_string();
            let message = e.inner().to_string().lines().next().unwrap_or_default().to_owned();
            let field = if path == "." { backticked(&message).unwrap_or("?").to_owned() } else { path };
            let message =
                if message.starts_with("unknown field") { format!("{message} (a field this rule's role does not use)") } else { message };
            self.error(&field, message)
        })
    }

    fn role(&self, role: &str, rest: toml::Table) -> Result<Role, CatalogueError> {
        Ok(match role {
            "failure" => Role::Failure(self.line_rule(self.deserialize(rest)?, true)?),
            "supporting" => Role::Supporting(self.line_rule(self.deserialize(rest)?, false)?),
            "marker" => Role::Marker(self.marker(self.deserialize(rest)?)?),
            "step-evidence" => {
                let s: StepEvidenceFile = self.deserialize(rest)?;
                let source = if s.at_line_start { at_line_start(&s.pattern) } else { s.pattern };
                Role::StepEvidence(StepEvidenceRule {
                    pattern: self.pattern(&s.anchors, &source, "anchors", "pattern")?,
                    tag: s.tag,
                    places_build: s.places_build,
                    wraps: s.wraps,
                    cause: s.cause,
                    hint: s.hint,
                    programs: s.programs,
                    weak: s.weak,
                })
            }
            "build-summary" => {
                let s: BuildSummaryFile = self.deserialize(rest)?;
                if s.continue_until.as_ref().is_some_and(|u| u.is_empty() || u.bytes().any(|b| b.is_ascii_uppercase())) {
                    return Err(self.error("continue_until", "must be a non-empty lowercase literal".to_owned()));
                }
                let pattern = self.pattern(&s.anchors, &s.pattern, "anchors", "pattern")?;
                Role::BuildSummary(BuildSummaryRule { pattern, continue_until: s.continue_until, engine: s.engine })
            }
            "failed-command" => {
                let c: FailedCommandFile = self.deserialize(rest)?;
                Role::FailedCommand(FailedCommandRule {
                    kind: c.kind,
                    command: self.regex(c.pattern.as_deref(), "pattern")?,
                    requires_evidence: c.requires_evidence,
                    correlate_packages: c.correlate_packages,
                    exit_codes: c.exit_codes,
                })
            }
            "exit-status" => {
                let e: ExitStatusFile = self.deserialize(rest)?;
                if e.exit_status.is_empty() {
                    return Err(self.error("exit_status", "an exit-status rule needs at least one status".to_owned()));
                }
                Role::ExitStatus(ExitStatusRule { kind: e.kind, phases: e.phases, statuses: e.exit_status })
            }
            "provider" => Role::Provider(self.provider(self.deserialize(rest)?)?),
            _ => {
                return Err(self.error(
                    "role",
                    format!("unknown role '{role}' (expected failure, supporting, marker, step-evidence, build-summary, failed-command, exit-status or provider)"),
                ))
            }
        })
    }

    fn marker(&self, m: MarkerFile) -> Result<MarkerRule, CatalogueError> {
        let build = match (m.starts_step, m.replays_step, m.ends_build) {
            (false, false, false) => BuildLine::Other,
            (true, false, false) => BuildLine::StartsStep,
            (true, true, false) => BuildLine::ReplaysStep,
            (false, false, true) => BuildLine::EndsBuild,
            (false, true, _) => {
                return Err(self.error("replays_step", "a replayed step starts a step: set `starts_step = true` too".to_owned()))
            }
            (true, _, true) => return Err(self.error("ends_build", "a line cannot both start a step and end the build".to_owned())),
        };
        Ok(MarkerRule {
            pattern: self.pattern(&m.anchors, &m.pattern, "anchors", "pattern")?,
            phases: m.phases,
            sets_phase: m.sets_phase,
            build,
            engine: m.engine,
            uploaded: m.uploaded,
            streamed: m.streamed,
        })
    }

    fn provider(&self, p: ProviderFile) -> Result<ProviderRule, CatalogueError> {
        if let Some([lo, hi]) = p.http_status_range {
            if lo > hi {
                return Err(self.error("http_status_range", format!("[{lo}, {hi}] is inverted: the lower bound comes first")));
            }
        }
        Ok(ProviderRule {
            kind: p.kind,
            retry: p.retry,
            curl_nonzero: p.curl_nonzero,
            http_status: p.http_status,
            http_status_range: p.http_status_range.map(|[lo, hi]| (lo, hi)),
            message: self.regex(p.pattern.as_deref(), "pattern")?,
        })
    }

    fn pattern(&self, anchors: &[String], pattern: &str, anchors_field: &str, pattern_field: &str) -> Result<Pattern, CatalogueError> {
        if anchors.is_empty() {
            return Err(
                self.error(anchors_field, "a line rule needs at least one anchor (a literal every matching line contains)".to_owned())
            );
        }
        if let Some(short) = anchors.iter().find(|a| a.len() < 3) {
            return Err(self.error(anchors_field, format!("anchor '{short}' must be at least 3 bytes long")));
        }
        if let Some(budget) = self.budget.borrow_mut().as_deref_mut() {
            budget.charge_anchors(anchors.len()).map_err(|message| self.error(anchors_field, message))?;
        }
        if self.budget.borrow().is_none() {
            // Built-in: checked by the test suite, compiled when first needed.
            return Ok(Pattern::lazy(anchors.to_vec(), pattern));
        }
        let regex = self.compile(pattern, pattern_field)?;
        Ok(Pattern::compiled(anchors.to_vec(), pattern, regex))
    }

    /// A regex with no anchors, compiled as [`Fields::pattern`] compiles one.
    fn regex(&self, pattern: Option<&str>, field: &str) -> Result<Option<Pattern>, CatalogueError> {
        let Some(pattern) = pattern else { return Ok(None) };
        if self.budget.borrow().is_none() {
            return Ok(Some(Pattern::lazy(Vec::new(), pattern)));
        }
        Ok(Some(Pattern::compiled(Vec::new(), pattern, self.compile(pattern, field)?)))
    }
}
