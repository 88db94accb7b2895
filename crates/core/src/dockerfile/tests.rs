//! The placing's pieces, one by one: the instruction a command implies, how two
//! instructions are compared, the keyword before a command, the lines kept around the
//! underline, and masking over continuations.

use super::frame::{instruction_shown, underline, FRAME_SHOWN};
use super::*;
use crate::model::FrameLine;

#[test]
fn a_command_implies_its_instruction() {
    assert_eq!(instruction_of_command("/bin/sh -c make all").as_deref(), Some("RUN make all"));
    assert_eq!(instruction_of_command("/bin/bash -o pipefail -c make").as_deref(), Some("RUN make"));
    assert_eq!(instruction_of_command("COPY a /b").as_deref(), Some("COPY a /b"));
    // Podman's quoted step is an instruction already; a bare command is not one.
    assert_eq!(instruction_of_command("make all"), None);
    assert_eq!(instruction_of_command("CD x"), None);
    assert_eq!(instruction_of_command("Run x"), None);
    assert_eq!(instruction_of_command(""), None);
}

#[test]
fn instructions_compare_by_their_words() {
    assert!(same_instruction("run  make   all", "RUN make all"));
    assert!(!same_instruction("RUN make all", "RUN make"));
    assert!(same_instruction("RUN make al…", "RUN make all install"));
    assert!(!same_instruction("RUN make x…", "RUN make all"));
    // A heredoc's first line is all the file's instruction holds.
    assert!(same_instruction("RUN <<EOF (set -e...)", "RUN <<EOF"));
    assert!(same_instruction("RUN <<EOF", "RUN <<EOF"));
    assert!(!same_instruction("RUN <<EOFX", "RUN <<EOF"));
    assert!(!same_instruction("RUN make", "RUN <<EOF"));
}

#[test]
fn a_name_the_terminal_cut_is_a_long_enough_start() {
    let written = "RUN pip3 install --requirement requirements.txt --index-url http://x";
    let cut = &written[..40];
    assert!(cut_by_terminal(cut, written));
    assert!(!cut_by_terminal(&written[..39], written), "too short to name one");
    assert!(!cut_by_terminal(written, written), "not cut: the same");
    assert!(!cut_by_terminal(&format!("{cut}x"), written));
}

#[test]
fn the_keyword_is_not_part_of_the_command() {
    let spot = |lines: &[&str], programs: &[&str]| {
        let mut spot = empty_spot();
        spot.programs = programs.iter().map(|p| (*p).to_owned()).collect();
        let numbered: Vec<(u32, String)> = lines.iter().zip(1..).map(|(l, n)| (n, (*l).to_owned())).collect();
        spot.frame = instruction_shown(&numbered);
        underline(&mut spot);
        spot
    };
    let one = spot(&["run   apt-get install -y x && \\", "    make"], &["apt-get"]);
    assert_eq!(one.frame[0].underline, Some((6, 26)));
    assert_eq!(one.failed_command.as_deref(), Some("apt-get install -y x"));
    // Two commands run the program: the output does not say which failed.
    let two = spot(&["RUN make && \\", "    make install"], &["make"]);
    assert_eq!((two.frame.iter().filter_map(|l| l.underline).count(), two.failed_command), (0, None));
    let none = spot(&["RUN make"], &["cargo"]);
    assert_eq!(none.failed_command, None);
}

#[test]
fn a_long_instruction_is_shown_around_its_failed_command() {
    let line = |n: u32, underline: Option<(usize, usize)>| FrameLine { line: n, text: String::new(), failed: true, underline };
    let mut frame: Vec<FrameLine> = (1..=20).map(|n| line(n, (n == 15).then_some((0, 1)))).collect();
    frame_kept(&mut frame);
    assert_eq!(frame.iter().map(|l| l.line).collect::<Vec<_>>(), (11..11 + FRAME_SHOWN as u32).collect::<Vec<_>>());
    let mut frame: Vec<FrameLine> = (1..=20).map(|n| line(n, (n == 20).then_some((0, 1)))).collect();
    frame_kept(&mut frame);
    assert_eq!(frame.first().map(|l| l.line), Some(21 - FRAME_SHOWN as u32));
    let mut frame: Vec<FrameLine> = (1..=FRAME_SHOWN as u32).map(|n| line(n, None)).collect();
    frame_kept(&mut frame);
    assert_eq!(frame.len(), FRAME_SHOWN);
}

/// The frame as `underline` leaves it, without an underline to add.
fn frame_kept(frame: &mut Vec<FrameLine>) {
    let mut spot = DockerfileSpot { frame: std::mem::take(frame), ..empty_spot() };
    underline(&mut spot);
    *frame = spot.frame;
}

fn empty_spot() -> DockerfileSpot {
    DockerfileSpot {
        path: None,
        line: None,
        end_line: None,
        instruction: None,
        failed_command: None,
        frame: Vec::new(),
        placed_by: None,
        note: None,
        programs: Vec::new(),
        shown_as: Vec::new(),
    }
}

#[test]
fn no_spot_without_a_failed_step() {
    assert!(unplaced(&Diagnosis::unknown(crate::model::Stage::SandboxCreate, ""), Some("Dockerfile"), vec![]).is_none());
}

#[test]
fn a_secret_split_by_a_continuation_is_masked_on_both_lines() {
    let lines = vec![(1, "RUN curl -H \"Authorization: Bearer \\".to_owned()), (2, "  q8Zr3kLmN0pXyT7vWbC2dE5fGhJ9sU1a\" x".to_owned())];
    let shown = instruction_shown(&lines);
    assert_eq!(shown[0].text, "RUN curl -H \"Authorization: Bearer \\");
    assert_eq!(shown[1].text, "  ***\" x");
}
