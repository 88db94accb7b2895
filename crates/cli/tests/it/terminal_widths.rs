//! Every command's output as a person sees it on a real pseudo-terminal 60, 80 and 120
//! columns wide (`script`, its size set by `stty`): coloured (a terminal, no `NO_COLOR`),
//! every line of ours within the width but the commands kept whole to paste, and the
//! text, escapes taken out, as its snapshot. `doctor` has its own (`doctor_output.rs`).

use std::process::{Command, Stdio};

use crate::common::{workspace, BIN};
use crate::stand_in::StandIn;

const EXAMPLE: &str = "examples/upload-404-podman.log";

/// The commands, each a name and its words after the binary's.
fn commands(example: &str) -> Vec<(&'static str, String)> {
    vec![
        ("classify", format!("classify {example}")),
        ("classify_several", format!("classify {example} examples/plugin-install-blocked.log")),
        ("plan", format!("plan {example} -- --name dev --from ./Dockerfile --provider nvidia")),
        ("run", format!("run --timeline -- sh -c 'cat {example} >&2; exit 1'")),
        ("recover", format!("recover {example}")),
        ("rules", "rules --stage gateway-start".to_owned()),
        ("redact", "redact examples/plugin-install-blocked.log".to_owned()),
        ("recreate", "recreate --image openshell/sandbox-from:1786000000 -- --name dev --from ./Dockerfile --policy p.yaml".to_owned()),
    ]
}

/// `text` without its escape sequences (CSI and OSC), as the terminal shows it.
fn visible(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// What the command prints on a terminal `width` columns wide, `\r\n` made `\n`.
fn on_terminal(stand: &StandIn, words: &str, width: usize) -> String {
    let inner = format!("stty cols {width} rows 50; '{BIN}' {words}");
    let out = Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .current_dir(workspace())
        .env("PATH", stand.path())
        .env("STUB_DIR", stand.dir.path())
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null())
        .output()
        .expect("`script` (util-linux) runs");
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
}

/// Whether `line` may run past the width: it is a command (kept whole, to paste as
/// shown: after `$ `, `when: `, `next: `, …, or on its own), a line the child printed (not
/// ours to fit), or one word longer than any line.
fn may_overflow(line: &str, child: &str) -> bool {
    const PROGRAMS: [&str; 8] = ["podman ", "docker ", "openshell ", "nemoclaw ", "systemctl ", "sudo ", "mv ", "SANDBOX_TRIAGE_"];
    let trimmed = line.trim();
    let prefixes = [
        "",
        "$ ",
        "skip when: ",
        "when: ",
        "then: ",
        "undo: ",
        "→ next: ",
        "→ will run: ",
        "✓ before: ",
        "✗ before: ",
        "✓ after: ",
        "· already done?: ",
    ];
    let command = prefixes.iter().any(|p| trimmed.strip_prefix(p).is_some_and(|rest| PROGRAMS.iter().any(|c| rest.starts_with(c))));
    command || trimmed.split_whitespace().count() == 1 || (!trimmed.is_empty() && child.lines().any(|l| l.trim() == trimmed))
}

/// Durations (`0.3s`, `1.2 s`) as `N.Ns`: they change from run to run.
fn durations_masked(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let number = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        let after = &rest[number..];
        let unit = if after.starts_with('s') {
            1
        } else if after.starts_with(" s") {
            2
        } else {
            0
        };
        let preceded = out.chars().last().is_none_or(|c| !c.is_alphanumeric());
        if rest[..number].contains('.') && unit > 0 && preceded {
            out.push_str(if unit == 1 { "N.Ns" } else { "N.N s" });
            rest = &after[unit..];
        } else {
            out.push_str(&rest[..number]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn every_commands_output_fits_60_80_and_120_columns_in_colour() {
    let stand = StandIn::new();
    // The lines the examples hold, passed through by `run` or printed by `redact`.
    let child = ["examples/upload-404-podman.log", "examples/plugin-install-blocked.log"]
        .map(|e| std::fs::read_to_string(workspace().join(e)).expect("example"))
        .join("\n");
    for (name, words) in commands(EXAMPLE) {
        for width in [60, 80, 120] {
            let raw = on_terminal(&stand, &words, width);
            let text = visible(&raw);
            // Colour on a terminal: every command but the ones that print text to copy.
            if !["redact", "recreate"].contains(&name) {
                assert!(raw.contains("\u{1b}[1m"), "{name} at {width}: no colour:\n{raw}");
            }
            for line in text.lines() {
                let columns = unicode_width::UnicodeWidthStr::width(line);
                assert!(columns <= width || may_overflow(line, &child), "{name} at {width}: {columns} columns: {line:?}\n{text}");
            }
            // What varies from run to run: durations.
            // The timeline's rows and their order follow the durations: checked for width
            // above, left out of the snapshot.
            let text = match text.find("\ntimeline ") {
                Some(at) => format!("{}\ntimeline (rows left out: they follow the durations)\n", &text[..at]),
                None => text,
            };
            insta::assert_snapshot!(format!("{name}_{width}"), durations_masked(&text));
        }
    }
}

#[test]
fn a_destructive_step_stands_out_from_a_probe_and_a_failure_is_red() {
    let stand = StandIn::new();
    // The gateway-start migration plan holds a destructive step (the state moved aside).
    let input = stand.corpus_input("database_migration_incompatible__has-been-modified-9293.log");
    let raw = on_terminal(&stand, &format!("plan --stage gateway-start {input}"), 100);
    let bold_red = "\u{1b}[1m\u{1b}[31m[destructive]";
    assert!(raw.contains(bold_red), "{raw:?}");
    assert!(raw.contains("\u{1b}[2m[probe]"), "{raw:?}");
    // recover: what stopped it stands out, and how it ended is red.
    stand.failing("podman", 125);
    let raw = on_terminal(&stand, &format!("recover {EXAMPLE}"), 100);
    assert!(raw.contains("dry run of the plan for \u{1b}[1m\u{1b}[31mimage_upload_container_missing"), "{raw:?}");
    assert!(raw.contains("1. \u{1b}[2m[probe]\u{1b}[0m Check the gateway"), "{raw:?}");
    assert!(raw.contains("\u{1b}[1m\u{1b}[31mended: check-failed"), "{raw:?}");
}

#[test]
fn durations_are_masked_and_nothing_else() {
    assert_eq!(durations_masked("took 0.3s, then 12.5 s; step 3/5 at v0.0.36 in 2s"), "took N.Ns, then N.N s; step 3/5 at v0.0.36 in 2s");
}
