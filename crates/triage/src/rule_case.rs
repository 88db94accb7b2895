//! Running a rule on its own cases, the way the classifier runs it: a line counts only
//! if it holds one of the pattern's anchors and the regex matches it.

use crate::catalogue::Catalogue;
use crate::classifier::{classify, Options};
use crate::provider::{holds, normalise};
use crate::rule::{Matcher, Pattern, Rule, RuleCase};
use crate::stage_rules::StageRules;

/// Whether `line` holds one of the anchors: exactly when the anchor has upper-case
/// letters, ignoring ASCII case otherwise.
#[must_use]
pub fn holds_anchor(anchors: &[String], line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    anchors.iter().any(|a| if a.bytes().any(|b| b.is_ascii_uppercase()) { line.contains(a.as_str()) } else { lower.contains(a.as_str()) })
}

fn line_matches(pattern: &Pattern, line: &str) -> bool {
    holds_anchor(&pattern.anchors, line) && pattern.regex.is_match(line)
}

/// Whether `rule` fires on `case`. Line and provider rules are run alone; rules that
/// decide from a whole run (failed-command and exit-status rules) fire when the
/// classification of the case with `catalogue` is decided by them.
#[must_use]
pub fn fires(catalogue: &Catalogue, rule: &Rule, case: &RuleCase) -> bool {
    let lines: Vec<&str> = case.text.split('\n').collect();
    match &rule.matcher {
        Matcher::Line(pattern) => {
            if lines.iter().any(|line| line_matches(pattern, line)) {
                return true;
            }
            // A summary that spans lines: it starts on an anchored line and ends on the
            // line that holds the terminator.
            rule.continue_until.as_ref().is_some_and(|until| {
                lines.iter().position(|line| pattern.anchors.iter().any(|a| line.to_ascii_lowercase().contains(a.as_str()))).is_some_and(
                    |start| {
                        let rest = &lines[start..];
                        rest.iter()
                            .position(|line| line.to_ascii_lowercase().contains(until.as_str()))
                            .is_some_and(|end| pattern.regex.is_match(&rest[..=end].join("\n")))
                    },
                )
            })
        }
        Matcher::Parts { parts, within_lines } => {
            let found: Vec<Option<usize>> = parts.iter().map(|part| lines.iter().rposition(|line| line_matches(part, line))).collect();
            if found.iter().any(Option::is_none) {
                return false;
            }
            let positions = found.iter().flatten();
            let (lo, hi) = (positions.clone().min().copied().unwrap_or(0), positions.max().copied().unwrap_or(0));
            within_lines.is_none_or(|within| ((hi - lo) as u64) < within)
        }
        Matcher::Command(_) | Matcher::Exit(_) => {
            let rules = StageRules::new(catalogue, rule.stage);
            let options = Options { exit_status: case.exit_status, ..Options::default() };
            classify(&rules, options, case.text.as_bytes()).rule.as_deref() == Some(rule.id.as_str())
        }
        Matcher::Provider(condition) => holds(condition, &normalise(&case.text), case.http_status, case.curl_status),
    }
}
