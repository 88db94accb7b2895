//! The cause of a failed step is its tool's first error: never a warning, never the
//! consequence printed after it, never a line of another step; and its place in the
//! Dockerfile follows the instruction the output shows.

use sandbox_triage_core::place_in_dockerfile;

use crate::support::create;

fn cause(log: &str) -> Option<String> {
    create(log, Some(1)).cause.map(|c| c.text)
}

#[test]
fn a_warning_is_never_the_cause() {
    let log = "Step 2/3 : RUN pip install torch==9.9.9\n ---> Running in 1\nwarning: No matching distribution found for torch==9.9.9 (the index is retried)\nERROR: No matching distribution found for torch==9.9.9\nThe command '/bin/sh -c pip install torch==9.9.9' returned a non-zero code: 1\n";
    assert_eq!(cause(log).as_deref(), Some("ERROR: No matching distribution found for torch==9.9.9"));
}

#[test]
fn the_first_error_is_the_cause_not_what_follows_it() {
    let log = "Step 3/3 : RUN make\n ---> Running in 1\ncc -c main.c\nmain.c:3:1: error: unknown type name 'foo'\nmain.c:9:5: error: 'bar' undeclared\nmake: *** [Makefile:2: main.o] Error 1\nThe command '/bin/sh -c make' returned a non-zero code: 2\n";
    assert_eq!(cause(log).as_deref(), Some("main.c:3:1: error: unknown type name 'foo'"));
}

#[test]
fn an_error_in_a_step_that_succeeded_is_not_the_cause() {
    let log = "Step 2/3 : RUN cat /etc/motd || true\n ---> Running in 1\ncat: /etc/motd: No such file or directory\n ---> 2b\nStep 3/3 : RUN make\n ---> Running in 3\nmake: *** No rule to make target 'all'.  Stop.\nThe command '/bin/sh -c make' returned a non-zero code: 2\n";
    assert_eq!(cause(log).as_deref(), Some("make: *** No rule to make target 'all'.  Stop."));
}

#[test]
fn a_ci_timestamp_does_not_hide_the_cause() {
    let log = "2024-05-01T12:00:00.1234567Z #7 [3/4] RUN apt-get install -y nosuchpkg\n2024-05-01T12:00:01.0000000Z #7 0.912 E: Unable to locate package nosuchpkg\n2024-05-01T12:00:01.1000000Z #7 ERROR: process \"/bin/sh -c apt-get install -y nosuchpkg\" did not complete successfully: exit code: 100\n";
    assert_eq!(cause(log).as_deref(), Some("#7 0.912 E: Unable to locate package nosuchpkg"));
}

#[test]
fn the_failed_command_of_a_chain_is_the_one_the_cause_names() {
    let log = "Step 2/2 : RUN apt-get update &&     apt-get install -y nosuchpkg &&     pip install x\n ---> Running in 1\nE: Unable to locate package nosuchpkg\nThe command '/bin/sh -c apt-get update &&     apt-get install -y nosuchpkg &&     pip install x' returned a non-zero code: 100\n";
    let mut diagnosis = create(log, Some(100));
    let dockerfile = "FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y nosuchpkg && \\\n    pip install x\n";
    place_in_dockerfile(&mut diagnosis, "Dockerfile", dockerfile);
    let spot = diagnosis.dockerfile.expect("placed");
    // Two commands run apt-get: the output does not say which, so neither is marked.
    assert_eq!((spot.line, spot.end_line, spot.failed_command), (Some(2), Some(4), None));

    let log = log.replace("apt-get update &&     ", "");
    let mut diagnosis = create(&log, Some(100));
    place_in_dockerfile(&mut diagnosis, "Dockerfile", &dockerfile.replace("apt-get update && \\\n    ", ""));
    let spot = diagnosis.dockerfile.expect("placed");
    assert_eq!(spot.failed_command.as_deref(), Some("apt-get install -y nosuchpkg"));
    assert_eq!(spot.frame.iter().filter_map(|l| l.underline).collect::<Vec<_>>(), vec![(4, 32)]);
}

#[test]
fn equal_instructions_are_told_apart_by_the_classic_step_number() {
    let log = "Step 4/4 : RUN make\n ---> Running in 1\nmake: *** No rule to make target 'all'.  Stop.\nThe command '/bin/sh -c make' returned a non-zero code: 2\n";
    let mut diagnosis = create(log, Some(2));
    place_in_dockerfile(&mut diagnosis, "Dockerfile", "FROM a\nRUN make\nWORKDIR /src\nRUN make\n");
    let spot = diagnosis.dockerfile.expect("placed");
    assert_eq!((spot.line, spot.note), (Some(4), None));
    // Without numbers that match the file, the tool says it cannot tell.
    let mut diagnosis = create(log, Some(2));
    place_in_dockerfile(&mut diagnosis, "Dockerfile", "FROM a\nRUN make\nRUN make\n");
    let spot = diagnosis.dockerfile.expect("spot");
    assert_eq!(spot.line, None);
    assert_eq!(spot.note.as_deref(), Some("`RUN make` is on lines 2, 3 of Dockerfile: the output does not say which one failed"));
}

#[test]
fn a_file_without_the_instruction_is_said_not_to_match() {
    let log = "Step 2/2 : RUN make install\n ---> Running in 1\nmake: *** No rule to make target 'install'.  Stop.\nThe command '/bin/sh -c make install' returned a non-zero code: 2\n";
    let mut diagnosis = create(log, Some(2));
    place_in_dockerfile(&mut diagnosis, "Dockerfile", "FROM a\nRUN make build\nRUN make check\n");
    assert_eq!(
        diagnosis.dockerfile.and_then(|s| s.note).as_deref(),
        Some("Dockerfile has no instruction `RUN make install`: it changed since this build, or the build used another Dockerfile")
    );
}

#[test]
fn secrets_a_continuation_splits_are_masked_in_every_output() {
    let case = |name: &str| std::fs::read_to_string(crate::corpus::workspace().join(name)).expect("case");
    let log = case("tests/corpus/build_step_failed__synthetic-classic-secrets-in-continued-run.log");
    let mut diagnosis = create(log.split_once("# ---\n").expect("header").1, Some(127));
    place_in_dockerfile(&mut diagnosis, "Dockerfile", &case("tests/dockerfiles/synthetic-sec.Dockerfile"));
    assert_eq!(diagnosis.dockerfile.as_ref().and_then(|s| s.line), Some(2));
    let shown = crate::support::every_output(&diagnosis, None);
    for secret in ["q8Zr3kLmN0pXyT7vWbC2dE5fGhJ9sU1a", "hunter2SuperSecretPw", "s3cr3tPassw0rd", "ghp_abcdefghij", "sk-proj-abcdefghij"] {
        assert!(!shown.contains(secret), "{secret} is shown:\n{shown}");
    }
    let bk = case("tests/corpus/build_step_failed__synthetic-buildkit-frame-secret-continued.log");
    let shown = crate::support::every_output(&create(bk.split_once("# ---\n").expect("header").1, Some(127)), None);
    assert!(!shown.contains("q8Zr3kLmN0pXyT7vWbC2dE5fGhJ9sU1a"), "{shown}");
}
