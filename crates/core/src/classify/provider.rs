//! Provider validation: NemoClaw's `classifyValidationFailure`, with its rules as data.
//! The input is a short message plus the HTTP and curl statuses, not a log.

use std::sync::OnceLock;

use regex::Regex;

use crate::classify::terminal_text::clip_around;
use crate::model::{Diagnosis, Evidence, Retry};
use crate::redact::redact;
use crate::rules::{ProviderRule, Role, Rule, StageRules};
use crate::screen::printable;

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
    crate::screen::single_spaced(message).to_lowercase()
}

/// Whether a provider rule's conditions all hold for a normalised message.
fn holds(rule: &ProviderRule, normalised: &str, http_status: Option<u16>, curl_status: Option<i32>) -> bool {
    (!rule.curl_nonzero || curl_status.is_some_and(|c| c != 0))
        && (rule.http_status.is_empty() || http_status.is_some_and(|h| rule.http_status.contains(&h)))
        && rule.http_status_range.is_none_or(|(lo, hi)| http_status.is_some_and(|h| (lo..=hi).contains(&h)))
        && rule.message.as_ref().is_none_or(|p| p.regex().is_match(normalised))
}

/// Whether a provider rule's conditions all hold for a message (the self-check).
pub(crate) fn provider_rule_holds(rule: &ProviderRule, message: &str, http_status: Option<u16>, curl_status: Option<i32>) -> bool {
    holds(rule, &normalise(message), http_status, curl_status)
}

fn http_in_message() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| Regex::new(r"(?i)\b(?:HTTP(?:/\d(?:\.\d)?)?|status(?: code)?)[ :]+([1-5]\d\d)\b").expect("valid regex"))
}

fn curl_in_message() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| Regex::new(r"(?i)curl: \((\d+)\)|curl failed \(exit (-?\d+)\)").expect("valid regex"))
}

/// The statuses a message states when they were not given beside it: the last HTTP
/// status (NemoClaw falls back to the Chat Completions probe, reported last) and the
/// last curl exit status.
fn statuses_in(message: &str) -> (Option<u16>, Option<i32>) {
    let http = http_in_message().captures_iter(message).last().and_then(|c| c.get(1)).and_then(|m| m.as_str().parse().ok());
    let curl =
        curl_in_message().captures_iter(message).last().and_then(|c| c.get(1).or_else(|| c.get(2))).and_then(|m| m.as_str().parse().ok());
    (http, curl)
}

/// Classifies a validation failure: the first rule, by priority, whose conditions hold.
/// Statuses the caller did not give are read from the message.
#[must_use]
pub fn classify_provider(rules: &StageRules, failure: &ProviderFailure<'_>) -> Diagnosis {
    let (http, curl) = statuses_in(failure.message);
    let failure =
        &ProviderFailure { message: failure.message, http_status: failure.http_status.or(http), curl_status: failure.curl_status.or(curl) };
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
        // Masked once joined (a `Bearer` and its token may be on two lines), and quoted as
        // written: the rules match the lowercased message, people read the real one.
        let spaced = crate::screen::single_spaced(failure.message);
        let shown = redact(&spaced);
        diagnosis.evidence.push(Evidence { line: 1, text: printable(&clip_around(&shown, 0, 240)) });
    }
    if let Some((rule, provider)) = winner {
        diagnosis.kind = provider.kind;
        diagnosis.retry = Some(provider.retry);
        diagnosis.rule = Some(rule.id.clone());
        diagnosis.by_users_rule = rule.provenance.users;
        diagnosis.explanation.clone_from(&rule.explanation);
    }
    diagnosis
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_come_from_the_message_when_not_given() {
        assert_eq!(statuses_in("Responses API: HTTP 404 with no body\nChat Completions API: HTTP 400:"), (Some(400), None));
        assert_eq!(statuses_in("request failed with status code 429"), (Some(429), None));
        assert_eq!(statuses_in("curl: (28) Operation timed out after 30001 milliseconds"), (None, Some(28)));
        assert_eq!(statuses_in("Chat Completions API: curl failed (exit -110): spawnSync curl ETIMEDOUT"), (None, Some(-110)));
        assert_eq!(statuses_in("model llama-3 not found"), (None, None));
        assert_eq!(statuses_in("HTTP 40 is not a status; HTTP/1.1 503 Service Unavailable"), (Some(503), None));
    }
}
