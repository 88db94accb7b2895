//! The diagnosis, then the plan, for people: numbered steps with their applicability.

use std::fmt::Write as _;

use crate::model::Diagnosis;
use crate::plan::{Action, Plan, Step};
use crate::report::diagnosis_human::diagnosis_human;
use crate::report::shown::{shown_action, shown_command as shown};
use crate::report::style::{Look, Style};
use crate::report::wrap::{wrap, wrap_prefixed};
use crate::screen::printable;

/// Who reads the plan: this tool's own user (who may carry it out with `recover`), or
/// another tool's (NemoClaw's hints), to whom `recover` and `--yes` mean nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reader {
    Ours,
    Embedded,
}

fn human_steps(steps: &[Step], label: impl Fn(usize) -> String, style: Style, reader: Reader, out: &mut String) {
    for (i, step) in steps.iter().enumerate() {
        let tag = format!("[{}]", step.applicability.as_str());
        let title = wrap_prefixed(&format!("{tag} {}", step.purpose), style.width, &format!("  {} ", label(i)), "       ", "");
        // Painted once wrapped: the wrapping counts columns, and escapes take none.
        out.push_str(&title.replacen(&tag, &style.paint(Look::Risk(step.applicability), &tag), 1));
        let needs = step.placeholders();
        if !needs.is_empty() {
            out.push_str(&wrap_prefixed(&needs.join(", "), style.width, "       needs: ", "              ", ""));
        }
        // A command stays whole on its own line, however narrow the terminal: it must
        // paste as planned. What it is expected to print follows, wrapped.
        if let Some(skip) = &step.skip_if {
            let _ = writeln!(out, "       skip when: {}", shown(&skip.argv));
            out.push_str(&wrap_prefixed(&skip.expect, style.width, "         → ", "           ", ""));
        }
        if let Some(pre) = &step.pre {
            let _ = writeln!(out, "       when: {}", shown(&pre.argv));
            out.push_str(&wrap_prefixed(&pre.expect, style.width, "         → ", "           ", ""));
        }
        if let Some(command) = shown_action(&step.action) {
            for line in command.lines() {
                let _ = writeln!(out, "       {line}");
            }
        }
        match &step.post {
            Some(post) if step.expects_own_output() => {
                out.push_str(&wrap_prefixed(&format!("expect: {}", printable(&post.expect)), style.width, "       (", "        ", ")"));
            }
            Some(post) => {
                let _ = writeln!(out, "       then: {}", shown(&post.argv));
                out.push_str(&wrap_prefixed(&post.expect, style.width, "         → ", "           ", ""));
            }
            None => {}
        }
        if let (Some(why), Reader::Ours) = (&step.in_person, reader) {
            out.push_str(&wrap_prefixed(&format!("asked of you even under --yes: {why}"), style.width, "       ", "       ", ""));
        }
        if let Some(Action::Argv(undo)) = &step.undo {
            let _ = writeln!(out, "       undo: {}", shown(undo));
            for (label, check) in [("if ", &step.undo_if), ("while ", &step.undo_safe)] {
                if let Some(check) = check {
                    out.push_str(&wrap_prefixed(&check.expect, style.width, &format!("         {label}"), "           ", ""));
                }
            }
        }
        if let Some(note) = &step.note {
            out.push_str(&wrap_prefixed(note, style.width, "       (", "        ", ")"));
        }
    }
}

/// The diagnosis, then the plan, for people.
#[must_use]
pub fn plan_human(diagnosis: &Diagnosis, plan: &Plan, style: Style) -> String {
    let mut out = diagnosis_human(diagnosis, style);
    out.push('\n');
    out.push_str(&recovery_human(plan, style));
    out
}

/// The diagnosis, then the plan, as another tool's hints (NemoClaw's): nothing about
/// this tool's own commands (`recover`, `--yes`).
#[must_use]
pub fn hints_human(diagnosis: &Diagnosis, plan: &Plan, style: Style) -> String {
    let mut out = diagnosis_human(diagnosis, style);
    out.push('\n');
    out.push_str(&recovery_for(plan, style, Reader::Embedded));
    out
}

/// The plan alone, for people (after a diagnosis already shown).
#[must_use]
pub fn recovery_human(plan: &Plan, style: Style) -> String {
    recovery_for(plan, style, Reader::Ours)
}

fn recovery_for(plan: &Plan, style: Style, reader: Reader) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", style.paint(Look::Heading, "recovery"));
    out.push_str(&wrap(&plan.headline, style.width, "  "));
    for note in &plan.notes {
        out.push_str(&wrap(note, style.width, "  "));
    }
    if let Some(context) = &plan.context {
        out.push('\n');
        out.push_str(&wrap("create context (secrets and the runtime environment omitted)", style.width, "  "));
        let providers = if context.providers.is_empty() { "none".to_owned() } else { context.providers.join(", ") };
        let rows = [
            ("source", Some(context.source.clone())),
            ("policy", Some(context.policy.clone())),
            ("providers", Some(providers)),
            ("gpu", Some(context.gpu.clone())),
            ("resources", context.resources.clone()),
            ("runtime environment", Some(context.runtime_environment.clone())),
        ];
        // Values in one column, wrapped under it.
        let column = " ".repeat(4 + "runtime environment: ".len());
        for (name, value) in rows.iter().filter_map(|(name, value)| Some((name, value.as_ref()?))) {
            let label = format!("    {:<21}", format!("{name}:"));
            out.push_str(&wrap_prefixed(value, style.width, &label, &column, ""));
        }
    }
    if !plan.steps.is_empty() {
        out.push('\n');
        human_steps(&plan.steps, |i| format!("{}.", i + 1), style, reader, &mut out);
    }
    for alternative in &plan.alternatives {
        out.push('\n');
        out.push_str(&wrap_prefixed(&alternative.title, style.width, "  alternative: ", "               ", ""));
        for condition in &alternative.conditions {
            out.push_str(&wrap_prefixed(condition, style.width, "    only if: ", "             ", ""));
        }
        human_steps(&alternative.steps, |i| format!("{}.", char::from(b'a' + (i % 26) as u8)), style, reader, &mut out);
    }
    if !plan.placeholders.is_empty() {
        out.push('\n');
        let heading = match reader {
            Reader::Ours => "values the commands read (`recover --set NAME=VALUE`, or the variable):",
            Reader::Embedded => "values the commands read (set each variable first, or replace the word where it says so):",
        };
        out.push_str(&wrap(heading, style.width, "  "));
        for p in plan.placeholders.list() {
            let carried =
                if p.carried.is_some() && reader == Reader::Ours { "; recover takes the create's own value from its argv" } else { "" };
            let line = format!("{} ({}): {}{carried}", p.name, p.variable(), p.reason);
            out.push_str(&wrap_prefixed(&line, style.width, "    ", "      ", ""));
        }
    }
    out
}
