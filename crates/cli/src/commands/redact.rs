//! `sandbox-triage redact`: the input again, secrets masked, everything else unchanged.

use std::io::{self, ErrorKind, Read, Write};

use anyhow::Context;
use sandbox_triage_core::Redactor;

use crate::args::RedactArgs;
use crate::exit::Exit;
use crate::input;

const CHUNK: usize = 1 << 20;

pub(crate) fn run(args: &RedactArgs) -> anyhow::Result<Exit> {
    let (mut reader, name) = input::open(args.input.as_deref())?;
    let mut redactor = Redactor::new();
    let mut buf = vec![0; CHUNK];
    let mut out = Vec::with_capacity(CHUNK + CHUNK / 8);
    let mut stdout = io::stdout().lock();
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read {name}")),
        };
        out.clear();
        redactor.push(&buf[..n], &mut out);
        stdout.write_all(&out)?;
    }
    out.clear();
    redactor.finish(&mut out);
    stdout.write_all(&out)?;
    stdout.flush()?;
    Ok(Exit::Determined)
}
