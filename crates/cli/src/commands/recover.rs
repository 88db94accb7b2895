//! `sandbox-triage recover`: classify, plan, and carry the plan out (a dry run unless
//! `--apply`).

use std::time::Duration;

use sandbox_triage_core::{CreateInvocation, Look};
use sandbox_triage_recover::{Policy, PROBE_TIMEOUT};

use crate::args::{RecoverArgs, RecoverFormat};
use crate::diagnose::diagnose;
use crate::exit::Exit;
use crate::recover::{self, Journal, Narrator, Request};
use crate::settings::{Destination, Settings};
use crate::{input, output};

pub(crate) fn run(args: &RecoverArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let stop = recover::stop_flag()?;
    let argv = input::utf8_argv(&args.argv)?;
    let invocation = if argv.is_empty() { None } else { Some(CreateInvocation::parse(&argv)?) };
    // The journal is checked before anything is read or run.
    let journal = Journal::open(args.journal.as_deref())?;
    let diagnosis = diagnose(args.path.as_deref(), &args.input, settings, true)?;
    let plan = settings.plan(&diagnosis, invocation.as_ref());
    let policy = Policy {
        apply: args.apply.apply,
        yes: args.apply.yes,
        allow_destructive: args.apply.allow_destructive,
        terminal: recover::terminal(),
        step_timeout: Duration::from_secs(args.apply.timeout),
        probe_timeout: PROBE_TIMEOUT,
    };
    let mut narrator = match args.format {
        RecoverFormat::Human => Narrator::new(Destination::Stdout, journal),
        RecoverFormat::Json => Narrator::new(Destination::Stderr, journal),
    };
    if !diagnosis.is_determined() {
        narrator.headline(
            "the failure is not recognised:",
            diagnosis.kind.as_str(),
            Look::Attention,
            "Nothing to carry out: `sandbox-triage plan` shows the lines to look at.",
        );
        if args.format == RecoverFormat::Json {
            output::print(&(recover::report(&diagnosis, policy, None, &narrator) + "\n"))?;
        }
        return Ok(Exit::Unknown);
    }
    let request = Request { diagnosis: &diagnosis, plan: &plan, policy, set: &args.apply.set };
    let outcome = recover::carry_out(&request, &mut narrator, &stop);
    if args.format == RecoverFormat::Json {
        output::print(&(recover::report(&diagnosis, policy, Some(outcome), &narrator) + "\n"))?;
    }
    Ok(Exit::Status(outcome.code()))
}
