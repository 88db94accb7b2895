//! Provider validation: what to choose or fix before retrying.

use super::{Kind, Plan, Planner, Step};

impl Planner<'_> {
    pub(super) fn provider(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        plan.headline.clone_from(&d.explanation);
        let advice = match d.kind {
            Kind::Transport => "Check the network path to the provider (proxy, DNS, TLS interception), then retry",
            Kind::Credential => "Enter a valid API key for the provider",
            Kind::Model => "Choose a model the provider serves",
            Kind::Endpoint => "Choose the right provider or base URL",
            _ => "Choose the provider and model again",
        };
        plan.steps.push(Step::advice(advice));
        self.push_resume(&mut plan.steps);
    }
}
