//! Running a rule on its own cases with the classifier's own machinery: line rules go
//! through the streaming classifier alone (terminal cleaning, anchors, multi-line
//! summaries, parts), rules that decide from a whole run are judged by the answer the
//! stage's rules give, and provider rules by the provider classifier's test.

use crate::classify::{classify, matches_alone, provider_rule_holds, Options};
use crate::rules::{Catalogue, Role, Rule, RuleCase, StageRules};

/// Whether `rule` fires on `case`.
#[must_use]
pub fn fires(catalogue: &Catalogue, rule: &Rule, case: &RuleCase) -> bool {
    match &rule.role {
        // These decide from the whole run: they fire when the stage's answer is theirs.
        Role::FailedCommand(_) | Role::ExitStatus(_) => {
            let rules = StageRules::new(catalogue, rule.stage);
            let options = Options { exit_status: case.exit_status, ..Options::default() };
            classify(&rules, options, case.text.as_bytes()).rule.as_deref() == Some(rule.id.as_str())
        }
        Role::Provider(provider) => provider_rule_holds(provider, &case.text, case.http_status, case.curl_status),
        _ => matches_alone(rule, case.text.as_bytes()),
    }
}

impl Rule {
    /// Runs the rule on each of its cases: `(case, passed)`.
    pub fn check_cases<'a>(&'a self, catalogue: &'a Catalogue) -> impl Iterator<Item = (&'a RuleCase, bool)> + 'a {
        self.cases.iter().map(move |case| (case, fires(catalogue, self, case) == case.fires))
    }
}
