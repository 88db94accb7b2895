//! `sandbox-triage rules test`: what rule directories do with the built-in rules: every
//! rule's own cases, the rules that can never decide (another rule always wins on their
//! cases), and every corpus log's answer before and after, the built-in corpus (embedded)
//! and the user's. A changed answer is meant when it is the kind the log's header expects.

use std::fmt::Write as _;

use anyhow::Context;
use sandbox_triage_core::{examine, printable, Answer, Catalogue, ChangedAnswer, CorpusLog, Examination, Look, Style};

use super::anchor_load::{common_anchors, CommonAnchor, TOO_COMMON};
use super::corpus_files::{accept, read_corpus_dir, set_expected};
use crate::args::{RulesFormat, RulesTestArgs};
use crate::exit::Exit;
use crate::output;
use crate::rule_dir::read_rule_dir;

include!(concat!(env!("OUT_DIR"), "/embedded_corpus.rs"));

pub(crate) fn run(args: &RulesTestArgs, style: Style) -> anyhow::Result<Exit> {
    let mut files = Vec::new();
    for dir in &args.dirs {
        files.extend(read_rule_dir(dir)?);
    }
    let user: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
    let before = Catalogue::builtin().context("invalid built-in rules")?;
    let after = Catalogue::with_user_files(files).context("invalid rules")?;
    let mut corpus = builtin_corpus();
    let builtin = corpus.len();
    let mut paths = Vec::new();
    for dir in &args.corpus {
        for (path, log) in read_corpus_dir(dir)? {
            paths.push(path);
            corpus.push(log);
        }
    }
    let examination = examine(&before, &after, &corpus);
    if args.accept {
        for changed in &examination.changed {
            if let Some(path) = changed.index.checked_sub(builtin).and_then(|i| paths.get(i)) {
                accept(path, &changed.after.kind)?;
                if let Some(log) = corpus.get_mut(changed.index) {
                    set_expected(&mut log.header, &changed.after.kind);
                }
            }
        }
    }
    let meant: Vec<bool> = examination.changed.iter().map(|c| is_meant(c, &corpus)).collect();
    // Slow, not wrong: reported, and the exit status is the answers'.
    let slow = common_anchors(after.rules().iter().filter(|rule| user.contains(&rule.file)));
    let text = match args.format {
        RulesFormat::Json => json(&examination, &meant, &slow),
        RulesFormat::Human => human(&examination, &meant, &slow, style),
    };
    output::print(&text)?;
    Ok(if examination.sound() && meant.iter().all(|m| *m) { Exit::Determined } else { Exit::Unknown })
}

/// The corpus built into the binary.
pub(crate) fn builtin_corpus() -> Vec<CorpusLog> {
    CORPUS.iter().map(|(name, bytes)| CorpusLog::parse(name, bytes)).collect()
}

/// Whether a changed answer is the kind its log's header expects.
fn is_meant(changed: &ChangedAnswer, corpus: &[CorpusLog]) -> bool {
    corpus.get(changed.index).and_then(CorpusLog::expected_kind) == Some(&changed.after.kind)
}

fn answer_json(answer: &Answer) -> serde_json::Value {
    serde_json::json!({
        "kind": answer.kind,
        "rule": answer.rule,
        "line": answer.line.as_ref().map(|(n, _)| n),
        "text": answer.line.as_ref().map(|(_, t)| t),
    })
}

fn json(examination: &Examination, meant: &[bool], slow: &[CommonAnchor]) -> String {
    let failing: Vec<_> = examination
        .failing
        .iter()
        .map(|f| serde_json::json!({"rule": f.rule, "file": f.file, "case": f.case, "fires": f.fires, "text": f.text}))
        .collect();
    let shadowed: Vec<_> = examination.shadowed.iter().map(|s| serde_json::json!({"rule": s.rule, "file": s.file, "by": s.by})).collect();
    let changed: Vec<_> = examination
        .changed
        .iter()
        .zip(meant)
        .map(|(c, meant)| serde_json::json!({"log": c.log, "before": answer_json(&c.before), "after": answer_json(&c.after), "meant": meant}))
        .collect();
    let slow: Vec<_> = slow
        .iter()
        .map(|a| serde_json::json!({"rule": a.rule, "file": a.file, "anchor": a.anchor, "shape": a.shape, "share_of_lines": a.share}))
        .collect();
    let passed = examination.sound() && meant.iter().all(|m| *m);
    serde_json::json!({
        "schema_version": sandbox_triage_core::SCHEMA_VERSION,
        "rules": examination.rules, "cases": examination.cases, "logs": examination.logs,
        "failing_cases": failing, "shadowed": shadowed, "changed": changed, "slow_anchors": slow, "passed": passed,
    })
    .to_string()
        + "\n"
}

fn shown(answer: &Answer) -> String {
    match &answer.rule {
        Some(rule) => format!("{} ({rule})", answer.kind),
        None => answer.kind.clone(),
    }
}

fn human(examination: &Examination, meant: &[bool], slow: &[CommonAnchor], style: Style) -> String {
    let mut out = format!("{} rules, {} cases, {} corpus logs\n", examination.rules, examination.cases, examination.logs);
    if !examination.failing.is_empty() {
        out += "\nFailing cases:\n";
        for f in &examination.failing {
            let should = if f.fires { "should fire" } else { "should not fire" };
            let _ = writeln!(out, "  {} ({}), case {}, {should}: {}", f.rule, f.file, f.case, printable(&f.text));
        }
    }
    if !examination.shadowed.is_empty() {
        out += "\nShadowed (another rule always wins on their cases):\n";
        for s in &examination.shadowed {
            let _ = writeln!(out, "  {} ({}): {} wins on every case it fires on", s.rule, s.file, s.by.join(", "));
        }
    }
    if !examination.changed.is_empty() {
        out += "\nChanged answers:\n";
        for (c, meant) in examination.changed.iter().zip(meant) {
            let why = if *meant { "as its header expects" } else { "not as its header expects" };
            let _ = writeln!(out, "  {}: {} -> {}, {why}", c.log, shown(&c.before), shown(&c.after));
            if let Some((line, text)) = &c.after.line {
                let _ = writeln!(out, "    line {line}: {}", printable(text));
            }
        }
    }
    if !slow.is_empty() {
        let _ = writeln!(
            out,
            "\nSlow (the regex runs on every line holding the anchor; more than {:.0}% of a shape's lines do):",
            TOO_COMMON * 100.0
        );
        for a in slow {
            let _ = writeln!(out, "  {} ({}): '{}' on {:.0}% of {}'s lines", a.rule, a.file, a.anchor, a.share * 100.0, a.shape);
        }
    }
    let unmeant = meant.iter().filter(|m| !**m).count();
    let summary = if examination.sound() && unmeant == 0 {
        style.paint(Look::Success, "every case passes, no rule is shadowed, no answer changed unless its header expects it")
    } else {
        style.paint(
            Look::Failure,
            &format!(
                "{}, {}, {} that {} not expect",
                counted(examination.failing.len(), "failing case", "failing cases"),
                counted(examination.shadowed.len(), "shadowed rule", "shadowed rules"),
                counted(unmeant, "answer changed", "answers changed"),
                if unmeant == 1 { "its header does" } else { "their headers do" },
            ),
        )
    };
    out + "\n" + &summary + "\n"
}

/// `n` things: `one` for one, `many` otherwise (`1 failing case`, `2 answers changed`).
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
