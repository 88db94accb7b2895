//! Carrying a `sandbox-triage` recovery plan out: which commands run, with which
//! values, what stops them, and what is put back, decided here without a process in
//! sight. Processes, the terminal and the journal file are the caller's, behind
//! [`Runner`], [`Person`] and [`Listener`]: the binary runs real ones; a test answers
//! from a script.
//!
//! The rules, each a promise to the operator:
//!
//! * **The create's own values.** A value the failed create carried is used as it was;
//!   only values nobody gave are asked for (`--set NAME=VALUE`, or
//!   `SANDBOX_TRIAGE_<NAME>`), and each is checked as the argument it stands for
//!   ([`resolve`]).
//! * **Never half-way.** Everything that would stop the run part-way and can be known
//!   first (a value, a permission, a manual step, a yes nobody can give) stops it
//!   before its first change ([`preflight()`]); a step that changes what a later failure
//!   would leave broken has its undo, run when a later step fails or the operator stops.
//! * **Never a dead end.** A check that fails is read: the machine's state in one
//!   sentence, and the next command.
//! * **Only what is allowed.** A probe always runs; a change needs a yes; a destructive
//!   step needs `--allow-destructive` and is shown filled before it runs; a step only a
//!   person may allow is asked even under `--yes`; a plan of choices has only its
//!   probes run.

mod executor;
mod journal;
mod narration;
mod outcome;
mod policy;
mod preflight;
mod runner;
mod values;

pub use executor::{carry_out, Parts};
pub use journal::{shown, Entry, Found, Status};
pub use narration::{rate, text, Listener, Said};
pub use outcome::Outcome;
pub use policy::{Policy, PROBE_TIMEOUT};
pub use preflight::{files_missing, not_installed, preflight, Stop};
pub use runner::{Answer, Cut, End, Finished, Person, Progress, Run, Runner};
pub use values::{resolve, used, Given, Origin, Problem, Value, Values};
