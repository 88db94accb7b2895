//! Output whose stage is given, or told from the output when it is not: every stage's
//! rules compiled once ([`StageSet`]), and a [`Triage`] that streams the output through
//! the create classifier (it shows whether the output is a create at all) beside the
//! stage asked for, so a confident answer is never given for output of another stage.

use std::io::{self, Read};
use std::sync::OnceLock;

use crate::classify::{classify, classify_provider, Classifier, Options, ProviderFailure};
use crate::model::{Diagnosis, Stage};
use crate::rules::{Catalogue, StageRules};

/// What of the output is kept to classify it again as another stage's: a gateway's
/// start or a provider's message is short.
const HEAD_MAX: usize = 256 * 1024;
/// A provider-validation message is a few lines; more is a log.
const PROVIDER_LINES_MAX: usize = 40;
/// Words a provider-validation message uses.
const PROVIDER_WORDS: &[&str] =
    &["endpoint", "validation", "validating", "inference", "api", "model", "provider", "credential", "curl", "http"];

/// Every stage's rules, each compiled once. The create's are compiled at once; the
/// others when first asked for, since most output is a create's and compiling a
/// stage's rules is most of a short run's time.
#[derive(Debug, Clone)]
pub struct StageSet {
    catalogue: Catalogue,
    create: StageRules,
    gateway: OnceLock<StageRules>,
    provider: OnceLock<StageRules>,
}

impl StageSet {
    /// Compiles the create's rules from `catalogue`, and keeps it for the others.
    #[must_use]
    pub fn new(catalogue: &Catalogue) -> StageSet {
        StageSet {
            catalogue: catalogue.clone(),
            create: StageRules::new(catalogue, Stage::SandboxCreate),
            gateway: OnceLock::new(),
            provider: OnceLock::new(),
        }
    }

    /// One stage's rules.
    #[must_use]
    pub fn get(&self, stage: Stage) -> &StageRules {
        match stage {
            Stage::GatewayStart => self.gateway.get_or_init(|| StageRules::new(&self.catalogue, Stage::GatewayStart)),
            Stage::ProviderValidation => self.provider.get_or_init(|| StageRules::new(&self.catalogue, Stage::ProviderValidation)),
            _ => &self.create,
        }
    }
}

/// Classifies one output, of a given stage or of the stage it shows.
#[derive(Debug)]
pub struct Triage<'r> {
    set: &'r StageSet,
    given: Option<Stage>,
    options: Options,
    statuses: (Option<u16>, Option<i32>),
    create: Classifier<'r>,
    gateway: Option<Classifier<'r>>,
    head: Vec<u8>,
    truncated: bool,
}

impl<'r> Triage<'r> {
    /// Triage for `given` (or for the stage the output shows, when `None`); the HTTP and
    /// curl statuses are provider validation's.
    #[must_use]
    pub fn new(
        set: &'r StageSet,
        given: Option<Stage>,
        options: Options,
        http_status: Option<u16>,
        curl_status: Option<i32>,
    ) -> Triage<'r> {
        let gateway = (given == Some(Stage::GatewayStart)).then(|| Classifier::new(set.get(Stage::GatewayStart), options));
        Triage {
            set,
            given,
            options,
            statuses: (http_status, curl_status),
            create: Classifier::new(&set.create, options),
            gateway,
            head: Vec::new(),
            truncated: false,
        }
    }

    /// Takes the next bytes of output.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.create.feed(bytes);
        if let Some(gateway) = &mut self.gateway {
            gateway.feed(bytes);
        }
        let room = HEAD_MAX.saturating_sub(self.head.len());
        self.head.extend_from_slice(&bytes[..room.min(bytes.len())]);
        self.truncated |= bytes.len() > room;
    }

    /// The sandbox-create answer so far, every complete line counted: whether it asks
    /// for more input (a failed sandbox container's log) before [`Triage::finish`].
    pub fn peek(&mut self) -> Diagnosis {
        self.create.flush_lines();
        self.create.peek()
    }

    /// Reads `reader` to its end.
    pub fn read_from(&mut self, mut reader: impl Read + Send) -> io::Result<()> {
        if self.gateway.is_none() {
            // One classifier: read straight into its buffer, keeping the head aside.
            let (head, truncated) = (&mut self.head, &mut self.truncated);
            return self.create.read_with(reader, |bytes| {
                let room = HEAD_MAX.saturating_sub(head.len());
                head.extend_from_slice(&bytes[..room.min(bytes.len())]);
                *truncated |= bytes.len() > room;
            });
        }
        let mut buf = vec![0; 1 << 20];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => self.feed(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    fn provider(&self) -> Diagnosis {
        let message = String::from_utf8_lossy(&self.head);
        classify_provider(
            self.set.get(Stage::ProviderValidation),
            &ProviderFailure { message: &message, http_status: self.statuses.0, curl_status: self.statuses.1 },
        )
    }

    /// Whether the head is short enough to be a provider's message.
    fn short(&self) -> bool {
        !self.truncated && self.head.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count() <= PROVIDER_LINES_MAX
    }

    /// Whether the head speaks of an inference provider at all: a short line that only
    /// says `Connection reset by peer` is not taken for a provider's answer.
    fn speaks_of_a_provider(&self) -> bool {
        let lower = self.head.to_ascii_lowercase();
        PROVIDER_WORDS.iter().any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some())
    }

    /// The answer, once the output has ended, for a command whose exit status became
    /// known only then (a stream read as a child process wrote it).
    #[must_use]
    pub fn finish_with(mut self, exit_status: Option<i32>) -> Diagnosis {
        self.options.exit_status = exit_status;
        self.create.options.exit_status = exit_status;
        if let Some(gateway) = &mut self.gateway {
            gateway.options.exit_status = exit_status;
        }
        self.finish()
    }

    /// The answer, once the output has ended.
    #[must_use]
    pub fn finish(mut self) -> Diagnosis {
        self.create.flush_lines();
        // Markers only: a provider's curl error is also a build tool's wording.
        let shows_create = self.create.shows_markers();
        match self.given {
            Some(Stage::GatewayStart) if shows_create => Diagnosis::wrong_stage(Stage::GatewayStart, Stage::SandboxCreate),
            Some(Stage::GatewayStart) => self.gateway.map_or_else(|| Diagnosis::unknown(Stage::GatewayStart, ""), Classifier::finish),
            Some(Stage::ProviderValidation) if shows_create || !self.short() => {
                Diagnosis::wrong_stage(Stage::ProviderValidation, Stage::SandboxCreate)
            }
            Some(Stage::ProviderValidation) => self.provider(),
            Some(_) => self.create.finish(),
            None => self.detect(shows_create),
        }
    }

    /// No stage given: a create when the output shows one or a create rule decides;
    /// else a gateway start or a provider message when their rules decide; else an
    /// unknown create.
    fn detect(self, shows_create: bool) -> Diagnosis {
        let short = self.short();
        let truncated = self.truncated;
        let provider = (short && self.speaks_of_a_provider()).then(|| self.provider());
        let create = self.create.finish();
        if shows_create || create.is_determined() || truncated {
            return create;
        }
        let gateway = classify(self.set.get(Stage::GatewayStart), self.options, &self.head);
        if gateway.is_determined() {
            return gateway;
        }
        match provider {
            Some(provider) if provider.is_determined() => provider,
            _ => create,
        }
    }
}
