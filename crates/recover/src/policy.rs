//! What the operator allowed, and how long things may take.

use std::time::Duration;

/// What the operator allowed. Four independent yes-or-no facts, each a flag or the
/// terminal: an enum of their combinations would say less.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)]
pub struct Policy {
    /// Carry the plan out (`--apply`); otherwise a dry run: probes only.
    pub apply: bool,
    /// Every confirmation answered yes (`--yes`), except a step only a person may allow.
    pub yes: bool,
    /// Destructive steps may run (`--allow-destructive`).
    pub allow_destructive: bool,
    /// A person can be asked (there is a terminal).
    pub terminal: bool,
    /// How long a step may take.
    pub step_timeout: Duration,
    /// How long a probe or a check may take.
    pub probe_timeout: Duration,
}

/// How long a probe or a check may take, unless told otherwise.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(120);
