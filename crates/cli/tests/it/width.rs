//! Output fitted to the terminal: prose wrapped and evidence clipped to its width (from
//! `COLUMNS`, or a real pseudo-terminal's size), commands kept whole on their own lines.

use std::process::{Command, Stdio};

use crate::common::{workspace, BIN};

const EXAMPLE: &str = "examples/upload-404-podman.log";

/// Display columns, counting each character as one (the example's text is narrow).
fn columns(line: &str) -> usize {
    line.chars().count()
}

/// Every command the plan shows, as it is shown.
fn commands() -> Vec<String> {
    let out = Command::new(BIN).args(["plan", "--format", "json", EXAMPLE]).current_dir(workspace()).output().expect("run");
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let steps = plan["plan"]["steps"].as_array().expect("steps").iter();
    let alternatives =
        plan["plan"]["alternatives"].as_array().expect("alternatives").iter().flat_map(|a| a["steps"].as_array().expect("steps"));
    steps.chain(alternatives).filter_map(|s| s["shell"].as_str().map(str::to_owned)).collect()
}

/// Checks a plan printed for `width` columns: every line fits but the commands, and
/// each command is whole on its own line.
fn fits(text: &str, width: usize) {
    let commands = commands();
    assert!(!commands.is_empty());
    let lines: Vec<&str> = text.lines().collect();
    for command in &commands {
        assert!(lines.iter().any(|l| l.trim() == command), "{command:?} is not whole on a line of its own:\n{text}");
    }
    let is_command = |line: &str| {
        let line = line.trim();
        commands.iter().any(|c| c == line) || ["skip when: ", "when: ", "then: "].iter().any(|p| line.starts_with(p))
    };
    for line in &lines {
        // A word longer than the line (a setting, a path) is not broken: it is alone.
        let one_word = line.split_whitespace().count() == 1;
        assert!(is_command(line) || one_word || columns(line) <= width, "{} columns at width {width}: {line:?}", columns(line));
    }
    // The example's evidence is longer than 60 columns: clipped in the middle, with the
    // marker, keeping the error's end and the container it names.
    let evidence: Vec<&&str> = lines.iter().filter(|l| l.contains(" │ ")).collect();
    assert!(!evidence.is_empty());
    if width < 80 {
        let last = evidence.last().expect("evidence");
        assert!(last.contains('…') && last.contains("\"openshell-cluster-nemoclaw\"") && last.ends_with("such container"), "{evidence:?}");
    }
    // Prose uses the width it has: some line comes within a few columns of it.
    let widest = lines.iter().filter(|l| !is_command(l)).map(|l| columns(l)).max().unwrap_or(0);
    assert!(widest + 12 >= width.min(100), "the widest prose line is {widest} at width {width}");
}

#[test]
fn prose_fits_the_width_columns_says_and_commands_stay_whole() {
    for width in [60, 100] {
        let out = Command::new(BIN)
            .args(["plan", EXAMPLE])
            .current_dir(workspace())
            .env("COLUMNS", width.to_string())
            .env("NO_COLOR", "1")
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(0));
        fits(&String::from_utf8(out.stdout).expect("UTF-8"), width);
    }
    // Off a terminal with no COLUMNS: prose at 80, evidence whole.
    let out = Command::new(BIN).args(["plan", EXAMPLE]).current_dir(workspace()).env_remove("COLUMNS").output().expect("run");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.lines().filter(|l| l.contains(" │ ")).all(|l| !l.ends_with('…')), "{text}");
}

#[test]
fn prose_fits_a_real_terminals_width() {
    for width in [60, 100] {
        // `script` runs the binary on a pseudo-terminal whose size `stty` sets.
        let inner = format!("stty cols {width} rows 50; {BIN} plan --color never {EXAMPLE}");
        let out = Command::new("script")
            .args(["-qec", &inner, "/dev/null"])
            .current_dir(workspace())
            .env_remove("COLUMNS")
            .stdin(Stdio::null())
            .output()
            .expect("`script` (util-linux) runs");
        let text = String::from_utf8(out.stdout).expect("UTF-8").replace("\r\n", "\n");
        assert!(text.contains("recovery"), "{text}");
        fits(&text, width);
    }
}

#[test]
fn help_is_wrapped_to_the_width_with_descriptions_under_their_options() {
    for width in [60, 100] {
        for command in ["plan", "run", "recover"] {
            let out = Command::new(BIN).args([command, "--help"]).env("COLUMNS", width.to_string()).output().expect("run");
            let help = String::from_utf8(out.stdout).expect("UTF-8");
            for line in help.lines() {
                // Only what cannot be broken runs over: the usage line, an option's own
                // spelling, one long word.
                let whole = line.starts_with("Usage: ") || line.trim_start().starts_with('-') || line.split_whitespace().count() == 1;
                assert!(whole || columns(line) <= width, "{command} --help at {width}: {line:?}");
            }
        }
    }
    // However wide the terminal, prose stops at 100 columns.
    let out = Command::new(BIN).args(["plan", "--help"]).env("COLUMNS", "200").output().expect("run");
    assert!(String::from_utf8(out.stdout).expect("UTF-8").lines().all(|l| columns(l) <= 100));
}
