//! `sandbox-triage recover`: carry a plan out against the real engine: a dry run by
//! default (the probes only), `--apply` to do it, with confirmations, checks and a
//! journal. `run --recover` goes through the same executor. The decisions are the
//! `sandbox-triage-recover` library's; here are its real processes, terminal and files.

pub(crate) mod journal;
mod narrate;
pub(crate) mod process;
mod prompt;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use sandbox_triage_core::{Diagnosis, Look, PathKind, Plan, SCHEMA_VERSION};
use sandbox_triage_recover::{carry_out as execute, resolve, Given, Outcome, Parts, Policy};
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

pub(crate) use journal::Journal;
pub(crate) use narrate::Narrator;

/// What to carry out, and what the operator gave.
pub(crate) struct Request<'a> {
    pub(crate) diagnosis: &'a Diagnosis,
    pub(crate) plan: &'a Plan,
    pub(crate) policy: Policy,
    /// `--set NAME=VALUE`.
    pub(crate) set: &'a [(String, String)],
}

/// What is at `path` on this machine.
fn path_kind(path: &str) -> PathKind {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => PathKind::File,
        Ok(meta) if meta.is_dir() => PathKind::Directory,
        Ok(_) => PathKind::Other,
        Err(_) => PathKind::Missing,
    }
}

/// Whether a person can be asked: there is a terminal.
pub(crate) fn terminal() -> bool {
    prompt::open().is_some()
}

/// What Ctrl-C, SIGTERM, a hang-up or SIGQUIT set: registered before anything runs, so
/// no stop falls in a gap. It stops the current step's processes (they run in process
/// groups of their own, so the terminal's Ctrl-C reaches only this tool), a question
/// waiting for its answer, then the run.
pub(crate) fn stop_flag() -> anyhow::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    Ok(stop)
}

/// Carries out the request's plan; the outcome. What it says and each step's record go
/// to `narrator` (and its journal); `stop` is [`stop_flag`]'s.
pub(crate) fn carry_out(request: &Request<'_>, narrator: &mut Narrator, stop: &Arc<AtomicBool>) -> Outcome {
    let (diagnosis, plan, policy) = (request.diagnosis, request.plan, request.policy);
    let mode = if policy.apply { "carrying out" } else { "dry run of" };
    narrator.headline(&format!("{mode} the plan for"), diagnosis.kind_id(), Look::Failure, &plan.headline);
    let env = |name: &str| std::env::var(name).ok();
    let (values, problems) = resolve(plan, &Given { set: request.set, env: &env, path: &path_kind });
    let mut runner = process::Processes { stop: Arc::clone(stop) };
    let mut person = prompt::Terminal { stop: Arc::clone(stop) };
    let parts = Parts { runner: &mut runner, person: &mut person, stop, listener: narrator };
    let outcome = execute(plan, &values, &problems, policy, parts);
    let (summary, look) = match (outcome, policy.apply) {
        (Outcome::Done, true) => ("recovered: every step ran and every check held".to_owned(), Look::Success),
        (Outcome::Done, false) => ("the plan can be carried out: run again with --apply to do it".to_owned(), Look::Success),
        (other, _) => (format!("ended: {} (exit status {})", other.as_str(), other.code()), Look::Failure),
    };
    narrator.summary(&summary, look);
    outcome
}

/// The JSON answer of `recover --format json`: how it ended (`not-recognised` when
/// there was no plan to carry out), what stopped it, and every step's record.
pub(crate) fn report(diagnosis: &Diagnosis, policy: Policy, outcome: Option<Outcome>, narrator: &Narrator) -> String {
    serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "kind": diagnosis.kind_id(),
        "mode": if policy.apply { "apply" } else { "dry-run" },
        "outcome": outcome.map_or("not-recognised", Outcome::as_str),
        "exit_status": outcome.map_or(1, Outcome::code),
        "stops": narrator.stops,
        "steps": narrator.journal.entries,
    })
    .to_string()
}
