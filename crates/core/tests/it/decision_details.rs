//! The parts of an answer beyond its kind: which evidence lines prove it (and how many),
//! when a failed step is reported, and what an unknown answer explains.

use sandbox_triage_core::{classify, Catalogue, Kind, Options, Phase, Stage, StageRules};

fn user_rule(id: &str, kind: &str, word: &str, priority: u32) -> (String, String) {
    let text = format!(
        "id = '{id}'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = '{kind}'\npriority = {priority}\nanchors = ['{word}']\npattern = '{word} \\d+'\nexplanation = 'x'\n"
    );
    (format!("{id}.toml"), text)
}

fn classify_with(user: Vec<(String, String)>, log: &str) -> sandbox_triage_core::Diagnosis {
    let catalogue = Catalogue::with_user_files(user).expect("the user rules load");
    classify(&StageRules::new(&catalogue, Stage::SandboxCreate), Options { exit_status: Some(1), ..Options::default() }, log.as_bytes())
}

#[test]
fn evidence_holds_the_kinds_other_matches_and_not_other_kinds() {
    let user = vec![
        user_rule("user.alpha", "disk_full", "alpha", 200),
        user_rule("user.beta", "disk_full", "beta", 10),
        user_rule("user.gamma", "gpu_cdi_injection_failed", "gamma", 10),
    ];
    let d = classify_with(user, "beta 1\ngamma 2\nalpha 3\n");
    assert_eq!(d.kind, Kind::DiskFull);
    let lines: Vec<u64> = d.evidence.iter().map(|e| e.line).collect();
    assert_eq!(lines, [1, 3], "{:?}", d.evidence);
}

#[test]
fn evidence_keeps_the_last_twelve_lines() {
    let user: Vec<_> = (0..15).map(|i| user_rule(&format!("user.r{i:02}"), "disk_full", &format!("word{i:02}x"), 100 + i)).collect();
    let log = (0..15).map(|i| format!("word{i:02}x {i}")).collect::<Vec<_>>().join("\n");
    let d = classify_with(user, &log);
    let lines: Vec<u64> = d.evidence.iter().map(|e| e.line).collect();
    assert_eq!(lines, (4..=15).collect::<Vec<u64>>());
}

#[test]
fn only_a_build_failure_reports_a_failed_step() {
    let rules = crate::support::rules(Stage::SandboxCreate);
    let upload_after_steps = "  Step 9/9 : CMD [\"x\"]\n  Successfully built 9f8e7d6c5b4a\n  Built image openshell/sandbox-from:1\n  Pushing image openshell/sandbox-from:1 into gateway \"spark\"\n  [progress] Exported 12 MiB\nError:   × failed to upload image tar into container\n  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-spark\n";
    let d = classify(rules, Options { exit_status: Some(1), ..Options::default() }, upload_after_steps.as_bytes());
    assert_eq!(d.kind, Kind::ImageUploadContainerMissing);
    assert_eq!(d.failed_step, None);
    // A builder's summary, then a failure of a later phase: the later one is the answer,
    // and it has no failed step.
    let later = "  Step 2/3 : RUN make\nThe command '/bin/sh -c make' returned a non-zero code: 2\n  Built image openshell/sandbox-from:1\n  Pushing image openshell/sandbox-from:1 into gateway \"g\"\nError:   × failed to upload image tar into container\n  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-g\n";
    let d = classify(rules, Options { exit_status: Some(1), ..Options::default() }, later.as_bytes());
    assert_eq!((d.kind, d.failed_step), (Kind::ImageUploadContainerMissing, None));
    // In the build phase, another failure reports the step that was running, when one was.
    let stalled = "Building image openshell/sandbox-from:1 from ./Dockerfile\n  Step 6/35 : RUN npm ci\nError:   × Docker build produced no output for 1800s.\n";
    let d = classify(rules, Options { exit_status: Some(1), ..Options::default() }, stalled.as_bytes());
    assert_eq!((d.kind, d.failed_step.and_then(|s| s.number)), (Kind::BuildStalled, Some(6)));
    let engine = "Building image openshell/sandbox-from:1 from ./Dockerfile\nError:   × failed to query local Docker daemon info\n";
    let d = classify(rules, Options { exit_status: Some(1), ..Options::default() }, engine.as_bytes());
    assert_eq!((d.kind, d.phase, d.failed_step), (Kind::DockerUnreachable, Some(Phase::Build), None));
    let build = "  Step 4/9 : RUN make\nmake: *** [all] Error 2\nThe command '/bin/sh -c make' returned a non-zero code: 2\n";
    let d = classify(rules, Options { exit_status: Some(1), ..Options::default() }, build.as_bytes());
    assert_eq!(d.kind, Kind::BuildStepFailed);
    assert_eq!(d.failed_step.and_then(|s| s.number), Some(4));
}

#[test]
fn an_unknown_answer_says_where_the_output_ended() {
    let rules = crate::support::rules(Stage::SandboxCreate);
    let cases = [
        ("  [progress] Uploaded to gateway\n", Phase::Import, "ended during the import"),
        ("  Pushing image x:1 into gateway \"g\"\n", Phase::Export, "ended in phase export: exporting the built image"),
    ];
    for (log, phase, says) in cases {
        let d = classify(rules, Options { exit_status: Some(1), ..Options::default() }, log.as_bytes());
        assert_eq!((d.kind, d.phase), (Kind::Unknown, Some(phase)));
        assert!(d.explanation.contains(says), "{}", d.explanation);
    }
    let d = classify(rules, Options { exit_status: Some(1), ..Options::default() }, b"nothing to see\n");
    assert!(d.explanation.starts_with("No known failure signature in the output."), "{}", d.explanation);
}
