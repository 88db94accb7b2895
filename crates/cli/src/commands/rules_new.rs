//! `sandbox-triage rules new`: a rule drafted from a log the catalogue does not decide,
//! checked against the built-in rules and the corpus before it is written.

use std::fmt::Write as _;
use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;

use anyhow::{bail, Context};
use sandbox_triage_core::{cases_hold, draft_rule, printable, Catalogue, CorpusLog, DraftRequest, RuleKind};

use crate::args::RulesNewArgs;
use crate::exit::Exit;
use crate::input;
use crate::output;

/// The kind `--kind` names: the catalogue's, or with `--title` and `--fix` one of the
/// user's own.
fn draft_kind(args: &RulesNewArgs) -> anyhow::Result<RuleKind> {
    RuleKind::named(&args.kind, args.title.as_deref(), args.fix.as_deref()).map_err(|e| anyhow::anyhow!("--{}: {}", e.field, e.message))
}

/// The largest log a rule is drafted from: it is held whole, and searched several times.
const LOG_MAX: u64 = 64 << 20;

pub(crate) fn run(args: &RulesNewArgs) -> anyhow::Result<Exit> {
    let (reader, name) = input::open(Some(&args.from))?;
    let mut log = Vec::new();
    reader.take(LOG_MAX + 1).read_to_end(&mut log).with_context(|| format!("cannot read {name}"))?;
    if log.len() as u64 > LOG_MAX {
        bail!("{name}: larger than {} MiB; cut it to the part around the failure", LOG_MAX >> 20);
    }
    let builtin = Catalogue::builtin().context("invalid built-in rules")?;
    let corpus: Vec<CorpusLog> = super::rules_test::builtin_corpus();
    if let Some(id) = args.id.as_deref().filter(|id| builtin.get(id).is_some()) {
        bail!("--id {id}: a built-in rule's id (a rule file with it replaces that rule): give another");
    }
    let request = DraftRequest {
        stage: args.stage,
        kind: draft_kind(args)?,
        id: args.id.clone(),
        lines: args.lines.clone(),
        source: args.source.clone(),
    };
    let draft = match draft_rule(&builtin, &corpus, &log, &request) {
        Ok(draft) => draft,
        Err(why) => {
            output::print(&format!("sandbox-triage: no rule drafted: {why}\n"))?;
            return Ok(Exit::Unknown);
        }
    };
    fs::create_dir_all(&args.out).with_context(|| format!("cannot make directory {}", args.out.display()))?;
    let path = args.out.join(format!("{}.toml", draft.id));
    // New, never followed: an existing file, or a link (even a dangling one), is refused.
    let created = OpenOptions::new().write(true).create_new(true).custom_flags(nix::libc::O_NOFOLLOW).open(&path);
    let mut file = match created {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!("{} exists already: give another --id, or another -o DIR", path.display())
        }
        Err(e) => return Err(e).with_context(|| format!("cannot write {}", path.display())),
    };
    file.write_all(draft.toml.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
    let mut text = format!("wrote {}\n", path.display());
    for (line, shown) in &draft.lines {
        let _ = writeln!(text, "  decides on line {line}: {}", printable(shown));
    }
    let _ = writeln!(text, "  {} near-miss case(s) it must not fire on", draft.near_misses.len());
    if !cases_hold(&draft) {
        text += "  warning: not every case holds yet: edit the file\n";
    }
    let _ = writeln!(text, "next: edit its explanation, then: sandbox-triage rules test {}", args.out.display());
    output::print(&text)?;
    Ok(Exit::Determined)
}
