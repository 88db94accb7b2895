//! `rules new`: a rule drafted from a log the catalogue does not decide. The lines that
//! should decide (the answer's evidence, or lines named) become a pattern that keeps
//! their stable words and generalises what varies ([`generalize`]); the draft's cases
//! are those lines, masked, that it must fire on, and the nearest lines of the corpus and
//! the built-in cases that it must not (its near-misses). A draft that does not decide its
//! own log, or that would decide a corpus log of another answer, is refused with why.

mod generalize;

use crate::classify::{Begun, Classifier, StageSet, Triage};
use crate::corpus::CorpusLog;
use crate::examine::changed_answers;
use crate::model::{Diagnosis, Phase, RuleKind, Stage};
use crate::rules::{fires, Catalogue, CatalogueError, StageRules};
use crate::Options;
use generalize::{generalise, Generalised};

/// The most deciding lines a draft takes.
const MOST_LINES: usize = 3;
/// The most near-misses a draft keeps.
const MOST_NEAR_MISSES: usize = 3;
/// A near-miss longer than this is cut (a case is one line, for people to read).
const NEAR_MISS_MAX: usize = 240;

/// What to draft.
#[derive(Debug, Clone)]
pub struct DraftRequest {
    /// The stage the log is output of.
    pub stage: Stage,
    /// The kind the rule decides.
    pub kind: RuleKind,
    /// The rule's id; drafted from the line's words when not given.
    pub id: Option<String>,
    /// The lines that should decide (numbered from 1); the answer's evidence when empty.
    pub lines: Vec<u64>,
    /// Where the log comes from (an issue's address, a file's name), for the rule's `source`.
    pub source: Option<String>,
}

/// A drafted rule.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The rule's id.
    pub id: String,
    /// The rule file's text.
    pub toml: String,
    /// The deciding lines: number and text, masked.
    pub lines: Vec<(u64, String)>,
    /// The lines it must not fire on, masked.
    pub near_misses: Vec<String>,
    /// The log's answer with the draft added.
    pub answer: Diagnosis,
}

/// Why no rule was drafted.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    /// The answer has no evidence line, and none was named.
    #[error("no line of the log stands out to decide it: name the lines with --line N")]
    NoLines,
    /// A named line is past the log's end.
    #[error("line {line}: the log has {lines} lines")]
    NoSuchLine {
        /// The line named.
        line: u64,
        /// The log's lines.
        lines: u64,
    },
    /// A line holds no word of three ASCII letters that stays the same from run to run.
    #[error("line {0} holds no word of three letters or more that stays the same from one run to the next: name another with --line N")]
    NothingStable(u64),
    /// No deciding line is one the classifier takes as a failure on its own.
    #[error("line {0} is not one the classifier takes as a failure on its own (a warning, say): name another with --line N")]
    NotAFailure(u64),
    /// The draft would decide corpus logs of other answers.
    #[error("the drafted pattern would also decide {count} corpus log(s) it should not, first {log} (line {line}: {text}): name more specific lines with --line N")]
    Steals {
        /// How many.
        count: usize,
        /// The first one's name.
        log: String,
        /// Its line the pattern decides.
        line: u64,
        /// That line's text, masked.
        text: String,
    },
    /// With the draft added, the log is still answered otherwise.
    #[error("the draft does not decide its own log: {kind} ({rule}) still does; give the rule a higher priority in the file, or name other lines")]
    NotDecided {
        /// The answer's kind.
        kind: String,
        /// The rule that decides it.
        rule: String,
    },
    /// The draft does not load (the file is written to load: a fault of the drafting).
    #[error("the drafted file does not load: {0}")]
    Invalid(#[from] CatalogueError),
}

/// Drafts a rule deciding `log` as `request` asks, checked against `builtin` and `corpus`.
pub fn draft_rule(builtin: &Catalogue, corpus: &[CorpusLog], log: &[u8], request: &DraftRequest) -> Result<Draft, DraftError> {
    let text = String::from_utf8_lossy(log);
    let all: Vec<&str> = text.lines().collect();
    let mut lines = Vec::new();
    let mut generalised = Vec::new();
    for number in deciding_lines(builtin, log, request)? {
        let found = usize::try_from(number).ok().and_then(|n| all.get(n.wrapping_sub(1)));
        let line = found.ok_or(DraftError::NoSuchLine { line: number, lines: all.len() as u64 })?;
        let line = visible(line);
        let line = crate::printable(cut(line.trim()));
        let masked = crate::redact(&line).into_owned();
        let shown: std::collections::HashSet<&str> = masked.split_whitespace().collect();
        generalised.push(generalise(&line, |token| shown.contains(&token)).ok_or(DraftError::NothingStable(number))?);
        lines.push((number, masked));
    }
    let (id, toml, with_draft, near_misses) = loop {
        let id = request.id.clone().unwrap_or_else(|| drafted_id(&generalised[0]));
        let pattern = joined(&generalised);
        let anchors: Vec<String> = lines
            .iter()
            .zip(&generalised)
            .map(|((number, _), g)| anchor(g, corpus).ok_or(DraftError::NothingStable(*number)))
            .collect::<Result<_, _>>()?;
        let phase = phase_at(builtin, request.stage, log, lines[0].0);
        let near_misses = near_misses(builtin, corpus, &pattern, &anchors, &generalised[0], &lines[0].1);
        let toml = render(&id, request, phase, &anchors, &pattern, &lines, &near_misses);
        let with_draft = Catalogue::with_user_files(vec![(format!("{id}.toml"), toml.clone())])?;
        // A line the classifier never takes as a failure on its own (a warning) cannot
        // decide: it goes, and the rest are drafted again.
        let rule = with_draft.get(&id).ok_or(DraftError::NoLines)?;
        let deciding: Vec<bool> = rule.cases.iter().filter(|c| c.fires).map(|case| fires(&with_draft, rule, case)).collect();
        if deciding.iter().all(|d| *d) {
            break (id, toml, with_draft, near_misses);
        }
        let first = lines[0].0;
        let mut keep = deciding.into_iter();
        lines.retain(|_| keep.next().unwrap_or(false));
        let mut keep = rule.cases.iter().filter(|c| c.fires).map(|case| fires(&with_draft, rule, case));
        generalised.retain(|_| keep.next().unwrap_or(false));
        if lines.is_empty() {
            return Err(DraftError::NotAFailure(first));
        }
    };
    let answer = answer_of(&with_draft, request.stage, log);
    if answer.rule.as_deref() != Some(id.as_str()) {
        return Err(DraftError::NotDecided {
            kind: answer.kind_id().to_owned(),
            rule: answer.rule.unwrap_or_else(|| "no rule".to_owned()),
        });
    }
    // The log itself, when the corpus holds it already, is the one the draft is for.
    let others: Vec<CorpusLog> = corpus.iter().filter(|c| c.payload.trim_ascii_end() != log.trim_ascii_end()).cloned().collect();
    let changed = changed_answers(builtin, &with_draft, &others);
    let stolen: Vec<_> = changed.into_iter().filter(|c| c.after.rule.as_deref() == Some(id.as_str())).collect();
    if let Some(first) = stolen.first() {
        let (line, text) = first.after.line.clone().unwrap_or_default();
        return Err(DraftError::Steals { count: stolen.len(), log: first.log.clone(), line, text });
    }
    Ok(Draft { id, toml, lines, near_misses, answer })
}

/// What the classifier sees of a line: the segment a terminal ends up showing (progress
/// rewritten with `\r`), escape codes resolved, without a log's own prefix or the
/// Engine's JSON stream wrapping (`{"stream":"…\n"}`).
fn visible(line: &str) -> String {
    let bytes = line.as_bytes();
    let (from, to) = crate::classify::terminal_text::readable_range(bytes);
    let mut shown = bytes[from..to].to_vec();
    let kept = crate::classify::terminal_text::strip_ansi_in_place(&mut shown);
    String::from_utf8_lossy(&shown[..kept]).into_owned()
}

/// The longest line a draft takes, from its start: a pattern is for people to read.
const LINE_MAX: usize = 400;

fn cut(line: &str) -> &str {
    let mut end = line.len().min(LINE_MAX);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    &line[..end]
}

/// The lines named, else the answer's evidence lines (at most [`MOST_LINES`]).
fn deciding_lines(builtin: &Catalogue, log: &[u8], request: &DraftRequest) -> Result<Vec<u64>, DraftError> {
    if !request.lines.is_empty() {
        return Ok(request.lines.iter().copied().take(MOST_LINES).collect());
    }
    let answer = answer_of(builtin, request.stage, log);
    // The evidence also shows facts (`Built image …`): the lines that say something failed
    // decide, when there are any.
    let failing = |text: &str| {
        let lower = text.to_lowercase();
        FAILURE_WORDS.iter().any(|word| lower.contains(word))
    };
    let evidence = &answer.evidence;
    let chosen: Vec<u64> = if evidence.iter().any(|e| failing(&e.text)) {
        evidence.iter().filter(|e| failing(&e.text)).map(|e| e.line).take(MOST_LINES).collect()
    } else if !evidence.is_empty() {
        evidence.iter().map(|e| e.line).take(MOST_LINES).collect()
    } else {
        // No evidence at all: the log's last lines that say something failed.
        let text = String::from_utf8_lossy(log);
        let mut last: Vec<u64> = (1u64..).zip(text.lines()).filter(|(_, line)| failing(line)).map(|(n, _)| n).collect();
        last.drain(..last.len().saturating_sub(MOST_LINES));
        last
    };
    if chosen.is_empty() {
        return Err(DraftError::NoLines);
    }
    Ok(chosen)
}

/// Words of a line that says something failed.
const FAILURE_WORDS: &[&str] = &[
    "error",
    "fail",
    "fatal",
    "denied",
    "refused",
    "cannot",
    "can't",
    "unable",
    "timed out",
    "timeout",
    "invalid",
    "not found",
    "panic",
    "killed",
    "did not",
    "not ready",
    "never",
];

fn answer_of(catalogue: &Catalogue, stage: Stage, log: &[u8]) -> Diagnosis {
    let set = StageSet::new(catalogue);
    let mut triage = Triage::new(&set, Some(stage), Options::default(), None, None);
    triage.feed(log);
    triage.finish()
}

/// The phase the output was in at `line`: the last one begun at or before it.
fn phase_at(catalogue: &Catalogue, stage: Stage, log: &[u8], line: u64) -> Option<Phase> {
    let rules = StageRules::new(catalogue, stage);
    let mut classifier = Classifier::new(&rules, Options::default());
    classifier.feed(log);
    classifier.feed(b"\n");
    classifier.flush_lines();
    classifier.begun_after(0).into_iter().rev().find_map(|(at, begun)| match begun {
        Begun::Phase(phase) if at <= line => Some(phase),
        _ => None,
    })
}

/// One pattern for all the lines: each line's, as alternatives.
fn joined(generalised: &[Generalised]) -> String {
    if let [only] = generalised {
        return only.pattern.clone();
    }
    let alternatives: Vec<String> = generalised.iter().map(|g| format!("(?:{})", g.pattern.trim_start_matches("(?i)"))).collect();
    format!("(?i){}", alternatives.join("|"))
}

/// The line's anchor: of its literal words (without the punctuation around them,
/// lowercased, as anchors then ignore case), the one fewest corpus lines hold, so the
/// scanner rarely runs the rule's regex; the longest of those. `None` when no word has
/// three ASCII letters.
fn anchor(generalised: &Generalised, corpus: &[CorpusLog]) -> Option<String> {
    // ASCII only, of three letters or more: the scanner folds ASCII case.
    let core = |word: &String| word.trim_matches(|c: char| !c.is_ascii_alphanumeric()).to_ascii_lowercase();
    let words: Vec<String> = generalised
        .literals
        .iter()
        .map(core)
        .filter(|w| w.is_ascii() && w.chars().filter(char::is_ascii_alphabetic).count() >= 3)
        .collect();
    let lowered: Vec<String> = corpus.iter().map(|log| String::from_utf8_lossy(&log.payload).to_lowercase()).collect();
    let holding = |word: &str| lowered.iter().map(|text| text.matches(word).count()).sum::<usize>();
    words.iter().min_by_key(|w| (holding(w), std::cmp::Reverse(w.len()))).cloned()
}

/// `local.` and the line's first two telling words (`local.quota-exceeded`).
fn drafted_id(generalised: &Generalised) -> String {
    let common = ["error", "the", "and", "for", "with", "failed", "warning"];
    let words: Vec<String> = generalised
        .literals
        .iter()
        .map(|w| w.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase())
        .filter(|w| w.len() > 2 && !common.contains(&w.as_str()))
        .take(2)
        .collect();
    if words.is_empty() {
        "local.drafted".to_owned()
    } else {
        format!("local.{}", words.join("-"))
    }
}

/// The lines of the corpus and the built-in cases nearest the deciding one that the
/// pattern does not match: holding an anchor, with the most of its words. None such: the
/// deciding line with its anchor word changed.
fn near_misses(
    builtin: &Catalogue,
    corpus: &[CorpusLog],
    pattern: &str,
    anchors: &[String],
    first: &Generalised,
    line: &str,
) -> Vec<String> {
    let Ok(regex) = regex::Regex::new(pattern) else { return Vec::new() };
    let words: Vec<String> = first.literals.iter().map(|w| w.to_lowercase()).collect();
    let case_texts = builtin.rules().iter().flat_map(|r| r.cases.iter().map(|c| c.text.clone()));
    let corpus_lines = corpus.iter().flat_map(|log| String::from_utf8_lossy(&log.payload).lines().map(str::to_owned).collect::<Vec<_>>());
    let mut scored: Vec<(usize, String)> = corpus_lines
        .chain(case_texts)
        .filter_map(|text| {
            let lower = text.to_lowercase();
            if text.len() > NEAR_MISS_MAX
                || text.contains('\n')
                || !anchors.iter().any(|a| lower.contains(a.as_str()))
                || regex.is_match(&text)
            {
                return None;
            }
            let shared = words.iter().filter(|w| lower.contains(w.as_str())).count();
            Some((shared, crate::redact(text.trim()).into_owned()))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    let mut misses: Vec<String> = scored.into_iter().map(|(_, text)| text).take(MOST_NEAR_MISSES).collect();
    if misses.is_empty() {
        let anchor = anchors.first().map_or("", String::as_str);
        let changed: Vec<&str> = line.split_whitespace().map(|w| if w.to_lowercase().contains(anchor) { "something" } else { w }).collect();
        let changed = changed.join(" ");
        if !regex.is_match(&changed) {
            misses.push(changed);
        }
    }
    misses
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// The rule file's text.
fn render(
    id: &str,
    request: &DraftRequest,
    phase: Option<Phase>,
    anchors: &[String],
    pattern: &str,
    lines: &[(u64, String)],
    near_misses: &[String],
) -> String {
    use std::fmt::Write as _;
    let list = |items: &[String]| items.iter().map(|s| quoted(s)).collect::<Vec<_>>().join(", ");
    let mut out = String::new();
    let _ = writeln!(out, "id = {}\nstage = {}\nrole = 'failure'", quoted(id), quoted(request.stage.as_str()));
    let _ = match &request.kind {
        RuleKind::Catalogue(kind) => writeln!(out, "kind = {}", quoted(kind.as_str())),
        RuleKind::Own(own) => writeln!(out, "kind = {}\ntitle = {}\nfix = {}", quoted(&own.id), quoted(&own.title), quoted(&own.fix)),
    };
    out.push_str("priority = 50\n");
    if let Some(phase) = phase {
        let _ = writeln!(out, "phases = [{}]", quoted(phase.as_str()));
    }
    let _ = writeln!(out, "anchors = [{}]\npattern = {}", list(anchors), quoted(pattern));
    let explanation =
        "What failed, and why, for the operator who meets it (drafted from the lines in the cases below: say what they mean).";
    let _ = writeln!(out, "explanation = {}", quoted(explanation));
    if let Some(source) = &request.source {
        let _ = writeln!(out, "source = {}", quoted(&crate::redact(source)));
    }
    for (fires, text) in lines.iter().map(|(_, t)| (true, t)).chain(near_misses.iter().map(|t| (false, t))) {
        let _ = writeln!(out, "\n[[cases]]\nfires = {fires}\ntext = {}", quoted(text));
    }
    out
}

/// Whether the draft's own cases hold (used by tests and by `rules new` to say so).
#[must_use]
pub fn cases_hold(draft: &Draft) -> bool {
    Catalogue::with_user_files(vec![(format!("{}.toml", draft.id), draft.toml.clone())]).is_ok_and(|catalogue| {
        catalogue.get(&draft.id).is_some_and(|rule| rule.cases.iter().all(|case| fires(&catalogue, rule, case) == case.fires))
    })
}
