//! A rule's line pattern: a regex and the literals any line it matches must contain.

use regex::{Regex, RegexBuilder};

/// A regex with the literals that any line it matches must contain. The anchors let the
/// scanner skip the vast majority of lines without running the regex. An anchor with an
/// upper-case letter matches exactly; others ignore ASCII case.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The literals; a matching line holds at least one.
    pub anchors: Vec<String>,
    /// The regex, run only on lines that hold an anchor.
    pub regex: Regex,
}

/// Regexes run on candidate lines only, and lines can be long; each compiled program and
/// its lazy DFA cache stay small so memory is bounded however many rules a user adds.
pub(crate) fn compile_regex(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .size_limit(2 << 20)
        .dfa_size_limit(1 << 20)
        .build()
        .map_err(|e| e.to_string().lines().last().unwrap_or("invalid regex").trim().to_owned())
}
