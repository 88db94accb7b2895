//! Classification: output in, [`Diagnosis`] out.
//!
//! A create's or gateway's output is a log: the [`Classifier`] streams it through the
//! scanner in bounded memory, keeps the streaming state (phase, facts, build step,
//! matches) and decides once the output ends. A provider-validation failure is a short
//! message with HTTP and curl statuses, judged whole by [`classify_provider`]. Which of
//! the two drives a [`Classifier`] is chosen once, from the stage.

mod chunk_search;
mod correlate;
mod decide;
mod provider;
mod read_ahead;
mod scanner;
mod sifter;
pub(crate) mod state;
pub(crate) mod terminal_text;
mod triage;

use std::io::{self, Read};

pub(crate) use provider::provider_rule_holds;
pub use provider::{classify_provider, ProviderFailure};
pub use sifter::{Sifted, Sifter};
pub use triage::{StageSet, Triage};

use crate::model::{Diagnosis, Phase, Stage, Version};
use crate::rules::{Rule, StageRules};
use decide::decide;
use scanner::Scanner;
use state::Analysis;

/// A provider-validation message is short; more than this is not read.
const PROVIDER_MESSAGE_MAX: usize = 64 * 1024;

/// What began in the output: a phase, or a build step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begun {
    /// A phase was entered.
    Phase(Phase),
    /// A build step began, as people are shown it (`[2/7] RUN make`).
    Step(String),
}

/// What is known about the run besides its output.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// The command's exit status, when known. 0 means it succeeded.
    pub exit_status: Option<i32>,
    /// The OpenShell CLI version, when known: messages it cannot print are not matched.
    pub openshell_version: Option<Version>,
    /// A signal the command was sent from outside (SIGINT, SIGTERM, SIGHUP), when a
    /// supervisor passed one on: the run was interrupted, whatever status it ended with.
    pub signal: Option<i32>,
    /// A supervisor ran the command and captured both its streams (as `run` does): an
    /// empty output is the command's own silence, not a lost stderr.
    pub supervised: bool,
    /// The command failed, its status not told (NemoClaw classifies only failed creates,
    /// and does not pass the status on): a run that ends inside a build step failed in
    /// it, as with a non-zero status.
    pub failed: bool,
}

/// How the input is read: a log streamed line by line, or a message held whole.
#[derive(Debug)]
enum Driver<'r> {
    Log { scanner: Scanner, analysis: Box<Analysis<'r>> },
    Message { bytes: Vec<u8> },
}

/// Classifies one stream of output in bounded memory.
#[derive(Debug)]
pub struct Classifier<'r> {
    rules: &'r StageRules,
    options: Options,
    driver: Driver<'r>,
}

impl<'r> Classifier<'r> {
    /// A classifier for `rules`' stage.
    #[must_use]
    pub fn new(rules: &'r StageRules, options: Options) -> Classifier<'r> {
        Classifier::with_buffer(rules, options, scanner::DEFAULT_CAPACITY)
    }

    /// A classifier whose scan buffer holds `capacity` bytes (lines longer than that
    /// are examined in pieces of that size).
    #[must_use]
    pub fn with_buffer(rules: &'r StageRules, options: Options, capacity: usize) -> Classifier<'r> {
        let driver = if rules.stage() == Stage::ProviderValidation {
            Driver::Message { bytes: Vec::new() }
        } else {
            Driver::Log { scanner: Scanner::with_capacity(capacity), analysis: Box::new(Analysis::new(rules, options.openshell_version)) }
        };
        Classifier { rules, options, driver }
    }

    /// Takes the next bytes of output, in pieces of any size.
    pub fn feed(&mut self, bytes: &[u8]) {
        match &mut self.driver {
            Driver::Log { scanner, analysis } => scanner.feed(bytes, self.rules.anchors(), analysis.as_mut()),
            Driver::Message { bytes: message } => {
                let room = PROVIDER_MESSAGE_MAX.saturating_sub(message.len());
                message.extend_from_slice(&bytes[..room.min(bytes.len())]);
            }
        }
    }

    /// Reads `reader` to its end, on a second thread that reads and cleans ahead while
    /// this one classifies, in bounded memory.
    pub fn read_from(&mut self, reader: impl Read + Send) -> io::Result<()> {
        self.read_with(reader, |_| {})
    }

    /// [`Classifier::read_from`], showing `observe` each piece read (on the reading
    /// thread, straight from the scan buffer: the bytes are copied once, by the kernel).
    pub(crate) fn read_with(&mut self, reader: impl Read + Send, mut observe: impl FnMut(&[u8]) + Send) -> io::Result<()> {
        let Driver::Log { scanner, analysis } = &mut self.driver else {
            let mut message = Vec::new();
            reader.take(PROVIDER_MESSAGE_MAX as u64).read_to_end(&mut message)?;
            observe(&message);
            self.feed(&message);
            return Ok(());
        };
        let sifting = read_ahead::Sifting { anchors: self.rules.anchors(), rules: Some(self.rules) };
        read_ahead::read_ahead(reader, observe, scanner, sifting, analysis.as_mut())
    }

    /// Processes the complete lines received so far (for live output).
    pub fn flush_lines(&mut self) {
        if let Driver::Log { scanner, analysis } = &mut self.driver {
            scanner.flush_lines(self.rules.anchors(), analysis.as_mut());
        }
    }

    /// The answer so far, while the output goes on (the exit status is not known yet).
    /// Only complete lines already handed over count: call [`Classifier::flush_lines`].
    #[must_use]
    pub fn peek(&self) -> Diagnosis {
        match &self.driver {
            Driver::Log { scanner, analysis } => decide(analysis, Options::default(), scanner.lines_seen(), scanner.bytes_seen()),
            Driver::Message { bytes } => message_answer(self.rules, bytes),
        }
    }

    /// The phase the output has reached so far.
    #[must_use]
    pub fn phase(&self) -> Option<Phase> {
        match &self.driver {
            Driver::Log { analysis, .. } => analysis.phase(),
            Driver::Message { .. } => None,
        }
    }

    /// What began at lines after `line`, in the order printed: the phases entered and the
    /// build steps begun (`[2/7] RUN make`, secrets masked), each with its line. Several
    /// can begin in one piece of output; a caller following a run live asks after each.
    #[must_use]
    pub fn begun_after(&self, line: u64) -> Vec<(u64, Begun)> {
        let Driver::Log { analysis, .. } = &self.driver else { return Vec::new() };
        let mut begun: Vec<(u64, Begun)> = analysis.timeline.entered_after(line).map(|(at, phase)| (at, Begun::Phase(phase))).collect();
        let steps = analysis.build.begun.iter().filter(|step| step.line > line);
        begun.extend(steps.map(|step| (step.line, Begun::Step(crate::redact(&step.shown()).into_owned()))));
        // A phase before a step on its own line: the build begins with its first step.
        begun.sort_by_key(|(at, what)| (*at, matches!(what, Begun::Step(_))));
        begun
    }

    /// Whether the output so far shows this stage's own markers (a build step, an
    /// upload, a sandbox being created), not merely wording other output prints too.
    #[must_use]
    pub fn shows_markers(&self) -> bool {
        match &self.driver {
            Driver::Log { analysis, .. } => analysis.marked(),
            Driver::Message { .. } => false,
        }
    }

    /// The answer, once the output has ended, for a command whose exit status (and any
    /// signal passed on to it) became known only then (a supervised run).
    #[must_use]
    pub fn finish_with(mut self, exit_status: Option<i32>, signal: Option<i32>) -> Diagnosis {
        self.options.exit_status = exit_status;
        self.options.signal = signal;
        self.finish()
    }

    /// The answer, once the output has ended.
    #[must_use]
    pub fn finish(mut self) -> Diagnosis {
        match &mut self.driver {
            Driver::Log { scanner, analysis } => {
                scanner.finish(self.rules.anchors(), analysis.as_mut());
                decide(analysis, self.options, scanner.lines_seen(), scanner.bytes_seen())
            }
            Driver::Message { bytes } => message_answer(self.rules, bytes),
        }
    }
}

/// A provider message read through a [`Classifier`], with no statuses beside it.
fn message_answer(rules: &StageRules, bytes: &[u8]) -> Diagnosis {
    let message = String::from_utf8_lossy(bytes);
    classify_provider(rules, &ProviderFailure { message: &message, http_status: None, curl_status: None })
}

/// Classifies a complete output held in memory.
#[must_use]
pub fn classify(rules: &StageRules, options: Options, output: &[u8]) -> Diagnosis {
    let mut classifier = Classifier::new(rules, options);
    classifier.feed(output);
    classifier.finish()
}

/// Whether `rule`, alone and in any phase, matches somewhere in `text`: the classifier's
/// own line machinery, for the rule's self-check.
pub(crate) fn matches_alone(rule: &Rule, text: &[u8]) -> bool {
    let rules = StageRules::probe(rule);
    let mut scanner = Scanner::with_capacity(scanner::DEFAULT_CAPACITY.min(text.len().max(64) * 2));
    let mut analysis = Analysis::new(&rules, None);
    scanner.feed(text, rules.anchors(), &mut analysis);
    scanner.finish(rules.anchors(), &mut analysis);
    analysis.hits.first().is_some_and(|hits| hits.count > 0)
}
