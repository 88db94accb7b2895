//! A recovery plan as data: ordered steps, each a command (or a pipeline) with its
//! purpose, how safe it is to run, and the probes that must hold before and after.
//! [`plan`] builds one from a diagnosis, pure: it names commands, it runs none.
//! Renderers turn a plan into text, JSON or a script; they never re-derive it from text.

mod context;
mod planner;
mod reading;
mod reads;
mod step;

pub use context::{create_context, CreateContext};
pub use planner::{plan, Frontend, PlanInput};
pub use reading::{read_failure, Reading, Sign};
pub use reads::{reads, step_words, Read};
pub use step::{Action, Applicability, Check, Holds, Step};

use crate::command::Placeholders;
use crate::model::Kind;

/// Another way out, with the conditions under which it works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    /// What the route is.
    pub title: String,
    /// When it works.
    pub conditions: Vec<String>,
    /// Its steps.
    pub steps: Vec<Step>,
}

/// The recovery for one diagnosis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The kind it recovers from.
    pub kind: Kind,
    /// The recovery in one sentence.
    pub headline: String,
    /// What else the operator should know.
    pub notes: Vec<String>,
    /// What the failed create asked for, when its argv was given.
    pub context: Option<CreateContext>,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Other routes, with their conditions.
    pub alternatives: Vec<Alternative>,
    /// The values the operator must supply for placeholders in the steps.
    pub placeholders: Placeholders,
    /// The steps are one sequence a tool may carry out in order, each checked (not
    /// choices for a person, such as connecting to a Ready sandbox or deleting one in
    /// Error).
    pub mechanical: bool,
    /// The id of the user's rule (`--rules DIR`) that decided the answer: the tool
    /// carries out nothing a user's rule decided, since a rules directory must never make
    /// it run a command.
    pub by_users_rule: Option<String>,
}

impl Plan {
    /// Why nothing of this plan may be carried out by the tool, when a user's rules took
    /// part in its answer (a kind of the user's own always comes from them): what every
    /// executor and script says as it stops before the first step.
    #[must_use]
    pub fn for_a_person_only(&self) -> Option<String> {
        match (self.kind, self.by_users_rule.as_deref()) {
            (Kind::UserKind, _) => Some("this is a kind of your own rules: its fix is yours to carry out".to_owned()),
            (_, Some(rule)) => {
                Some(format!("your own rules took part in this answer (rule `{rule}` decided it): its steps are yours to run"))
            }
            (_, None) => None,
        }
    }

    /// Every step, the alternatives' included.
    pub fn all_steps(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().chain(self.alternatives.iter().flat_map(|a| &a.steps))
    }
}
