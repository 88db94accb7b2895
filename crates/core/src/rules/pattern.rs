//! A rule's line pattern: a regex and the literals any line it matches must contain.

use regex::{Regex, RegexBuilder};

/// A regex with the literals that any line it matches must contain. The anchors let the
/// scanner skip the vast majority of lines without running the regex. An anchor with an
/// upper-case letter matches exactly; others ignore ASCII case.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The literals; a matching line holds at least one.
    pub anchors: Vec<String>,
    source: String,
    /// The compiled regex: a user's at once (its errors are the loader's), a built-in
    /// one when first used, on a line holding its anchor or for an answer that asks
    /// (most never run on a given log, and the test suite compiles every one).
    compiled: std::sync::OnceLock<Regex>,
}

impl Pattern {
    /// A pattern whose regex compiles when first used.
    pub(crate) fn lazy(anchors: Vec<String>, source: &str) -> Pattern {
        Pattern { anchors, source: source.to_owned(), compiled: std::sync::OnceLock::new() }
    }

    /// A pattern with its regex compiled already.
    pub(crate) fn compiled(anchors: Vec<String>, source: &str, regex: Regex) -> Pattern {
        Pattern { anchors, source: source.to_owned(), compiled: std::sync::OnceLock::from(regex) }
    }

    /// The regex, run only on lines that hold an anchor.
    #[must_use]
    pub fn regex(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            compile_regex(&self.source, None).unwrap_or_else(|e| panic!("a built-in pattern compiles (the tests compile each one): {e}"))
        })
    }

    /// The regex's source text.
    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// Compiled program bytes one regex may take.
const REGEX_SIZE_LIMIT: usize = 2 << 20;

/// What a user's rules may take together, so memory stays bounded however many rules a
/// directory holds: compiled regex bytes, and anchors (each is a literal the scanner
/// searches every line for).
#[derive(Debug)]
pub(crate) struct UserBudget {
    regex_bytes: usize,
    anchors: usize,
}

/// Compiled bytes all of a user's regexes may take together.
const USER_REGEX_BYTES: usize = 8 << 20;
/// Anchors all of a user's rules may have together, and one pattern may have.
const USER_ANCHORS: usize = 4096;
pub(crate) const PATTERN_ANCHORS: usize = 64;

impl Default for UserBudget {
    fn default() -> Self {
        UserBudget { regex_bytes: USER_REGEX_BYTES, anchors: USER_ANCHORS }
    }
}

impl UserBudget {
    /// Takes `count` anchors from what is left.
    pub(crate) fn charge_anchors(&mut self, count: usize) -> Result<(), String> {
        if count > PATTERN_ANCHORS {
            return Err(format!("{count} anchors: a pattern may have at most {PATTERN_ANCHORS}"));
        }
        self.anchors = self.anchors.checked_sub(count).ok_or_else(|| format!("the rules have more than {USER_ANCHORS} anchors in all"))?;
        Ok(())
    }
}

/// Regexes run on candidate lines only, and lines can be long; each compiled program and
/// its lazy DFA cache stay small. A user's regexes are also charged to `budget`.
pub(crate) fn compile_regex(pattern: &str, budget: Option<&mut UserBudget>) -> Result<Regex, String> {
    let message = |e: &dyn std::fmt::Display| e.to_string().lines().last().unwrap_or("invalid regex").trim().to_owned();
    let regex = RegexBuilder::new(pattern).size_limit(REGEX_SIZE_LIMIT).dfa_size_limit(1 << 20).build().map_err(|e| message(&e))?;
    if let Some(budget) = budget {
        let left = &mut budget.regex_bytes;
        // The `regex` crate does not report its size; the engine it is built on does.
        let config = regex_automata::meta::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT));
        let measured = regex_automata::meta::Regex::builder().configure(config).build(pattern).map_err(|e| message(&e))?.memory_usage();
        if measured > *left {
            return Err(format!("the rules' regexes take more than the {} MiB allowed in all", USER_REGEX_BYTES >> 20));
        }
        *left -= measured;
    }
    Ok(regex)
}

/// What builders and CI runners print before a tool's own line: a runner's timestamp
/// (`2024-01-02T03:04:05.1234567Z `), Cloud Build's step (`Step #0 - "build": `),
/// BuildKit's step and elapsed time (`#12 3.456 `), and indentation.
const TOOL_LINE_PREFIX: &str =
    r#"(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\s+)?(?:Step #\d+(?: - "[^"]*")?: )?(?:#\d+ )?(?:\d+\.\d+ )?\s*"#;

/// A pattern that must match where a tool's line begins, after [`TOOL_LINE_PREFIX`]: a
/// rule names the tool's words once and sees them in every builder's and runner's log.
pub(crate) fn at_line_start(pattern: &str) -> String {
    format!("^{TOOL_LINE_PREFIX}(?:{pattern})")
}
