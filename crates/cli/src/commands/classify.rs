//! `sandbox-triage classify`: the diagnosis of a captured output; of several (files, or
//! a directory's `*.log`), one line each.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sandbox_triage_core::{diagnosis_human, diagnosis_json, printable, Diagnosis, Look, SCHEMA_VERSION};

use crate::args::{ClassifyArgs, Format};
use crate::diagnose::diagnose;
use crate::exit::Exit;
use crate::output;
use crate::settings::Settings;
use crate::table::table;

pub(crate) fn run(args: &ClassifyArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let one_file = match args.inputs.as_slice() {
        [] => None,
        [path] if !path.is_dir() => Some(path.as_path()),
        _ => return several(args, settings),
    };
    let diagnosis = diagnose(one_file, &args.input, settings, true)?;
    let text = match args.format {
        Format::Json => diagnosis_json(&diagnosis) + "\n",
        Format::Human => diagnosis_human(&diagnosis, settings.style),
    };
    output::print(&text)?;
    Ok(Exit::of(&diagnosis))
}

/// The files given, a directory standing for its `*.log` files (sorted by name).
fn files(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input == Path::new("-") {
            anyhow::bail!("stdin (`-`) is one input: give it alone, not among files");
        }
        if !input.is_dir() {
            files.push(input.clone());
            continue;
        }
        let mut logs: Vec<PathBuf> = std::fs::read_dir(input)
            .with_context(|| format!("cannot list {}", input.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "log") && !path.is_dir())
            .collect();
        if logs.is_empty() {
            anyhow::bail!("{} holds no `*.log` file", input.display());
        }
        logs.sort();
        files.extend(logs);
    }
    Ok(files)
}

/// Each file's answer, one line each (a table on a terminal; JSON: one object with a
/// `files` array); the exit status is the worst of theirs: a file that cannot be read
/// (2), else one whose kind is unknown (1).
fn several(args: &ClassifyArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let files = files(&args.inputs)?;
    let answers: Vec<(String, Result<Diagnosis, String>)> = files
        .iter()
        .map(|path| {
            let answer = diagnose(Some(path), &args.input, settings, false)
                .map_err(|e| e.chain().map(ToString::to_string).collect::<Vec<_>>().join(": "));
            (printable(&path.display().to_string()), answer)
        })
        .collect();
    let text = match args.format {
        Format::Json => json(&answers),
        Format::Human => human(&answers, settings),
    };
    output::print(&text)?;
    let exit = |answer: &Result<Diagnosis, String>| answer.as_ref().map_or(Exit::ToolFailed, Exit::of);
    let worst = answers.iter().map(|(_, answer)| exit(answer)).max_by_key(|exit| match exit {
        Exit::Determined => 0,
        Exit::Unknown => 1,
        _ => 2,
    });
    Ok(worst.unwrap_or(Exit::Determined))
}

/// One object: `schema_version`, then each file's `path` with its `diagnosis` (the
/// object `classify --format json` prints for one) or its `error`, in that order.
fn json(answers: &[(String, Result<Diagnosis, String>)]) -> String {
    let quoted = |text: &str| serde_json::Value::from(text).to_string();
    let files: Vec<String> = answers
        .iter()
        .map(|(path, answer)| match answer {
            Ok(diagnosis) => format!("{{\"path\":{},\"diagnosis\":{}}}", quoted(path), diagnosis_json(diagnosis)),
            Err(error) => format!("{{\"path\":{},\"error\":{}}}", quoted(path), quoted(&printable(&sandbox_triage_core::redact(error)))),
        })
        .collect();
    format!("{{\"schema_version\":{SCHEMA_VERSION},\"files\":[{}]}}\n", files.join(","))
}

/// The directory every path is in (`tests/corpus/`), when they share one: said once
/// above the table, so that its first column holds the names alone.
fn shared_directory(answers: &[(String, Result<Diagnosis, String>)]) -> &str {
    fn directory(path: &str) -> &str {
        path.rfind('/').map_or("", |at| &path[..=at])
    }
    let first = answers.first().map_or("", |(path, _)| directory(path));
    if answers.len() > 1 && answers.iter().all(|(path, _)| directory(path) == first) {
        first
    } else {
        ""
    }
}

fn human(answers: &[(String, Result<Diagnosis, String>)], settings: &Settings) -> String {
    let shared = shared_directory(answers);
    let rows: Vec<Vec<String>> = answers
        .iter()
        .map(|(path, answer)| (&path[shared.len()..], answer))
        .map(|(path, answer)| match answer {
            Ok(d) => vec![
                path.to_owned(),
                d.kind_id().to_owned(),
                d.phase.map_or("-".to_owned(), |p| p.to_string()),
                d.rule.clone().unwrap_or_else(|| "-".to_owned()),
            ],
            Err(error) => vec![path.to_owned(), "error".to_owned(), "-".to_owned(), printable(&sandbox_triage_core::redact(error))],
        })
        .collect();
    let look = |column: usize, text: &str| {
        let look = match text {
            "none" => Look::Success,
            "unknown" => Look::Attention,
            _ => Look::Failure,
        };
        (column == 1).then_some(look)
    };
    let mut out = if shared.is_empty() { String::new() } else { format!("in {shared}\n") };
    out.push_str(&table(&["FILE", "KIND", "PHASE", "RULE"], &rows, settings.style, look));
    // What the lines add up to.
    let count = |wanted: fn(&Result<Diagnosis, String>) -> bool| answers.iter().filter(|(_, answer)| wanted(answer)).count();
    let known = count(|a| a.as_ref().is_ok_and(Diagnosis::is_determined));
    let unknown = count(|a| a.as_ref().is_ok_and(|d| !d.is_determined()));
    let failed = count(Result::is_err);
    let files = if answers.len() == 1 { "1 file".to_owned() } else { format!("{} files", answers.len()) };
    let mut summary = format!("{files}: {known} answered, {unknown} unknown");
    if failed > 0 {
        let _ = write!(summary, ", {failed} not read");
    }
    let look = if failed > 0 {
        Look::Failure
    } else if unknown > 0 {
        Look::Attention
    } else {
        Look::Success
    };
    out.push('\n');
    out.push_str(&settings.style.paint(look, &summary));
    out.push('\n');
    out
}
