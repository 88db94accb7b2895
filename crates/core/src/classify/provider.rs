//! Provider validation: NemoClaw's `classifyValidationFailure`, with its rules as data.
//! The input is a short message plus the HTTP and curl statuses, not a log.

use crate::classify::terminal_text::{clip_around, printable};
use crate::model::{Diagnosis, Evidence, Retry};
use crate::redact::redact;
use crate::rules::{ProviderRule, Role, Rule, StageRules};

/// A failed provider validation, as NemoClaw reports it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProviderFailure<'a> {
    /// The error message.
    pub message: &'a str,
    /// The HTTP status of the validation request.
    pub http_status: Option<u16>,
    /// curl's exit status.
    pub curl_status: Option<i32>,
}

/// NemoClaw's normalisation: whitespace runs collapsed to one space, trimmed, lowercased.
fn normalise(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Whether a provider rule's conditions all hold for a normalised message.
fn holds(rule: &ProviderRule, normalised: &str, http_status: Option<u16>, curl_status: Option<i32>) -> bool {
    (!rule.curl_nonzero || curl_status.is_some_and(|c| c != 0))
        && (rule.http_status.is_empty() || http_status.is_some_and(|h| rule.http_status.contains(&h)))
        && rule.http_status_range.is_none_or(|(lo, hi)| http_status.is_some_and(|h| (lo..=hi).contains(&h)))
        && rule.message.as_ref().is_none_or(|re| re.is_match(normalised))
}

/// Whether a provider rule's conditions all hold for a message (the self-check).
pub(crate) fn provider_rule_holds(rule: &ProviderRule, message: &str, http_status: Option<u16>, curl_status: Option<i32>) -> bool {
    holds(rule, &normalise(message), http_status, curl_status)
}

/// Classifies a validation failure: the first rule, by priority, whose conditions hold.
#[must_use]
pub fn classify_provider(rules: &StageRules, failure: &ProviderFailure<'_>) -> Diagnosis {
    let normalised = normalise(failure.message);
    let mut ordered: Vec<(&Rule, &ProviderRule)> = rules
        .rules()
        .iter()
        .filter_map(|rule| match &rule.role {
            Role::Provider(provider) => Some((rule, provider)),
            _ => None,
        })
        .collect();
    ordered.sort_by_key(|(rule, _)| std::cmp::Reverse(rule.priority));
    let winner = ordered.into_iter().find(|(_, provider)| holds(provider, &normalised, failure.http_status, failure.curl_status));
    let mut diagnosis =
        Diagnosis::unknown(rules.stage(), "The failure matches no known provider-validation pattern; choose the provider and model again.");
    diagnosis.retry = Some(Retry::Selection);
    diagnosis.lines = failure.message.lines().count() as u64;
    diagnosis.bytes = failure.message.len() as u64;
    if !normalised.is_empty() {
        // Masked before it is lowercased: some formats (AWS keys) are case-sensitive.
        let shown = normalise(&redact(failure.message));
        diagnosis.evidence.push(Evidence { line: 1, text: printable(&clip_around(&shown, 0, 240)) });
    }
    if let Some((rule, provider)) = winner {
        diagnosis.kind = provider.kind;
        diagnosis.retry = Some(provider.retry);
        diagnosis.rule = Some(rule.id.clone());
        diagnosis.explanation.clone_from(&rule.explanation);
    }
    diagnosis
}
