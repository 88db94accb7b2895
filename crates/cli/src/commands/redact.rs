//! `sandbox-triage redact`: the input again, secrets masked, everything else unchanged.

use std::io::{self, Write};

use anyhow::Context;
use sandbox_triage_core::Redactor;

use crate::args::RedactArgs;
use crate::exit::Exit;
use crate::input;
use crate::read_ahead::{self, Stopped};

const CHUNK: usize = 1 << 20;

pub(crate) fn run(args: &RedactArgs) -> anyhow::Result<Exit> {
    let (reader, name) = input::open(args.input.as_deref())?;
    let mut redactor = Redactor::new();
    let mut out = Vec::with_capacity(CHUNK + CHUNK / 8);
    let mut stdout = io::stdout().lock();
    let written = read_ahead::for_each_piece(reader, CHUNK, |piece| {
        out.clear();
        redactor.push(piece, &mut out);
        stdout.write_all(&out)
    });
    match written {
        Ok(()) => {}
        Err(Stopped::Read(e)) => return Err(e).with_context(|| format!("cannot read {name}")),
        Err(Stopped::Work(e)) => return Err(e.into()),
    }
    out.clear();
    redactor.finish(&mut out);
    stdout.write_all(&out)?;
    stdout.flush()?;
    Ok(Exit::Determined)
}
