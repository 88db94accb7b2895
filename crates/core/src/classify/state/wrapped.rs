//! Phrases a terminal or miette broke across two lines (`Temporary failur` /
//! `e in name resolution`, `unresolvable CDI` / `│ devices`): the rules that say their
//! phrase wraps also run on a line joined with the next, without the next line's
//! gutter. Each pair is joined once, in the windows only, so the cost stays linear.

use super::Analysis;
use crate::classify::terminal_text::lossy;

/// What starts a continuation line but is not text: spaces, miette's gutter, BuildKit's
/// live-view prefix.
fn continuation(line: &[u8]) -> &[u8] {
    let mut rest = line;
    loop {
        let trimmed = rest.trim_ascii_start();
        let next = trimmed
            .strip_prefix("│".as_bytes())
            .or_else(|| trimmed.strip_prefix(b"|"))
            .or_else(|| trimmed.strip_prefix(b"=> => #"))
            .or_else(|| trimmed.strip_prefix(b"=> #"));
        match next {
            Some(next) => rest = next,
            None => return trimmed,
        }
    }
}

impl Analysis<'_> {
    /// Runs the wrapping rules on line `first` (its text `before`) joined with the next
    /// line (`after`): once as they stand (a word cut in two) and once with a space (a
    /// break between words). A match counts on line `first`.
    pub(super) fn examine_joined(&mut self, first: u64, before: &[u8], after: &[u8]) {
        if !self.rules.rules().iter().any(crate::rules::Rule::wraps) {
            return;
        }
        let after = continuation(after);
        if after.is_empty() {
            return;
        }
        let tail = &before[before.len().saturating_sub(160)..];
        let head = &after[..after.len().min(160)];
        let saved = self.current_line;
        self.current_line = first;
        for separator in [&b""[..], b" "] {
            let joined = [tail, separator, head].concat();
            let lower = joined.to_ascii_lowercase();
            self.examine_wrapping(first, &joined, &lower, tail.len()..tail.len() + separator.len());
        }
        self.current_line = saved;
    }
}

impl Analysis<'_> {
    /// The wrapping rules on a joined pair of lines: a match counts only when it spans
    /// the `seam` (a phrase either line holds whole was matched on that line already).
    fn examine_wrapping(&mut self, number: u64, joined: &[u8], lower: &[u8], seam: std::ops::Range<usize>) {
        let mut patterns = std::mem::take(&mut self.scratch);
        self.rules.patterns_in(joined, lower, &mut patterns);
        let text = lossy(joined);
        for &(ri, _) in &patterns {
            let rules: &crate::rules::StageRules = self.rules;
            let rule = &rules.rules()[ri as usize];
            let [pattern] = rule.line_patterns() else { continue };
            if !rule.wraps() || !self.counts(rule, false) {
                continue;
            }
            if let Some(caps) = pattern.regex().captures(&text) {
                let found = caps.get(0).map_or(0..0, |m| m.range());
                if found.start < seam.start && found.end > seam.end {
                    self.on_match(
                        ri as usize,
                        &super::facts::Groups::new(pattern.regex(), &caps),
                        "",
                        vec![super::evidence(number, &text, found.start)],
                    );
                }
            }
        }
        self.scratch = patterns;
    }
}
