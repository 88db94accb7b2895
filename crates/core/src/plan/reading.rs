//! What a failed check means: the words a probe prints when the machine is not in the
//! state the plan needs, read into one sentence about the machine and the next thing to
//! do. A recovery that ends on a failed check never ends on a bare "check failed": the
//! executor and the script read what the probe printed and say this.

use serde::Serialize;

use crate::command::Word;

/// What in a probe's output shows a state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Sign {
    /// Its output (standard output or error) contains one of these, ignoring case.
    Says {
        /// The words, each said a different way by another engine or release.
        any: Vec<String>,
    },
    /// It succeeded and a line of its standard output is exactly this.
    PrintsLine {
        /// The line.
        line: String,
    },
    /// It succeeded and printed a row whose first column is `first` and last `last`.
    Row {
        /// The first column.
        first: String,
        /// The last column.
        last: String,
    },
    /// Its program is not installed here (it could not be started, or exit status 127).
    NotInstalled,
    /// Any failure: the reading of last resort for a check whose failure means one thing.
    Fails,
}

impl Sign {
    /// Whether a probe that ended with `status` (`None`: it could not be started) and
    /// printed `stdout` and `stderr` shows it.
    #[must_use]
    pub fn shown_by(&self, status: Option<i32>, stdout: &str, stderr: &str) -> bool {
        match self {
            Sign::Says { any } => {
                let (stdout, stderr) = (stdout.to_ascii_lowercase(), stderr.to_ascii_lowercase());
                any.iter().map(|t| t.to_ascii_lowercase()).any(|t| stdout.contains(&t) || stderr.contains(&t))
            }
            Sign::PrintsLine { line } => status == Some(0) && stdout.lines().any(|l| l.trim_end_matches('\r') == line),
            Sign::Row { first, last } => {
                let row = crate::plan::Holds::PrintsRow { first: Word::lit(first), last: Word::lit(last) };
                status == Some(0) && row.shown_by(stdout, Word::display)
            }
            Sign::NotInstalled => matches!(status, None | Some(127)),
            Sign::Fails => true,
        }
    }
}

/// A state a failed check can show, and the way on from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// What shows it.
    pub sign: Sign,
    /// The machine's state, in one sentence.
    pub state: String,
    /// The next command, when one command is the way on.
    pub next: Option<Vec<Word>>,
    /// What else to know or do (another machine, a choice).
    pub advice: Option<String>,
}

impl Reading {
    /// A reading whose way on is `next`.
    #[must_use]
    pub fn new(sign: Sign, state: impl Into<String>, next: Option<Vec<Word>>) -> Reading {
        Reading { sign, state: state.into(), next, advice: None }
    }

    /// With advice.
    #[must_use]
    pub fn with_advice(mut self, advice: impl Into<String>) -> Reading {
        self.advice = Some(advice.into());
        self
    }

    /// A sign that the output says one of `texts`.
    #[must_use]
    pub fn says(texts: &[&str]) -> Sign {
        Sign::Says { any: texts.iter().map(|t| (*t).to_owned()).collect() }
    }
}

/// The first reading a failed probe's output shows.
#[must_use]
pub fn read_failure<'a>(readings: &'a [Reading], status: Option<i32>, stdout: &str, stderr: &str) -> Option<&'a Reading> {
    readings.iter().find(|r| r.sign.shown_by(status, stdout, stderr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_reading_whose_sign_shows_wins() {
        let readings = vec![
            Reading::new(Sign::NotInstalled, "no engine", None),
            Reading::new(Reading::says(&["No such object", "no such container"]), "no container", None),
            Reading::new(Sign::PrintsLine { line: "false".into() }, "stopped", None),
        ];
        let state = |status, out: &str, err: &str| read_failure(&readings, status, out, err).map(|r| r.state.as_str());
        assert_eq!(state(Some(1), "", "Error: no such object: x"), Some("no container"));
        assert_eq!(state(Some(1), "Error: No such container: x", ""), Some("no container"));
        assert_eq!(state(None, "", ""), Some("no engine"));
        assert_eq!(state(Some(127), "", "sh: podman: not found"), Some("no engine"));
        assert_eq!(state(Some(0), "false\n", ""), Some("stopped"));
        assert_eq!(state(Some(1), "false\n", ""), None);
        assert_eq!(state(Some(1), "", "something else"), None);
    }

    #[test]
    fn a_row_shows_only_in_a_successful_listing() {
        let row = Sign::Row { first: "web".into(), last: "Ready".into() };
        let listing = "NAME  CREATED  PHASE\nweb  2026-12-04 10:00:00  \u{1b}[32mReady\u{1b}[0m\n";
        assert!(row.shown_by(Some(0), listing, ""));
        assert!(!row.shown_by(Some(1), listing, ""));
        assert!(!row.shown_by(Some(0), "web  2026-12-04 10:00:00  Error\n", ""));
        assert!(!row.shown_by(Some(0), "other  2026-12-04 10:00:00  Ready\n", ""));
        assert!(Sign::Fails.shown_by(Some(0), "", ""));
        assert!(Sign::PrintsLine { line: "false".into() }.shown_by(Some(0), "false\n", ""));
    }
}
