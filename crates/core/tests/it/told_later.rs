//! What a caller tells besides the output, and when: an exit status known only once the
//! stream ended (`Triage::finish_with`), a failure whose status is not told (NemoClaw's
//! calls), and NemoClaw's create flags handed over without their runtime environment.

use sandbox_triage_core::{
    reconstruct, render, Catalogue, CreateInvocation, Diagnosis, ImageRef, Kind, Options, Phase, Sensitivity, Shell, Stage, StageSet,
    Triage, Word,
};

const STEP_ENDED: &str = "  Building image openshell/sandbox-from:1 from ./Dockerfile\n  Step 2/5 : RUN make\nmake: *** [all] Error 2\n";

/// When the exit status is told: with the options, or once the output has ended.
#[derive(Clone, Copy)]
enum Told {
    AtStart,
    AtEnd(Option<i32>),
}

fn triage(stage: Option<Stage>, options: Options, output: &str, told: Told) -> Diagnosis {
    let set = StageSet::new(&Catalogue::builtin().expect("built-in rules load"));
    let mut triage = Triage::new(&set, stage, options, None, None);
    triage.feed(output.as_bytes());
    match told {
        Told::AtEnd(status) => triage.finish_with(status),
        Told::AtStart => triage.finish(),
    }
}

#[test]
fn a_status_told_at_the_end_answers_as_one_told_at_the_start() {
    for status in [None, Some(0), Some(1), Some(130)] {
        for stage in [None, Some(Stage::SandboxCreate), Some(Stage::GatewayStart)] {
            let at_start = triage(stage, Options { exit_status: status, ..Options::default() }, STEP_ENDED, Told::AtStart);
            let at_end = triage(stage, Options::default(), STEP_ENDED, Told::AtEnd(status));
            assert_eq!(at_end, at_start, "status {status:?}, stage {stage:?}");
        }
    }
    // The status told at the end wins over the one given at the start.
    let corrected =
        triage(Some(Stage::SandboxCreate), Options { exit_status: Some(1), ..Options::default() }, STEP_ENDED, Told::AtEnd(Some(0)));
    assert_eq!(corrected.kind, Kind::None);
    assert_eq!(triage(None, Options::default(), STEP_ENDED, Told::AtEnd(Some(0))).kind, Kind::None);
    let gateway = triage(
        Some(Stage::GatewayStart),
        Options::default(),
        "Cannot connect to the Docker daemon at unix:///x.sock\n",
        Told::AtEnd(Some(0)),
    );
    assert_eq!(gateway.kind, Kind::None);
}

#[test]
fn a_failure_without_its_status_fails_the_step_the_output_ended_in() {
    let unknown_end = triage(Some(Stage::SandboxCreate), Options::default(), STEP_ENDED, Told::AtStart);
    assert_eq!(unknown_end.kind, Kind::Unknown);
    // The build was still running: it ended in the build, not after it.
    assert!(unknown_end.explanation.contains("ended in phase build"), "{}", unknown_end.explanation);
    let failed = triage(Some(Stage::SandboxCreate), Options { failed: true, ..Options::default() }, STEP_ENDED, Told::AtStart);
    assert_eq!(failed.kind, Kind::BuildStepFailed);
    assert_eq!(failed.phase, Some(Phase::Build));
    assert_eq!(failed.failed_step.as_ref().and_then(|s| s.number), Some(2));
    // As with a non-zero status, except that no status rule (130: stopped) can fire.
    let with_status = triage(Some(Stage::SandboxCreate), Options { exit_status: Some(2), ..Options::default() }, STEP_ENDED, Told::AtStart);
    assert_eq!(failed.kind, with_status.kind);
    let stopped = triage(Some(Stage::SandboxCreate), Options { exit_status: Some(130), ..Options::default() }, STEP_ENDED, Told::AtStart);
    assert_eq!(stopped.kind, Kind::Interrupted);
    // A told success still wins.
    let succeeded = triage(Some(Stage::SandboxCreate), Options { failed: true, ..Options::default() }, STEP_ENDED, Told::AtEnd(Some(0)));
    assert_eq!(succeeded.kind, Kind::None);
}

fn rebuilt(invocation: &CreateInvocation) -> (String, Vec<(String, Sensitivity, bool)>) {
    let image = ImageRef::parse("openshell/sandbox-from:1786000000").expect("valid");
    let r = reconstruct(invocation, Some(&Word::from(&image)));
    let placeholders = r.placeholders.into_iter().map(|p| (p.name, p.sensitivity, p.carried.is_some())).collect();
    (render(&r.words, Shell::Posix).expect("renders"), placeholders)
}

#[test]
fn nemoclaw_flags_get_its_wrapper_with_the_environment_asked_for() {
    let invocation = CreateInvocation::nemoclaw_flags(&["--name", "asst", "--from", "/tmp/nemoclaw-build-1/Dockerfile"]).expect("flags");
    let (command, placeholders) = rebuilt(&invocation);
    assert_eq!(
        command,
        r#"openshell sandbox create --name asst --from openshell/sandbox-from:1786000000 -- env "${SANDBOX_TRIAGE_RUNTIME_ENV?}" nemoclaw-start"#
    );
    // Asked for, never carried, and masked wherever a value given for it shows.
    assert_eq!(placeholders, vec![("RUNTIME_ENV".to_owned(), Sensitivity::Secret, false)]);
    // The same flags parsed as a whole argv have no command after them.
    assert!(CreateInvocation::parse(&["--name", "asst"]).expect("flags").command.is_none());
}

#[test]
fn nemoclaw_flags_that_hold_their_command_keep_it() {
    let flags = ["--name", "asst", "--", "env", "CHAT_UI_URL=http://127.0.0.1:18789", "nemoclaw-start"];
    let invocation = CreateInvocation::nemoclaw_flags(&flags).expect("flags");
    assert_eq!(invocation, CreateInvocation::parse(&flags).expect("flags"));
    let (command, placeholders) = rebuilt(&invocation);
    assert!(command.ends_with(r#"-- env CHAT_UI_URL="${SANDBOX_TRIAGE_CHAT_UI_URL?}" nemoclaw-start"#), "{command}");
    assert_eq!(placeholders.len(), 1);
    assert!(placeholders[0].2, "the create's own value is carried");
    assert!(CreateInvocation::nemoclaw_flags(&["--name", "../x"]).is_err());
}

#[test]
fn a_run_that_ends_after_its_builder_finished_did_not_fail_in_a_step() {
    let classic = "  Building image openshell/sandbox-from:1 from ./Dockerfile\n  Step 2/2 : CMD [\"sh\"]\n   ---> Running in 0a1b2c3d4e5f\n   ---> def012345678\n  Successfully built def012345678\n  Successfully tagged openshell/sandbox-from:1\n";
    let buildah = "STEP 1/2: FROM busybox\nSTEP 2/2: RUN true\nSTEP 3: COMMIT\n--> cf2c605849dc\n";
    for (output, name, said) in
        [(classic, "classic", "just after the builder finished the build"), (buildah, "buildah", "while the builder was writing the image")]
    {
        for options in [Options { exit_status: Some(1), ..Options::default() }, Options { failed: true, ..Options::default() }] {
            let answer = triage(Some(Stage::SandboxCreate), options, output, Told::AtStart);
            assert_eq!(answer.kind, Kind::Unknown, "{name}");
            assert_eq!(answer.failed_step, None, "{name}");
            assert!(answer.explanation.contains(said), "{name}: {}", answer.explanation);
        }
    }
    // A step that starts after the builder's end line is a running step again.
    let again = format!("{classic}  Step 1/1 : RUN make\n");
    let answer = triage(Some(Stage::SandboxCreate), Options { failed: true, ..Options::default() }, &again, Told::AtStart);
    assert_eq!(answer.kind, Kind::BuildStepFailed);
}

#[test]
fn hints_for_another_tool_say_nothing_of_this_tools_commands() {
    use sandbox_triage_core::{hints_human, plan, plan_human, Arch, Frontend, Host, Os, PlanInput, Style};
    let output = "Created sandbox: demo\nError: handshake verification failed\n";
    let diagnosis = triage(Some(Stage::SandboxCreate), Options { exit_status: Some(1), ..Options::default() }, output, Told::AtStart);
    // NemoClaw's flags with its environment (a carried value) and a temporary policy.
    let invocation = CreateInvocation::nemoclaw_flags(&[
        "--name",
        "demo",
        "--policy",
        "/tmp/nemoclaw-policy-1.yaml",
        "--",
        "env",
        "CHAT_UI_URL=http://127.0.0.1:18789",
        "nemoclaw-start",
    ])
    .expect("flags");
    let planned = |invocation: Option<&CreateInvocation>| {
        plan(&PlanInput {
            diagnosis: &diagnosis,
            host: Host { os: Os::Linux, arch: Arch::X86_64, wsl: false },
            engine: None,
            openshell_version: None,
            frontend: Frontend::NemoClaw { cli: "nemoclaw".to_owned() },
            invocation,
        })
    };
    let style = Style { color: false, width: 100, evidence_width: None };
    // With the flags, values the create carried; without them, a create only a person
    // may confirm.
    for (recovery, words) in [
        (planned(Some(&invocation)), &["recover --set", "recover takes the create's own value"][..]),
        (planned(None), &["recover --set", "even under --yes"][..]),
    ] {
        let ours = plan_human(&diagnosis, &recovery, style);
        let theirs = hints_human(&diagnosis, &recovery, style);
        for words in words {
            assert!(ours.contains(words), "{words} in\n{ours}");
            assert!(!theirs.contains(words), "{words} in\n{theirs}");
        }
        assert!(theirs.contains("values the commands read (set each variable first, or replace the word where it says so):"), "{theirs}");
        // Everything else is the same plan.
        let kept = |text: &str| {
            text.lines().filter(|l| l.contains("openshell ") || l.contains("SANDBOX_TRIAGE_")).map(str::to_owned).collect::<Vec<_>>()
        };
        // The reader's words aside, the same lines: the placeholders' reasons may differ.
        let commands = |text: &str| kept(text).into_iter().filter(|l| !l.contains("): ")).collect::<Vec<_>>();
        assert_eq!(commands(&theirs), commands(&ours));
        assert!(!commands(&ours).is_empty());
        assert!(theirs.starts_with(&sandbox_triage_core::diagnosis_human(&diagnosis, style)));
    }
}

#[test]
fn a_supervised_command_that_printed_nothing_is_said_to_have_printed_nothing() {
    let supervised = |status: i32, output: &str| {
        triage(
            Some(Stage::SandboxCreate),
            Options { exit_status: Some(status), supervised: true, ..Options::default() },
            output,
            Told::AtStart,
        )
    };
    let killed = supervised(137, "");
    assert!(
        killed.explanation.starts_with("The command printed nothing, on stdout or stderr, and exited with status 137 (killed by signal 9"),
        "{}",
        killed.explanation
    );
    // Not supervised, an empty output may be a lost stderr; supervised with output, the
    // output is what is read.
    let captured = triage(Some(Stage::SandboxCreate), Options { exit_status: Some(137), ..Options::default() }, "", Told::AtStart);
    assert!(captured.explanation.starts_with("The output is empty"), "{}", captured.explanation);
    let printed = supervised(1, "hello\n");
    assert!(printed.explanation.starts_with("No known failure signature"), "{}", printed.explanation);
}

#[test]
fn an_unknown_failure_is_resumed_under_nemoclaw_and_retried_by_hand_otherwise() {
    use sandbox_triage_core::{plan, Action, Arch, Frontend, Host, Os, PlanInput};
    let diagnosis =
        triage(Some(Stage::SandboxCreate), Options { exit_status: Some(1), ..Options::default() }, "Error: something new\n", Told::AtStart);
    assert_eq!(diagnosis.kind, Kind::Unknown);
    assert!(diagnosis.explanation.ends_with("The last lines that look like errors are shown."), "{}", diagnosis.explanation);
    let planned = |frontend: Frontend| {
        plan(&PlanInput {
            diagnosis: &diagnosis,
            host: Host { os: Os::Linux, arch: Arch::X86_64, wsl: false },
            engine: None,
            openshell_version: None,
            frontend,
            invocation: None,
        })
    };
    let purposes = |frontend: Frontend| planned(frontend).steps.iter().map(|s| s.purpose.clone()).collect::<Vec<_>>();
    assert_eq!(
        purposes(Frontend::OpenShell),
        [
            "See whether a sandbox was created",
            "Read the evidence above, then run the create again; pass its full output to this tool if it fails again"
        ]
    );
    assert_eq!(
        purposes(Frontend::NemoClaw { cli: "nemohermes".to_owned() }),
        ["See whether a sandbox was created", "Read the evidence above, then resume onboarding", "Resume onboarding where it stopped"]
    );
    let resumed = planned(Frontend::NemoClaw { cli: "nemohermes".to_owned() });
    assert!(
        matches!(&resumed.steps[2].action, Action::Argv(words) if words.iter().map(sandbox_triage_core::Word::display).collect::<Vec<_>>() == ["nemohermes", "onboard", "--resume"])
    );
    assert!(resumed.headline.starts_with("No known failure signature"), "{}", resumed.headline);
}
