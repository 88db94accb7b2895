//! A kind of the user's own rules: the plan is the fix their rule file gives, for a
//! person to carry out. A rules directory never makes the tool run a command, so the
//! plan holds no command at all.

use crate::model::{Diagnosis, Kind};
use crate::plan::{Plan, Step};

/// An answer a user's rule took part in (decided it, or matched a line of the output, or
/// removed a built-in rule) is a plan for a person: a rules directory must never make the
/// tool run a command.
pub(super) fn for_a_person(d: &Diagnosis, plan: &mut Plan) {
    if !d.by_users_rule {
        return;
    }
    let rule = d.rule.clone().unwrap_or_default();
    if d.kind != Kind::UserKind {
        plan.notes.push(format!(
            "your own rules (`--rules`) took part in this answer (rule `{rule}` decided it): the tool carries out nothing they took part in; the steps are for you to run"
        ));
    }
    plan.mechanical = false;
    plan.by_users_rule = Some(rule);
}

use super::Planner;

impl Planner<'_> {
    /// The user's fix as the plan's one step; no command, not even a probe.
    pub(super) fn users_own(&self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        let Some(own) = &d.user_kind else {
            // A user's kind always comes with its rule's fix; without one there is nothing to say.
            plan.headline = "A kind of your own rules, whose fix the diagnosis does not carry.".to_owned();
            return;
        };
        plan.headline = format!("{}.", own.title.trim_end_matches('.'));
        let rule = d.rule.as_deref().unwrap_or("?");
        plan.notes.push(format!(
            "`{}` is a kind of your own rules (rule `{rule}`): the fix below is that rule file's, shown and never run by this tool.",
            own.id
        ));
        plan.steps.push(Step::advice(own.fix.clone()));
    }
}
