//! A plan for people (numbered steps with their applicability), for programs (JSON) and
//! as a POSIX shell script (probes run, changes ask first, manual steps as comments).

use std::fmt::Write as _;

use serde::Serialize;

use crate::diagnosis::{Diagnosis, DiagnosisReport, SCHEMA_VERSION};
use crate::plan::{Action, Applicability, Check, CreateContext, Plan, Step};
use crate::reconstruct::Placeholder;
use crate::render::{human as diagnosis_human, wrap, wrap_prefixed, Style};
use crate::shell::{render, render_pipeline, Shell, Word};

/// A step as programs read it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StepReport {
    pub purpose: String,
    pub applicability: Applicability,
    /// The command's words (placeholders as `<NAME>`), or null for a pipeline or advice.
    pub argv: Option<Vec<String>>,
    /// The commands of a pipeline, or null.
    pub pipeline: Option<Vec<Vec<String>>>,
    /// The command quoted for a POSIX shell, as the human and sh renderings show it.
    pub shell: Option<String>,
    pub pre: Option<CheckReport>,
    pub post: Option<CheckReport>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CheckReport {
    pub argv: Vec<String>,
    pub expect: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AlternativeReport {
    pub title: String,
    pub conditions: Vec<String>,
    pub steps: Vec<StepReport>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PlaceholderReport {
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PlanReport {
    pub headline: String,
    pub notes: Vec<String>,
    pub context: Option<CreateContext>,
    pub steps: Vec<StepReport>,
    pub alternatives: Vec<AlternativeReport>,
    pub placeholders: Vec<PlaceholderReport>,
}

/// `sandbox-triage plan --format json`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PlanOutput {
    pub schema_version: u32,
    pub diagnosis: DiagnosisReport,
    pub plan: PlanReport,
}

fn display(words: &[Word]) -> Vec<String> {
    words.iter().map(Word::display).collect()
}

fn posix(action: &Action) -> Option<String> {
    match action {
        Action::Argv(argv) => render(argv, Shell::Posix).ok(),
        Action::Pipeline(commands) => render_pipeline(commands, Shell::Posix).ok(),
        Action::Nothing => None,
    }
}

fn check_report(check: &Check) -> CheckReport {
    CheckReport { argv: display(&check.argv), expect: check.expect.clone() }
}

fn step_report(step: &Step) -> StepReport {
    StepReport {
        purpose: step.purpose.clone(),
        applicability: step.applicability,
        argv: match &step.action {
            Action::Argv(argv) => Some(display(argv)),
            _ => None,
        },
        pipeline: match &step.action {
            Action::Pipeline(commands) => Some(commands.iter().map(|c| display(c)).collect()),
            _ => None,
        },
        shell: posix(&step.action),
        pre: step.pre.as_ref().map(check_report),
        post: step.post.as_ref().map(check_report),
        note: step.note.clone(),
    }
}

#[must_use]
pub fn report(plan: &Plan) -> PlanReport {
    PlanReport {
        headline: plan.headline.clone(),
        notes: plan.notes.clone(),
        context: plan.context.clone(),
        steps: plan.steps.iter().map(step_report).collect(),
        alternatives: plan
            .alternatives
            .iter()
            .map(|a| AlternativeReport {
                title: a.title.clone(),
                conditions: a.conditions.clone(),
                steps: a.steps.iter().map(step_report).collect(),
            })
            .collect(),
        placeholders: plan
            .placeholders
            .iter()
            .map(|p: &Placeholder| PlaceholderReport { name: p.name.clone(), reason: p.reason.clone() })
            .collect(),
    }
}

/// The JSON object (one line, no trailing newline).
#[must_use]
pub fn json(diagnosis: &Diagnosis, plan: &Plan) -> String {
    let output = PlanOutput { schema_version: SCHEMA_VERSION, diagnosis: diagnosis.report(), plan: report(plan) };
    serde_json::to_string(&output).expect("a plan always serialises")
}

/// The JSON Schema of [`PlanOutput`], pretty-printed.
#[must_use]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(PlanOutput);
    serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n"
}

fn human_steps(steps: &[Step], label: impl Fn(usize) -> String, style: Style, out: &mut String) {
    for (i, step) in steps.iter().enumerate() {
        let _ = writeln!(out, "  {} [{}] {}", label(i), step.applicability.as_str(), step.purpose);
        if let Some(pre) = &step.pre {
            let _ = writeln!(out, "       when: {}  → {}", render(&pre.argv, Shell::Posix).unwrap_or_default(), pre.expect);
        }
        if let Some(command) = posix(&step.action) {
            for line in command.lines() {
                let _ = writeln!(out, "       {line}");
            }
        }
        if let Some(post) = &step.post {
            let _ = writeln!(out, "       then: {}  → {}", render(&post.argv, Shell::Posix).unwrap_or_default(), post.expect);
        }
        if let Some(note) = &step.note {
            out.push_str(&wrap_prefixed(note, style.width, "       (", "        ", ")"));
        }
    }
}

/// The diagnosis, then the plan, for people.
#[must_use]
pub fn human(diagnosis: &Diagnosis, plan: &Plan, style: Style) -> String {
    let mut out = diagnosis_human(diagnosis, style);
    let _ = writeln!(out, "\nrecovery");
    out.push_str(&wrap(&plan.headline, style.width, "  "));
    for note in &plan.notes {
        out.push_str(&wrap(note, style.width, "  "));
    }
    if let Some(context) = &plan.context {
        let _ = writeln!(out, "\n  create context (secrets and the runtime environment omitted)");
        let _ = writeln!(out, "    source:     {}", context.source);
        let _ = writeln!(out, "    policy:     {}", context.policy);
        let providers = if context.providers.is_empty() { "none".to_owned() } else { context.providers.join(", ") };
        let _ = writeln!(out, "    providers:  {providers}");
        let _ = writeln!(out, "    gpu:        {}", context.gpu);
        if let Some(resources) = &context.resources {
            let _ = writeln!(out, "    resources:  {resources}");
        }
        let _ = writeln!(out, "    runtime environment: {}", context.runtime_environment);
    }
    if !plan.steps.is_empty() {
        out.push('\n');
        human_steps(&plan.steps, |i| format!("{}.", i + 1), style, &mut out);
    }
    for alternative in &plan.alternatives {
        let _ = writeln!(out, "\n  alternative: {}", alternative.title);
        for condition in &alternative.conditions {
            out.push_str(&wrap_prefixed(condition, style.width, "    only if: ", "             ", ""));
        }
        human_steps(&alternative.steps, |i| format!("{}.", char::from(b'a' + (i % 26) as u8)), style, &mut out);
    }
    if !plan.placeholders.is_empty() {
        let _ = writeln!(out, "\n  set before running the steps that use them:");
        for p in &plan.placeholders {
            out.push_str(&wrap_prefixed(&format!("{}: {}", p.name, p.reason), style.width, "    ", "      ", ""));
        }
    }
    out
}

/// Every line of `text` as a shell comment: a newline inside a quoted word must not
/// end the comment and run the rest.
fn comment(text: &str, out: &mut String) {
    for line in text.split('\n') {
        let _ = writeln!(out, "# {line}");
    }
}

fn sh_quote(text: &str) -> String {
    render(&[Word::lit("x"), Word::lit(text)], Shell::Posix).map_or_else(|_| "''".to_owned(), |s| s[2..].to_owned())
}

/// A probe run before or after a step, its expectation as a comment.
fn sh_check(check: &Check, redirect: &str, out: &mut String) {
    let _ = writeln!(
        out,
        "  {}{redirect}  # expect: {}",
        render(&check.argv, Shell::Posix).unwrap_or_default(),
        check.expect.replace('\n', " ")
    );
}

fn sh_steps(steps: &[Step], prefix: &str, out: &mut String) {
    for (i, step) in steps.iter().enumerate() {
        out.push('\n');
        comment(&format!("{prefix}{}. [{}] {}", i + 1, step.applicability.as_str(), step.purpose), out);
        if let Some(note) = &step.note {
            comment(note, out);
        }
        let Some(command) = posix(&step.action) else { continue };
        match step.applicability {
            Applicability::Manual => {
                comment("not run: fill in the placeholders, or do it by hand", out);
                comment(&command, out);
            }
            Applicability::Probe | Applicability::Safe => {
                let _ = writeln!(out, "{command}");
            }
            Applicability::Confirm | Applicability::Destructive => {
                let question = if step.applicability == Applicability::Destructive {
                    format!("{} (destructive)", step.purpose)
                } else {
                    step.purpose.clone()
                };
                let _ = writeln!(out, "if confirm {}; then", sh_quote(&question));
                if let Some(pre) = &step.pre {
                    sh_check(pre, " >&2", out);
                }
                let _ = writeln!(out, "  {command}");
                if let Some(post) = &step.post {
                    sh_check(post, "", out);
                }
                let _ = writeln!(out, "fi");
            }
        }
    }
}

/// The plan as a POSIX shell script.
#[must_use]
pub fn script(diagnosis: &Diagnosis, plan: &Plan) -> String {
    let mut out = String::from("#!/bin/sh\n");
    comment(&format!("sandbox-triage recovery plan: {}", diagnosis.kind), &mut out);
    comment(&plan.headline, &mut out);
    for note in &plan.notes {
        comment(note, &mut out);
    }
    for p in &plan.placeholders {
        comment(&format!("set {}: {}", p.name, p.reason), &mut out);
    }
    out.push_str(
        "set -eu\n\n# Asks on the terminal; anything but yes skips the step.\nconfirm() {\n  printf '%s [y/N] ' \"$1\" >&2\n  answer=\n  read -r answer </dev/tty || answer=\n  case \"$answer\" in\n    y | Y | yes | YES) return 0 ;;\n    *) echo 'skipped' >&2; return 1 ;;\n  esac\n}\n",
    );
    sh_steps(&plan.steps, "", &mut out);
    for alternative in &plan.alternatives {
        out.push('\n');
        comment(&format!("alternative, not run: {}", alternative.title), &mut out);
        for condition in &alternative.conditions {
            comment(&format!("only if: {condition}"), &mut out);
        }
        for (i, step) in alternative.steps.iter().enumerate() {
            comment(&format!("{}. [{}] {}", char::from(b'a' + (i % 26) as u8), step.applicability.as_str(), step.purpose), &mut out);
            if let Some(command) = posix(&step.action) {
                comment(&command, &mut out);
            }
        }
    }
    out
}
