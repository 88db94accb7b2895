//! The placing's pieces, one by one: the instruction a command implies, how two
//! instructions are compared, the keyword before a command, the lines kept around the
//! underline, and masking over continuations.

use super::frame::{instruction_shown, underline, FRAME_SHOWN};
use super::*;
use crate::model::{FrameLine, PlacedBy};

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
fn a_failed_step_has_a_spot_to_place() {
    let mut diagnosis = Diagnosis::unknown(crate::model::Stage::SandboxCreate, "");
    diagnosis.failed_step = Some(crate::model::FailedStep {
        number: Some(2),
        total: Some(3),
        command: Some("/bin/sh -c pip install ${PKG}".to_owned()),
        instruction: Some("RUN pip install x".to_owned()),
    });
    let spot = unplaced(&diagnosis, Some("https://user:hunter2secretpw@example.com/Dockerfile"), vec!["pip".to_owned()]).expect("a spot");
    assert_eq!(spot.instruction.as_deref(), Some("RUN pip install x"));
    assert_eq!(spot.shown_as, vec!["RUN pip install x".to_owned(), "RUN pip install ${PKG}".to_owned()]);
    assert_eq!(spot.path.as_deref(), Some("https://***@example.com/Dockerfile"));
    assert_eq!((spot.line, spot.programs), (None, vec!["pip".to_owned()]));
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

#[test]
fn a_secret_ending_a_line_leaves_the_next_line_alone() {
    let lines = vec![
        (1, "RUN export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789 && \\".to_owned()),
        (2, "    make && \\".to_owned()),
        (3, "    curl https://user:hunter2secretpw@example.com/x".to_owned()),
    ];
    let shown: Vec<String> = instruction_shown(&lines).into_iter().map(|l| l.text).collect();
    assert_eq!(shown, vec!["RUN export GITHUB_TOKEN=*** && \\", "    make && \\", "    curl https://***@example.com/x"]);
    // The secret ends where its line's text does: the next line gains no mask.
    let lines = vec![(1, "RUN export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\\".to_owned()), (2, "  && make".to_owned())];
    let shown: Vec<String> = instruction_shown(&lines).into_iter().map(|l| l.text).collect();
    assert_eq!(shown, vec!["RUN export GITHUB_TOKEN=***\\", "  && make"]);
}

/// A failed `RUN make` (step `n` of `total`) with its spot, before placing.
fn failed_make(n: u32, total: u32) -> Diagnosis {
    let mut diagnosis = Diagnosis::unknown(crate::model::Stage::SandboxCreate, "");
    diagnosis.failed_step =
        Some(crate::model::FailedStep { number: Some(n), total: Some(total), command: None, instruction: Some("RUN make".to_owned()) });
    diagnosis.dockerfile = unplaced(&diagnosis, None, vec!["make".to_owned()]);
    diagnosis
}

fn placed(mut diagnosis: Diagnosis, source: &str) -> DockerfileSpot {
    place_in_dockerfile(&mut diagnosis, "Dockerfile", source);
    diagnosis.dockerfile.expect("a spot")
}

#[test]
fn the_file_places_the_instruction_by_its_text_and_the_number_decides_between_equals() {
    let one = placed(failed_make(2, 2), "FROM a\nRUN make\n");
    assert_eq!((one.line, one.end_line, one.placed_by, one.note), (Some(2), None, Some(PlacedBy::File), None));
    assert_eq!(one.failed_command.as_deref(), Some("make"));
    // One instruction matches: the numbers need not fit (Podman counts per stage).
    assert_eq!(placed(failed_make(5, 9), "FROM a\nRUN make\n").line, Some(2));
    let continued = placed(failed_make(2, 2), "FROM a\nRUN \\\n  make\n");
    assert_eq!((continued.line, continued.end_line), (Some(2), Some(3)));
    // Equal instructions: the classic number decides when the file has that many steps.
    assert_eq!(placed(failed_make(4, 4), "FROM a\nRUN make\nUSER x\nRUN make\n").line, Some(4));
    assert_eq!(placed(failed_make(2, 4), "FROM a\nRUN make\nUSER x\nRUN make\n").line, Some(2));
    let other_count = placed(failed_make(4, 5), "FROM a\nRUN make\nUSER x\nRUN make\n");
    assert_eq!(other_count.line, None);
    assert_eq!(other_count.note.as_deref(), Some("`RUN make` is on lines 2, 4 of Dockerfile: the output does not say which one failed"));
    let changed = placed(failed_make(2, 2), "FROM a\nRUN make all\n");
    assert_eq!(changed.note.as_deref(), Some("Dockerfile changed since this build: its step 2 (line 2) no longer reads `RUN make`"));
    let elsewhere = placed(failed_make(2, 3), "FROM a\nRUN make all\n");
    assert_eq!(
        elsewhere.note.as_deref(),
        Some("Dockerfile has no instruction `RUN make`: it changed since this build, or the build used another Dockerfile")
    );
}

#[test]
fn the_builders_own_place_is_kept_and_a_long_instruction_is_quoted_by_its_start() {
    let mut diagnosis = failed_make(2, 2);
    if let Some(spot) = &mut diagnosis.dockerfile {
        spot.placed_by = Some(PlacedBy::Builder);
        spot.line = Some(9);
    }
    let kept = placed(diagnosis, "FROM a\nRUN make\n");
    assert_eq!((kept.line, kept.path), (Some(9), None));
    let mut long = failed_make(2, 2);
    let words = "RUN make ".to_owned() + &"x".repeat(80);
    long.dockerfile.as_mut().expect("spot").instruction = Some(words.clone());
    long.dockerfile.as_mut().expect("spot").shown_as = vec![words];
    let note = placed(long, "FROM a\nRUN make\n").note.expect("a note");
    assert!(note.ends_with(&format!("`RUN make {}…`", "x".repeat(51))), "{note}");
}

#[test]
fn buildkits_frame_gives_the_instruction_its_lines() {
    let frame = |marked: &[u32]| crate::classify::state::BuilderFrame {
        path: "Dockerfile".to_owned(),
        line: 2,
        lines: (1..=4).map(|n| (n, format!("RUN make{n}"), marked.contains(&n))).collect(),
    };
    let one = from_builder(&frame(&[2]), empty_spot());
    assert_eq!((one.line, one.end_line, one.placed_by), (Some(2), None, Some(PlacedBy::Builder)));
    let two = from_builder(&frame(&[2, 3]), empty_spot());
    assert_eq!((two.line, two.end_line), (Some(2), Some(3)));
    assert_eq!(two.frame.iter().filter(|l| l.failed).count(), 2);
    // The marked lines are masked as the one instruction they are.
    let split = crate::classify::state::BuilderFrame {
        path: "Dockerfile".to_owned(),
        line: 2,
        lines: vec![
            (1, "FROM a".to_owned(), false),
            (2, "RUN curl -H \"Authorization: Bearer \\".to_owned(), true),
            (3, "  q8Zr3kLmN0pXyT7vWbC2dE5fGhJ9sU1a\" x".to_owned(), true),
        ],
    };
    let texts: Vec<String> = from_builder(&split, empty_spot()).frame.into_iter().map(|l| l.text).collect();
    assert_eq!(texts, vec!["FROM a", "RUN curl -H \"Authorization: Bearer \\", "  ***\" x"]);
}
