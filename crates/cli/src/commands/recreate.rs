//! `sandbox-triage recreate`: the create command again, from a built image.

use std::fmt::Write as _;

use anyhow::Context;
use sandbox_triage_core::{reconstruct, render, CreateInvocation, ImageRef, Word};

use crate::args::RecreateArgs;
use crate::exit::Exit;
use crate::{input, output};

pub(crate) fn run(args: &RecreateArgs) -> anyhow::Result<Exit> {
    let image = ImageRef::parse(&args.image).context("invalid --image")?;
    let argv = input::utf8_argv(&args.argv)?;
    let invocation = CreateInvocation::parse(&argv)?;
    let rebuilt = reconstruct(&invocation, Some(&Word::lit(image.as_str())));
    let command = render(&rebuilt.words, args.shell)?;
    if !rebuilt.placeholders.is_empty() {
        // The command reads these from the environment; say which and why, apart from
        // the command itself so that stdout stays runnable.
        let mut notes = String::new();
        for placeholder in rebuilt.placeholders.list() {
            let _ = writeln!(notes, "# set {}: {}", placeholder.variable(), placeholder.reason);
        }
        eprint!("{notes}");
    }
    output::print(&format!("{command}\n"))?;
    Ok(Exit::Determined)
}
