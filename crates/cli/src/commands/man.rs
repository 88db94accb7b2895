//! `man [COMMAND] [--dir DIR]`: the manual pages, `sandbox-triage(1)` and one per command
//! (`sandbox-triage-run(1)` …), from the command line's own definition.
//!
//! `clap_mangen` renders the name, synopsis, description and options. The rest is ours,
//! for two reasons: its list of commands cites a page per command whether or not one is
//! installed, and it hands the examples and exit statuses each `--help` ends with to
//! `man` as prose, which fills them into one paragraph and breaks commands and table
//! rows apart. Here they are set line for line (`.nf`), and every page cited is one
//! `--dir` writes.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap_mangen::roff::Roff;
use clap_mangen::Man;

use crate::exit::Exit;
use crate::output;

/// The commands with a page of their own, `sandbox-triage-COMMAND(1)`: every one but
/// clap's `help`. Spelled out because `--help` and completion list them while the command
/// line is still being defined; a test keeps the list equal to the subcommands.
pub(crate) const PAGES: [&str; 11] =
    ["classify", "plan", "run", "recover", "doctor", "rules", "redact", "recreate", "schema", "completions", "man"];

/// What `man` takes.
#[derive(Debug, clap::Args)]
pub(crate) struct ManArgs {
    /// The command whose page to print (`run`: the page `man sandbox-triage-run` shows);
    /// without one, the tool's own page.
    #[arg(value_name = "COMMAND", value_parser = clap::builder::PossibleValuesParser::new(PAGES))]
    pub(crate) command: Option<String>,
    /// Write every page into DIR (created when missing), the tool's `sandbox-triage.1` and
    /// one per command (`sandbox-triage-run.1` …), instead of printing one.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub(crate) dir: Option<PathBuf>,
}

pub(crate) fn run(args: &ManArgs) -> anyhow::Result<Exit> {
    let tool = tool();
    match (&args.dir, &args.command) {
        (Some(dir), _) => write_all(&tool, dir)?,
        (None, Some(name)) => {
            let command = commands(&tool).find(|c| c.get_name() == name).with_context(|| format!("no page for {name}"))?;
            output::print(&page(command, None)?)?;
        }
        (None, None) => output::print(&page(&tool, Some(&tool))?)?,
    }
    Ok(Exit::Determined)
}

/// The command line, built: each command then knows the name it is typed as
/// (`sandbox-triage run`) and its page's (`sandbox-triage-run`), and has the global
/// options. clap's `help` command is left out: `--help` says the same, and it gets no page.
fn tool() -> clap::Command {
    let mut tool = <crate::args::Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    tool.build();
    tool
}

/// The commands that get a page.
fn commands(tool: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    tool.get_subcommands().filter(|c| !c.is_hide_set())
}

/// A page's name: `sandbox-triage`, `sandbox-triage-run`.
fn name(command: &clap::Command) -> &str {
    command.get_display_name().unwrap_or_else(|| command.get_name())
}

fn write_all(tool: &clap::Command, dir: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let pages = std::iter::once((tool, Some(tool))).chain(commands(tool).map(|c| (c, None)));
    for (command, tool) in pages {
        let path = dir.join(format!("{}.1", name(command)));
        fs::write(&path, page(command, tool)?).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// One page. `tool` is given for the tool's own page, which lists the commands.
fn page(command: &clap::Command, tool: Option<&clap::Command>) -> anyhow::Result<String> {
    let man = Man::new(command.clone());
    let ending = command.get_after_help().map(ToString::to_string).unwrap_or_default();
    let (mut sections, notes): (Vec<Block<'_>>, Vec<Block<'_>>) = blocks(&ending).into_iter().partition(|b| b.heading.is_some());
    let mut out = Roff::default().render();
    // The names are clap's, letters and `-`: nothing in them needs escaping in a request.
    // The manual's name is short, so that the header (the page's name at both ends)
    // fits 80 columns for the longest name, `sandbox-triage-completions(1)`.
    let _ = writeln!(out, ".TH {} 1 \"\" \"sandbox-triage {}\" \"User Commands\"", name(command), env!("CARGO_PKG_VERSION"));
    // No hyphenation: a command or a flag broken at the margin would not paste as written.
    out += ".nh\n";
    out += &section(|w| man.render_name_section(w))?;
    out += &section(|w| man.render_synopsis_section(w))?;
    out += &section(|w| man.render_description_section(w))?;
    for note in &notes {
        out += ".PP\n";
        for line in &note.lines {
            let _ = writeln!(out, "{}", escaped(line.trim()));
        }
    }
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        out += &section(|w| man.render_options_section(w))?;
    }
    if let Some(tool) = tool {
        out += ".SH COMMANDS\n";
        for command in commands(tool) {
            let about = command.get_about().map(ToString::to_string).unwrap_or_default();
            let _ = writeln!(out, ".TP\n{}", cited(name(command)));
            for line in about.lines() {
                let _ = writeln!(out, "{}", escaped(line.trim()));
            }
        }
    }
    sections.sort_by_key(|b| order(b.heading.unwrap_or_default()));
    for block in &sections {
        let _ = writeln!(out, ".SH \"{}\"", escaped(&block.heading.unwrap_or_default().to_uppercase()));
        out += &verbatim(&block.lines);
    }
    // The tool's page cites every other in its list of commands.
    if tool.is_none() {
        let _ = writeln!(out, ".SH \"SEE ALSO\"\n{}", cited("sandbox-triage"));
    }
    Ok(out)
}

/// Where a section of the help's ending goes: exit statuses, then examples, as man pages
/// order them (`man-pages(7)`), then any other in the order written.
fn order(heading: &str) -> u8 {
    match heading {
        "Exit status" => 0,
        "Examples" => 1,
        _ => 2,
    }
}

/// A section `clap_mangen` renders, without the preamble it writes before each.
fn section(render: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> anyhow::Result<String> {
    let mut out = Vec::new();
    render(&mut out)?;
    let text = String::from_utf8(out)?;
    let preamble = Roff::default().render();
    Ok(text.strip_prefix(&preamble).map_or_else(|| text.clone(), str::to_owned))
}

/// A part of what `--help` ends with: a heading (`Examples:`) and its lines, or a
/// paragraph of prose (`heading` none).
struct Block<'a> {
    heading: Option<&'a str>,
    lines: Vec<&'a str>,
}

/// The parts, as `help_text.rs` writes them: separated by a blank line, a heading alone
/// on its first line and unindented.
fn blocks(text: &str) -> Vec<Block<'_>> {
    text.split("\n\n")
        .map(|part| {
            let mut lines: Vec<&str> = part.lines().filter(|l| !l.trim().is_empty()).collect();
            let heading = lines.first().and_then(|l| l.strip_suffix(':')).filter(|h| !h.starts_with(' ') && !h.contains(':'));
            if heading.is_some() {
                lines.remove(0);
            }
            Block { heading, lines }
        })
        .filter(|b| !b.lines.is_empty())
        .collect()
}

/// Lines set as written: no filling, no hyphenation, their indentation relative to
/// the least indented one kept.
fn verbatim(lines: &[&str]) -> String {
    let indent = lines.iter().map(|l| l.len() - l.trim_start_matches(' ').len()).min().unwrap_or(0);
    let mut out = String::from(".nf\n");
    for line in lines {
        let _ = writeln!(out, "{}", escaped(line.get(indent..).unwrap_or(line).trim_end()));
    }
    out + ".fi\n"
}

/// A page cited as `name(1)`, never hyphenated or broken across lines.
fn cited(name: &str) -> String {
    format!("\\fB\\%{}\\fR(1)", escaped(name))
}

/// Text that roff prints as it is: a backslash is roff's escape character and a line
/// starting with `.` or `'` a request, and `-` would print as a hyphen (`‐`), which
/// breaks a command copied from the page.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.starts_with(['.', '\'']) {
        out.push_str("\\&");
    }
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            '\'' => out.push_str("\\*(Aq"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_page() {
        let tool = tool();
        let names: Vec<&str> = commands(&tool).map(clap::Command::get_name).collect();
        assert_eq!(names, PAGES);
    }

    #[test]
    fn roff_specials_are_escaped() {
        assert_eq!(escaped(".x 'y' a\\b-c"), "\\&.x \\*(Aqy\\*(Aq a\\eb\\-c");
        assert_eq!(escaped("'q"), "\\&\\*(Aqq");
    }

    #[test]
    fn the_help_ending_splits_into_headed_sections_and_prose() {
        let parts = blocks("Examples:\n  a b\n  c\n\nValues: prose\nmore\n\nExit status:\n  0  ok");
        let shape: Vec<(Option<&str>, usize)> = parts.iter().map(|b| (b.heading, b.lines.len())).collect();
        assert_eq!(shape, [(Some("Examples"), 2), (None, 2), (Some("Exit status"), 1)]);
    }
}
