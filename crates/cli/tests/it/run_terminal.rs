//! `run` on a terminal gives the child one (a pseudo-terminal of the same size), so its
//! colours and progress bars survive, and what it prints still classifies; off a
//! terminal, the child gets pipes.

use std::process::{Command, Stdio};

use crate::common::BIN;

const CHILD: &str = "[ -t 1 ] && echo CHILD-STDOUT-TTY || echo CHILD-STDOUT-PIPE; \
                     [ -t 2 ] && echo CHILD-STDERR-TTY >&2 || echo CHILD-STDERR-PIPE >&2; \
                     stty size <&1; \
                     printf '\\033[31mcoloured\\033[0m\\n'; \
                     echo 'invalid peer certificate: BadSignature' >&2; exit 3";

#[test]
fn on_a_terminal_the_child_sees_one_of_the_same_size_and_its_output_still_classifies() {
    // `script` runs `run` on a pseudo-terminal of 33 rows and 97 columns.
    let inner = format!("stty rows 33 cols 97; {BIN} run --color never --heartbeat 0 -- sh -c \"{CHILD}\"; echo STATUS=$?");
    let out = Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .output()
        .expect("`script` (util-linux) runs");
    let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    assert!(text.contains("CHILD-STDOUT-TTY\n") && text.contains("CHILD-STDERR-TTY\n"), "{text}");
    assert!(text.contains("\n33 97\n"), "the child's terminal has ours' size: {text}");
    assert!(text.contains("\u{1b}[31mcoloured\u{1b}[0m"), "escape codes pass through untouched: {text:?}");
    assert!(text.contains("tls_cert_mismatch"), "the diagnosis follows: {text}");
    assert!(text.contains("STATUS=3"), "the child's status: {text}");
}

#[test]
fn off_a_terminal_the_child_gets_pipes() {
    let out = Command::new(BIN).args(["run", "--", "sh", "-c", CHILD]).stdin(Stdio::null()).output().expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("CHILD-STDOUT-PIPE"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("CHILD-STDERR-PIPE") && err.contains("tls_cert_mismatch"), "{err}");
}

#[test]
fn a_resized_terminal_resizes_the_childs() {
    // The child resizes the terminal it holds (as a window resize would) and looks at
    // its own output's size again until it changes: on a loaded machine the resize can
    // take more than a moment to be passed on (up to 10 s here).
    let child = "stty size <&1; stty rows 25 cols 71 </dev/tty; \
                 exec 3>&1; for i in $(seq 100); do s=$(stty size <&3); [ \"$s\" != \"33 97\" ] && break; sleep 0.1; done; echo $s";
    let inner = format!("stty rows 33 cols 97; {BIN} run --heartbeat 0 -- sh -c '{child}'");
    let out = Command::new("script").args(["-qec", &inner, "/dev/null"]).stdin(Stdio::null()).output().expect("`script` runs");
    let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    assert!(text.contains("33 97\n25 71\n"), "{text}");
}

#[test]
fn the_heartbeat_redraws_its_one_line_on_a_terminal_and_adds_lines_off_one() {
    // Slack of a second around each heartbeat (every second, from one second of
    // silence): a loaded machine still sees the same lines.
    let child = "echo first; sleep 3.5; echo second; sleep 1.5";
    let inner = format!("stty rows 30 cols 80; {BIN} run --heartbeat 1 -- sh -c \"{child}\"");
    let on_terminal = |term: &str| {
        let out = Command::new("script")
            .args(["-qec", &inner, "/dev/null"])
            .env("TERM", term)
            .env_remove("NO_COLOR")
            .stdin(Stdio::null())
            .output()
            .expect("`script` runs");
        String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
    };
    let text = on_terminal("xterm");
    let redraw = "\u{1b}[1A\r\u{1b}[K";
    // During the first silence: one line, then the same line redrawn (never below it).
    let first = text.split("second").next().expect("text");
    assert!(first.contains("first\nsandbox-triage: no output for 1s: "), "{text:?}");
    assert!(first.contains(&format!("{redraw}sandbox-triage: no output for 2s: ")), "{text:?}");
    // Once the command has printed, the next heartbeat starts a line of its own below it.
    let after = text.split("second\n").nth(1).expect("the second line");
    assert!(after.starts_with("sandbox-triage: no output for 1s: "), "{text:?}");
    // Every heartbeat line fits the terminal: a longer one could not be redrawn.
    assert!(text.lines().all(|l| l.trim_start_matches(redraw).chars().count() <= 80), "{text:?}");

    // A terminal that takes no escapes: a line each time.
    let dumb = on_terminal("dumb");
    assert!(!dumb.contains('\u{1b}') && dumb.contains("no output for 2s"), "{dumb:?}");

    // Off a terminal (a log), each heartbeat is a line of its own, with no escapes.
    let out = Command::new(BIN).args(["run", "--heartbeat", "1", "--", "sh", "-c", child]).stdin(Stdio::null()).output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(err.contains("no output for 1s") && err.contains("no output for 2s"), "{err}");
}
