//! `sandbox-triage recover`: carry a plan out against the real engine: a dry run by
//! default (the probes only), `--apply` to do it, with confirmations, checks and a
//! journal. `run --recover` goes through the same executor.

mod executor;
mod journal;
mod narrate;
pub(crate) mod process;
mod prompt;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use sandbox_triage_core::{Diagnosis, Plan, SCHEMA_VERSION};
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

use executor::Executor;
pub(crate) use executor::{Outcome, Policy};
use journal::Journal;
pub(crate) use narrate::Narrator;

/// How long a probe or a check may take.
pub(crate) const PROBE_TIMEOUT: Duration = Duration::from_secs(120);

/// Carries out `plan` for `diagnosis`; the outcome and every step's record.
pub(crate) fn carry_out(
    diagnosis: &Diagnosis,
    plan: &Plan,
    policy: Policy,
    journal_path: Option<&Path>,
    narrator: &mut Narrator,
) -> anyhow::Result<(Outcome, Vec<serde_json::Value>)> {
    let mut journal = Journal::open(journal_path)?;
    // Ctrl-C, SIGTERM, a hang-up and SIGQUIT stop the current step's processes (they run
    // in process groups of their own, so the terminal's Ctrl-C reaches only this tool),
    // then the run.
    let interrupted = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
        signal_hook::flag::register(signal, Arc::clone(&interrupted))?;
    }
    let mode = if policy.apply { "carrying out" } else { "dry run of" };
    narrator.headline(&format!("sandbox-triage recover: {mode} the plan for {} — {}", diagnosis.kind, plan.headline));
    if plan.steps.is_empty() {
        narrator.say("the plan has no steps: nothing to carry out");
        return Ok((Outcome::Done, Vec::new()));
    }
    let outcome = Executor::new(policy, &interrupted, narrator, &mut journal).carry_out(plan);
    let summary = match (outcome, policy.apply) {
        (Outcome::Done, true) => "recovered: every step ran and every check held".to_owned(),
        (Outcome::Done, false) => "the plan can be carried out: run again with --apply to do it".to_owned(),
        (other, _) => format!("ended: {} (exit status {})", other.as_str(), other.code()),
    };
    narrator.headline(&format!("\n{summary}"));
    Ok((outcome, journal.entries))
}

/// The JSON answer of `recover --format json`.
pub(crate) fn report(diagnosis: &Diagnosis, policy: Policy, outcome: Outcome, steps: &[serde_json::Value]) -> String {
    serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "kind": diagnosis.kind,
        "mode": if policy.apply { "apply" } else { "dry-run" },
        "outcome": outcome.as_str(),
        "exit_status": outcome.code(),
        "steps": steps,
    })
    .to_string()
}
