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

/// Compiled program bytes one regex may take.
const REGEX_SIZE_LIMIT: usize = 2 << 20;

/// Regexes run on candidate lines only, and lines can be long; each compiled program and
/// its lazy DFA cache stay small. A user's rules also share `budget` (compiled bytes
/// left), so memory stays bounded however many rules a directory holds.
pub(crate) fn compile_regex(pattern: &str, budget: Option<&mut usize>) -> Result<Regex, String> {
    let message = |e: &dyn std::fmt::Display| e.to_string().lines().last().unwrap_or("invalid regex").trim().to_owned();
    let regex = RegexBuilder::new(pattern).size_limit(REGEX_SIZE_LIMIT).dfa_size_limit(1 << 20).build().map_err(|e| message(&e))?;
    if let Some(left) = budget {
        // The `regex` crate does not report its size; the engine it is built on does.
        let config = regex_automata::meta::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT));
        let measured = regex_automata::meta::Regex::builder().configure(config).build(pattern).map_err(|e| message(&e))?.memory_usage();
        if measured > *left {
            return Err(format!("the rules' regexes take more than the {} MiB allowed in all", USER_REGEX_BUDGET >> 20));
        }
        *left -= measured;
    }
    Ok(regex)
}

/// Compiled bytes all of a user's regexes may take together.
pub(crate) const USER_REGEX_BUDGET: usize = 32 << 20;
