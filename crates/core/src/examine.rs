//! What a catalogue's rules do to the answers (`rules test`): the rule cases that fail,
//! the corpus logs whose answer changes from one catalogue to another (the built-in one,
//! then with a user's rules), and the rules that can never decide because another rule
//! wins on every case they fire on (shadowed).

use crate::classify::{StageSet, Triage};
use crate::corpus::CorpusLog;
use crate::model::{Diagnosis, PhaseScope};
use crate::rules::{fires, Catalogue, Role, Rule, RuleCase};
use crate::Options;

/// A rule case whose outcome is not the one it states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailingCase {
    /// The rule's id.
    pub rule: String,
    /// The file the rule was read from.
    pub file: String,
    /// The case's place among the rule's cases, from 1.
    pub case: usize,
    /// Whether the case says the rule fires on it (it did not), or not (it did).
    pub fires: bool,
    /// The case's text, masked.
    pub text: String,
}

/// A corpus log whose answer differs between the two catalogues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedAnswer {
    /// The log's name.
    pub log: String,
    /// Its place in the corpus examined, from 0.
    pub index: usize,
    /// The answer with the first catalogue.
    pub before: Answer,
    /// The answer with the second.
    pub after: Answer,
}

/// An answer, as far as the catalogue decides it: the kind, the deciding rule and the
/// first evidence line (its number and text, masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The kind's id: the catalogue's, or a user's own.
    pub kind: String,
    /// The rule that decided it.
    pub rule: Option<String>,
    /// The first evidence line: its number and text.
    pub line: Option<(u64, String)>,
}

/// A rule that decides none of the cases it fires on: another rule wins on each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shadowed {
    /// The rule's id.
    pub rule: String,
    /// The file it was read from.
    pub file: String,
    /// The rules that win on its cases, each once, in the order met.
    pub by: Vec<String>,
}

/// What `rules test` reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Examination {
    /// The rule cases that fail.
    pub failing: Vec<FailingCase>,
    /// The corpus logs whose answer changed.
    pub changed: Vec<ChangedAnswer>,
    /// The rules that never decide their own cases.
    pub shadowed: Vec<Shadowed>,
    /// How many rules were examined.
    pub rules: usize,
    /// How many rule cases.
    pub cases: usize,
    /// How many corpus logs.
    pub logs: usize,
}

impl Examination {
    /// Whether nothing failed and no rule is shadowed; changed answers are the caller's
    /// to judge (they may be the point of the new rules).
    #[must_use]
    pub fn sound(&self) -> bool {
        self.failing.is_empty() && self.shadowed.is_empty()
    }
}

/// Examines `after`'s rules: their own cases, which of them are shadowed, and every
/// corpus log's answer with `after` against its answer with `before`.
#[must_use]
pub fn examine(before: &Catalogue, after: &Catalogue, corpus: &[CorpusLog]) -> Examination {
    let mut examination = Examination { rules: after.rules().len(), logs: corpus.len(), ..Examination::default() };
    for rule in after.rules() {
        for (index, (case, passed)) in rule.check_cases(after).enumerate() {
            examination.cases += 1;
            if !passed {
                examination.failing.push(FailingCase {
                    rule: rule.id.clone(),
                    file: rule.file.clone(),
                    case: index + 1,
                    fires: case.fires,
                    text: crate::redact(&case.text).into_owned(),
                });
            }
        }
        if let Some(by) = shadowed_by(after, rule) {
            examination.shadowed.push(Shadowed { rule: rule.id.clone(), file: rule.file.clone(), by });
        }
    }
    examination.changed = changed_answers(before, after, corpus);
    examination
}

/// The corpus logs whose answer with `after` differs from their answer with `before`.
#[must_use]
pub fn changed_answers(before: &Catalogue, after: &Catalogue, corpus: &[CorpusLog]) -> Vec<ChangedAnswer> {
    let (before_set, after_set) = (StageSet::new(before), StageSet::new(after));
    let mut changed = Vec::new();
    for (index, log) in corpus.iter().enumerate() {
        let (first, then) = (diagnose(&before_set, log), diagnose(&after_set, log));
        if (&first.kind, &first.rule) != (&then.kind, &then.rule) {
            changed.push(ChangedAnswer { log: log.name.clone(), index, before: answer(before, &first), after: answer(after, &then) });
        }
    }
    changed
}

/// A corpus log's answer, with the statuses and version its header gives.
fn diagnose(set: &StageSet, log: &CorpusLog) -> Diagnosis {
    let options = Options { exit_status: log.exit_status(), openshell_version: log.openshell_version(), ..Options::default() };
    let mut triage = Triage::new(set, Some(log.stage()), options, log.http_status(), log.curl_status());
    triage.feed(&log.payload);
    triage.finish()
}

/// The answer, with the line that decided it: the first evidence line its rule, a line
/// rule, matches on its own, else the first evidence line.
fn answer(catalogue: &Catalogue, diagnosis: &Diagnosis) -> Answer {
    let rule = diagnosis.rule.as_deref().and_then(|id| catalogue.get(id)).filter(|r| matches!(r.role, Role::Failure(_)));
    let matched = |text: &str| {
        rule.is_some_and(|rule| {
            fires(
                catalogue,
                rule,
                &RuleCase { text: text.to_owned(), fires: true, exit_status: None, http_status: None, curl_status: None },
            )
        })
    };
    let line = diagnosis.evidence.iter().find(|e| matched(&e.text)).or(diagnosis.evidence.first());
    Answer { kind: diagnosis.kind_id().to_owned(), rule: diagnosis.rule.clone(), line: line.map(|e| (e.line, e.text.clone())) }
}

/// The rules of higher priority that fire on every case `rule` fires on, counting in
/// every phase it counts in and in a release it applies to, so one of them always wins; `None` when some case is left to it.
/// Failure rules only: the others decide from the whole run, or from statuses.
fn shadowed_by(catalogue: &Catalogue, rule: &Rule) -> Option<Vec<String>> {
    let Role::Failure(line) = &rule.role else { return None };
    let rivals: Vec<&Rule> = catalogue
        .rules()
        .iter()
        .filter(|other| other.stage == rule.stage && other.id != rule.id && other.priority > rule.priority)
        .filter(|other| matches!(&other.role, Role::Failure(o) if covers(&o.phases, &line.phases)))
        .filter(|other| releases_overlap(other, rule))
        .collect();
    let mut by: Vec<String> = Vec::new();
    let mut firing = rule.cases.iter().filter(|case| case.fires).peekable();
    firing.peek()?;
    for case in firing {
        let winner = rivals.iter().find(|other| fires(catalogue, other, case))?;
        if !by.contains(&winner.id) {
            by.push(winner.id.clone());
        }
    }
    Some(by)
}

/// Whether scope `a` holds every phase of scope `b` (an empty scope is every phase): a
/// rival that counts in fewer phases leaves the others to the rule.
fn covers(a: &[PhaseScope], b: &[PhaseScope]) -> bool {
    a.is_empty() || (!b.is_empty() && b.iter().all(|p| a.contains(p)))
}

/// Whether two rules can both apply to one OpenShell release.
fn releases_overlap(a: &Rule, b: &Rule) -> bool {
    let below = |max: Option<crate::model::Version>, min: Option<crate::model::Version>| max.zip(min).is_some_and(|(max, min)| max < min);
    !below(a.openshell.max, b.openshell.min) && !below(b.openshell.max, a.openshell.min)
}
