//! Provider validation: NemoClaw's `classifyValidationFailure`, with its rules as data.
//! The input is a short message plus the HTTP and curl statuses, not a log.

use crate::diagnosis::{Diagnosis, Evidence};
use crate::kind::{Kind, Retry};
use crate::rule::{Matcher, ProviderCondition, Role, Rule};
use crate::stage_rules::StageRules;
use crate::text::clip_around;

/// NemoClaw's normalisation: whitespace runs collapsed to one space, trimmed, lowercased.
#[must_use]
pub fn normalise(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Whether a provider rule's conditions all hold.
#[must_use]
pub fn holds(condition: &ProviderCondition, normalised: &str, http_status: Option<u16>, curl_status: Option<i32>) -> bool {
    (!condition.curl_nonzero || curl_status.is_some_and(|c| c != 0))
        && (condition.http_status.is_empty() || http_status.is_some_and(|h| condition.http_status.contains(&h)))
        && condition.http_status_range.is_none_or(|(lo, hi)| http_status.is_some_and(|h| (lo..=hi).contains(&h)))
        && condition.message.as_ref().is_none_or(|re| re.is_match(normalised))
}

/// Classifies a validation failure: the first rule, by priority, whose conditions hold.
#[must_use]
pub fn classify_provider(rules: &StageRules, message: &str, http_status: Option<u16>, curl_status: Option<i32>) -> Diagnosis {
    let normalised = normalise(message);
    let mut ordered: Vec<&Rule> = rules.rules().iter().filter(|r| r.role == Role::Provider).collect();
    ordered.sort_by_key(|r| std::cmp::Reverse(r.priority));
    let winner = ordered.into_iter().find(|rule| match &rule.matcher {
        Matcher::Provider(condition) => holds(condition, &normalised, http_status, curl_status),
        _ => false,
    });
    let mut diagnosis = Diagnosis {
        stage: rules.stage(),
        kind: Kind::Unknown,
        phase: None,
        uploaded_to_gateway: false,
        built_image_ref: None,
        gateway: None,
        sandbox: None,
        engine: None,
        failed_step: None,
        exported_mib: None,
        rule: None,
        explanation: "The failure matches no known provider-validation pattern; choose the provider and model again.".to_owned(),
        evidence: Vec::new(),
        retry: Some(Retry::Selection),
        lines: message.lines().count() as u64,
        bytes: message.len() as u64,
    };
    if !normalised.is_empty() {
        diagnosis.evidence.push(Evidence { line: 1, text: crate::redact::redact(&clip_around(&normalised, 0, 240)).into_owned() });
    }
    if let Some(rule) = winner {
        diagnosis.kind = rule.kind.unwrap_or(Kind::Unknown);
        diagnosis.retry = rule.retry;
        diagnosis.rule = Some(rule.id.clone());
        diagnosis.explanation.clone_from(&rule.explanation);
    }
    diagnosis
}
