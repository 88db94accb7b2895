//! The man pages as `man` shows them. `sandbox-triage man --dir` writes the pages, and
//! each is rendered by the real `man -l` (man-db and groff) at `MANWIDTH=80`, with every
//! groff warning on (`--warnings=w`, groff's `-ww`), its output through `col -bx`.
//!
//! Checked: the pages written are the tool's and one per command its `--help` lists, and
//! `man COMMAND` prints the page `--dir` wrote; each renders without a warning; every page
//! cited (`name(N)`) is one written, and the tool's page cites each command's; every line
//! of the examples and exit statuses that each `--help` ends with is a whole line of the
//! rendered page, as written (its indentation aside), within 80 columns.
//! Not checked: how the options read (`clap_mangen` renders them from the definitions
//! `--help` uses), nor other formatters (mandoc).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{run, stderr, stdout};

/// The commands the tool's `--help` lists, clap's `help` aside.
fn commands() -> Vec<String> {
    let help = stdout(&run(&["--help"], b""));
    let listed = help.split("\nCommands:\n").nth(1).and_then(|rest| rest.split("\n\n").next()).expect("a list of commands");
    listed
        .lines()
        .filter_map(|line| line.strip_prefix("  ").filter(|name| !name.starts_with(' ')))
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// Every page `man --dir` writes, by file name, with its roff source.
fn pages() -> (tempfile::TempDir, Vec<(String, String)>) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // A directory that does not exist yet: `--dir` creates it, as the README's install
    // line needs.
    let target = dir.path().join("share/man/man1");
    let out = run(&["man", "--dir", target.to_str().expect("utf-8 path")], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "--dir prints nothing");
    let mut pages: Vec<(String, String)> = fs::read_dir(&target)
        .expect("the pages")
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), fs::read_to_string(e.path()).expect("a page")))
        .collect();
    pages.sort();
    (dir, pages)
}

/// A page as `man` shows it at 80 columns, and what groff warned of.
fn rendered(page: &Path) -> (String, String) {
    let mut man = Command::new("man")
        .args(["--warnings=w", "-l"])
        .arg(page)
        .env("MANWIDTH", "80")
        .env_remove("MAN_KEEP_FORMATTING")
        .env_remove("MANOPT")
        .env_remove("MANROFFOPT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`man` (man-db: apt-get install man-db)");
    let col = Command::new("col").arg("-bx").stdin(man.stdout.take().expect("man's stdout")).output().expect("`col` (bsdextrautils)");
    let man = man.wait_with_output().expect("man");
    assert!(man.status.success(), "man -l {} failed: {}", page.display(), String::from_utf8_lossy(&man.stderr));
    (String::from_utf8(col.stdout).expect("utf-8 page"), String::from_utf8_lossy(&man.stderr).into_owned())
}

/// The pages a rendered page cites: each `name(N)`, with its name.
fn cited(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (at, _) in text.match_indices('(') {
        let section = text[at + 1..].split(')').next().unwrap_or_default();
        let name: String = text[..at].chars().rev().take_while(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c)).collect();
        if section.len() == 1 && section.chars().all(|c| c.is_ascii_digit()) && !name.is_empty() {
            names.insert(name.chars().rev().collect::<String>() + "." + section);
        }
    }
    names
}

/// The lines under `Examples:` and `Exit status:` in what `--help` ends with.
fn examples_and_statuses(help: &str) -> Vec<String> {
    let ending = help.find("\nExamples:\n").map(|at| &help[at + 1..]).unwrap_or_default();
    ending
        .split("\n\n")
        .filter(|block| block.starts_with("Examples:\n") || block.starts_with("Exit status:\n"))
        .flat_map(|block| block.lines().skip(1))
        .map(|line| line.trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect()
}

#[test]
fn every_command_has_a_page_and_man_prints_it() {
    let (_dir, pages) = pages();
    let names: BTreeSet<String> = pages.iter().map(|(name, _)| name.clone()).collect();
    let mut expected: BTreeSet<String> = commands().iter().map(|c| format!("sandbox-triage-{c}.1")).collect();
    expected.insert("sandbox-triage.1".to_owned());
    assert_eq!(names, expected);
    for (name, source) in &pages {
        let command = name.strip_prefix("sandbox-triage").and_then(|n| n.strip_suffix(".1")).unwrap_or_default();
        let args: Vec<&str> = ["man", command.trim_start_matches('-')].into_iter().filter(|a| !a.is_empty()).collect();
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(&stdout(&out), source, "`sandbox-triage {}` prints another page than --dir writes", args.join(" "));
    }
    let out = run(&["man", "no-such-command"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("[possible values: classify, plan, run,"), "{}", stderr(&out));
}

#[test]
fn every_page_renders_without_a_warning_and_cites_only_pages_written() {
    let (dir, pages) = pages();
    let written: BTreeSet<String> = pages.iter().map(|(name, _)| name.clone()).collect();
    for (name, _) in &pages {
        let (text, warnings) = rendered(&dir.path().join("share/man/man1").join(name));
        assert_eq!(warnings, "", "{name}: groff warns");
        assert!(text.contains("NAME\n") && text.contains("SYNOPSIS\n") && text.contains("EXAMPLES\n"), "{name}:\n{text}");
        let cited = cited(&text);
        assert!(cited.is_subset(&written), "{name} cites pages not written: {:?}", cited.difference(&written).collect::<Vec<_>>());
        if name == "sandbox-triage.1" {
            let others: BTreeSet<String> = written.iter().filter(|n| *n != name).cloned().collect();
            assert!(others.is_subset(&cited), "the tool's page does not cite {:?}", others.difference(&cited).collect::<Vec<_>>());
        } else {
            assert!(cited.contains("sandbox-triage.1"), "{name} does not cite sandbox-triage(1)");
        }
    }
}

#[test]
fn examples_and_exit_statuses_render_line_for_line() {
    let (dir, _pages) = pages();
    for command in std::iter::once(String::new()).chain(commands()) {
        let help = stdout(&run(&[command.as_str(), "--help"].into_iter().filter(|a| !a.is_empty()).collect::<Vec<_>>(), b""));
        let expected = examples_and_statuses(&help);
        assert!(expected.len() >= 2, "{command}: no examples or exit statuses in --help");
        let page = if command.is_empty() { "sandbox-triage.1".to_owned() } else { format!("sandbox-triage-{command}.1") };
        let (text, _) = rendered(&dir.path().join("share/man/man1").join(&page));
        let shown: Vec<&str> = text.lines().collect();
        for line in &expected {
            let found = shown.iter().find(|l| l.trim() == line);
            let found = found.unwrap_or_else(|| panic!("{page}: the line {line:?} is not on the page whole:\n{text}"));
            assert!(found.chars().count() <= 80, "{page}: wider than 80 columns: {found:?}");
        }
    }
}

#[test]
fn roff_specials_in_examples_are_printed_not_obeyed() {
    // The recover page's last example ends in `\`, the shell's line continuation: roff
    // would take a bare backslash as an escape.
    let (dir, _pages) = pages();
    let (text, _) = rendered(&dir.path().join("share/man/man1/sandbox-triage-recover.1"));
    assert!(text.contains("sandbox-triage recover --apply --allow-destructive \\\n"), "{text}");
    // `'` and `-` come out as typed (no typographic quote, no Unicode hyphen), so a line
    // copied from the page runs.
    let doctor = rendered(&dir.path().join("share/man/man1/sandbox-triage-doctor.1")).0;
    assert!(doctor.contains("sandbox-triage doctor --format json | jq '.checks[] | select(.ok | not)'\n"), "{doctor}");
}
