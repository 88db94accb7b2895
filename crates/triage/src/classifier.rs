//! The streaming classifier: feed it output as it arrives, then ask for the answer.

use std::io::{self, Read};

use crate::analysis::Analysis;
use crate::decide::decide;
use crate::diagnosis::Diagnosis;
use crate::host::Version;
use crate::kind::Stage;
use crate::provider::classify_provider;
use crate::scanner::Scanner;
use crate::stage_rules::StageRules;

/// A provider-validation message is short; more than this is not read.
const PROVIDER_MESSAGE_MAX: usize = 64 * 1024;

/// What is known about the run besides its output.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// The command's exit status, when known. 0 means it succeeded.
    pub exit_status: Option<i32>,
    /// The OpenShell CLI version, when known: messages it cannot print are not matched.
    pub openshell_version: Option<Version>,
    /// Provider validation: the HTTP status of the validation request.
    pub http_status: Option<u16>,
    /// Provider validation: curl's exit status.
    pub curl_status: Option<i32>,
}

/// Classifies one stream of output in bounded memory.
#[derive(Debug)]
pub struct Classifier<'r> {
    rules: &'r StageRules,
    options: Options,
    scanner: Scanner,
    analysis: Analysis<'r>,
    message: Vec<u8>,
}

impl<'r> Classifier<'r> {
    #[must_use]
    pub fn new(rules: &'r StageRules, options: Options) -> Classifier<'r> {
        Classifier::with_buffer(rules, options, crate::scanner::DEFAULT_CAPACITY)
    }

    /// A classifier whose scan buffer holds `capacity` bytes (lines longer than that
    /// are examined in pieces of that size).
    #[must_use]
    pub fn with_buffer(rules: &'r StageRules, options: Options, capacity: usize) -> Classifier<'r> {
        let capacity = if rules.stage() == Stage::ProviderValidation { 64 } else { capacity };
        Classifier {
            rules,
            options,
            scanner: Scanner::with_capacity(capacity),
            analysis: Analysis::new(rules, options.openshell_version),
            message: Vec::new(),
        }
    }

    /// Takes the next bytes of output, in pieces of any size.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.rules.stage() == Stage::ProviderValidation {
            let room = PROVIDER_MESSAGE_MAX.saturating_sub(self.message.len());
            self.message.extend_from_slice(&bytes[..room.min(bytes.len())]);
            return;
        }
        self.scanner.feed(bytes, self.rules.anchors(), &mut self.analysis);
    }

    /// Reads `reader` to its end, straight into the scan buffer.
    pub fn read_from(&mut self, mut reader: impl Read) -> io::Result<()> {
        if self.rules.stage() == Stage::ProviderValidation {
            let mut limited = reader.take(PROVIDER_MESSAGE_MAX as u64);
            let mut message = Vec::new();
            limited.read_to_end(&mut message)?;
            self.feed(&message);
            return Ok(());
        }
        loop {
            match reader.read(self.scanner.spare()) {
                Ok(0) => return Ok(()),
                Ok(n) => self.scanner.commit(n, self.rules.anchors(), &mut self.analysis),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Processes the complete lines received so far (for live output).
    pub fn flush_lines(&mut self) {
        if self.rules.stage() != Stage::ProviderValidation {
            self.scanner.flush_lines(self.rules.anchors(), &mut self.analysis);
        }
    }

    /// The answer so far, while the output goes on (the exit status is not known yet).
    /// Only complete lines already handed over count: call [`Classifier::flush_lines`].
    #[must_use]
    pub fn peek(&self) -> Diagnosis {
        if self.rules.stage() == Stage::ProviderValidation {
            let message = String::from_utf8_lossy(&self.message);
            return classify_provider(self.rules, &message, self.options.http_status, self.options.curl_status);
        }
        decide(&self.analysis, None, self.scanner.lines_seen(), self.scanner.bytes_seen())
    }

    /// The phase the output has reached so far.
    #[must_use]
    pub fn phase(&self) -> Option<crate::phase::Phase> {
        self.analysis.phase
    }

    /// The answer, once the output has ended, for a command whose exit status became
    /// known only then (a supervised run).
    #[must_use]
    pub fn finish_with(mut self, exit_status: Option<i32>) -> Diagnosis {
        self.options.exit_status = exit_status;
        self.finish()
    }

    /// The answer, once the output has ended.
    #[must_use]
    pub fn finish(mut self) -> Diagnosis {
        if self.rules.stage() == Stage::ProviderValidation {
            let message = String::from_utf8_lossy(&self.message);
            return classify_provider(self.rules, &message, self.options.http_status, self.options.curl_status);
        }
        self.scanner.finish(self.rules.anchors(), &mut self.analysis);
        decide(&self.analysis, self.options.exit_status, self.scanner.lines_seen(), self.scanner.bytes_seen())
    }
}

/// Classifies a complete output held in memory.
#[must_use]
pub fn classify(rules: &StageRules, options: Options, output: &[u8]) -> Diagnosis {
    let mut classifier = Classifier::new(rules, options);
    classifier.feed(output);
    classifier.finish()
}
