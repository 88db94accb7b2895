//! `rules new`'s drafting: from a log the catalogue leaves `unknown` to a rule that
//! decides it, changes no other corpus answer and passes its own cases; and the drafts it
//! refuses, with why.

use sandbox_triage_core::{cases_hold, changed_answers, draft_rule, Catalogue, CorpusLog, DraftError, DraftRequest, Kind, RuleKind, Stage};
use sandbox_triage_testkit::CorpusCase;

use crate::corpus::workspace;

fn corpus() -> Vec<CorpusLog> {
    CorpusCase::load_dir(&workspace().join("tests/corpus")).expect("readable corpus").into_iter().map(|c| c.log).collect()
}

fn request(kind: Kind, lines: &[u64]) -> DraftRequest {
    DraftRequest {
        stage: Stage::SandboxCreate,
        kind: RuleKind::Catalogue(kind),
        id: None,
        lines: lines.to_vec(),
        source: Some("https://github.com/NVIDIA/OpenShell/issues/1".to_owned()),
    }
}

/// Logs the built-in rules leave `unknown`, each drafted into a rule: it decides its log
/// with the kind given, changes no other corpus log's answer, and its cases hold.
#[test]
fn unknown_logs_become_rules_that_decide_them_and_nothing_else() {
    let builtin = Catalogue::builtin().expect("built-in rules load");
    let corpus = corpus();
    // Two of them: each draft classifies the whole corpus twice, which a debug build
    // takes seconds for (the command line's tests draft real logs end to end).
    let names = ["unknown__npm-install-enoent", "unknown__policy-application"];
    for name in names {
        let log = corpus.iter().find(|l| l.name == name).expect("in the corpus");
        let others: Vec<CorpusLog> = corpus.iter().filter(|l| l.name != name).cloned().collect();
        let draft = draft_rule(&builtin, &others, &log.payload, &request(Kind::SandboxCreateIncomplete, &[]))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(draft.answer.kind, Kind::SandboxCreateIncomplete, "{name}");
        assert_eq!(draft.answer.rule.as_deref(), Some(draft.id.as_str()), "{name}");
        assert!(cases_hold(&draft), "{name}:\n{}", draft.toml);
        assert!(draft.toml.contains("[[cases]]\nfires = false"), "{name}: a near-miss:\n{}", draft.toml);
        let with = Catalogue::with_user_files(vec![(format!("{}.toml", draft.id), draft.toml.clone())]).expect("the draft loads");
        let changed = changed_answers(&builtin, &with, &others);
        assert!(changed.is_empty(), "{name}: {changed:#?}");
        assert!(draft.toml.contains("source = \"https://github.com/NVIDIA/OpenShell/issues/1\""), "{}", draft.toml);
    }
}

/// What varies between runs is generalised, and a secret never reaches the rule file.
#[test]
fn a_draft_generalises_what_varies_and_holds_no_secret() {
    let builtin = Catalogue::builtin().expect("built-in rules load");
    let log = b"Creating sandbox demo-7\nError: quota service refused sandbox demo-7 for ghp_abcdefghijklmnopqrstuvwxyz0123456789 after 12.5s (limit 4)\n";
    let draft = draft_rule(&builtin, &corpus(), log, &request(Kind::SandboxCreateIncomplete, &[2])).expect("drafted");
    assert!(!draft.toml.contains("ghp_abcdefghij"), "{}", draft.toml);
    assert!(draft.toml.contains(r"quota\s+service\s+refused\s+sandbox\s+\S+\s+for\s+\S+\s+after\s+\d+\.\d+s\s+\(limit"), "{}", draft.toml);
    // The rarest of its words, never one every create prints.
    assert!(draft.toml.contains("anchors = [\"quota\"]"), "{}", draft.toml);
    assert!(cases_hold(&draft), "{}", draft.toml);
    // The next run's line, other names and numbers, is decided too.
    let with = Catalogue::with_user_files(vec![("d.toml".to_owned(), draft.toml.clone())]).expect("loads");
    let next = b"Error: quota service refused sandbox other-2 for nobody after 3.0s (limit 9)\n";
    let set = sandbox_triage_core::StageSet::new(&with);
    let mut triage =
        sandbox_triage_core::Triage::new(&set, Some(Stage::SandboxCreate), sandbox_triage_core::Options::default(), None, None);
    triage.feed(next);
    assert_eq!(triage.finish().rule.as_deref(), Some(draft.id.as_str()));
}

/// A line rewritten by a progress display, coloured, or wrapped in the Engine's JSON
/// stream is drafted from what the classifier sees of it.
#[test]
fn a_draft_is_made_from_the_text_the_classifier_sees() {
    let builtin = Catalogue::builtin().expect("built-in rules load");
    // No corpus: what is checked here comes before the corpus is consulted.
    let corpus: Vec<CorpusLog> = Vec::new();
    for log in [
        &b"Pulling 10%\rPulling 50%\rError: quota service refused sandbox demo after 3s\n"[..],
        b"\x1b[31mError: quota service refused sandbox demo after 3s\x1b[0m\n",
        b"{\"stream\":\"Error: quota service refused sandbox demo after 3s\\n\"}\n",
    ] {
        let draft = draft_rule(&builtin, &corpus, log, &request(Kind::SandboxCreateIncomplete, &[1]))
            .unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(log)));
        assert_eq!(draft.lines[0].1, "Error: quota service refused sandbox demo after 3s", "{}", draft.toml);
        assert!(cases_hold(&draft), "{}", draft.toml);
    }
}

#[test]
fn drafts_that_would_mislead_are_refused_with_why() {
    let builtin = Catalogue::builtin().expect("built-in rules load");
    // Only the draft that would take other logs needs the corpus: the others are refused
    // before it is consulted.
    let corpus = corpus();
    let none_of_it: Vec<CorpusLog> = Vec::new();
    // Nothing stands out, and no line is named.
    let none = draft_rule(&builtin, &none_of_it, b"all good\nstill fine\n", &request(Kind::SandboxCreateIncomplete, &[]));
    assert!(matches!(none, Err(DraftError::NoLines)), "{none:?}");
    // A line past the end.
    let past = draft_rule(&builtin, &none_of_it, b"one line\n", &request(Kind::SandboxCreateIncomplete, &[5]));
    assert!(matches!(past, Err(DraftError::NoSuchLine { line: 5, lines: 1 })), "{past:?}");
    // Words of fewer than three ASCII letters make no anchor.
    let short = draft_rule(&builtin, &none_of_it, "E: no go\nE: 无法 连接\n".as_bytes(), &request(Kind::SandboxCreateIncomplete, &[1, 2]));
    assert!(matches!(short, Err(DraftError::NothingStable(1))), "{short:?}");
    // A line of numbers and paths only.
    let vague = draft_rule(&builtin, &none_of_it, b"12 /a/b 3.5\n", &request(Kind::SandboxCreateIncomplete, &[1]));
    assert!(matches!(vague, Err(DraftError::NothingStable(1))), "{vague:?}");
    // A warning: the classifier never takes it as a failure on its own.
    let warning = b"WARN openshell_supervisor_process::netns: Failed to delete network namespace\n";
    let warned = draft_rule(&builtin, &none_of_it, warning, &request(Kind::SandboxCreateIncomplete, &[1]));
    assert!(matches!(warned, Err(DraftError::NotAFailure(1))), "{warned:?}");
    // A builder's generic summary: it would take other kinds' logs.
    let generic = b"The command '/bin/sh -c make' returned a non-zero code: 1\n";
    let steals = draft_rule(&builtin, &corpus, generic, &request(Kind::SandboxCreateIncomplete, &[1]));
    assert!(matches!(&steals, Err(DraftError::Steals { count, .. }) if *count > 0), "{steals:?}");
    // A line a higher-priority built-in rule decides.
    let beaten = draft_rule(
        &builtin,
        &none_of_it,
        b"Error: Connection reset by peer (os error 104)\n",
        &request(Kind::SandboxCreateIncomplete, &[1]),
    );
    assert!(matches!(&beaten, Err(DraftError::NotDecided { rule, .. }) if rule == "transfer.connection-reset"), "{beaten:?}");
}

/// A kind of the user's own: the draft names it with its title and fix, the log is
/// answered under its id, and the plan is the fix alone, with no command.
#[test]
fn a_kind_of_ones_own_is_drafted_with_its_title_and_fix_and_planned_as_that_fix() {
    let builtin = Catalogue::builtin().expect("built-in rules load");
    let log = corpus().into_iter().find(|l| l.name == "unknown__policy-application").expect("in the corpus");
    let own = sandbox_triage_core::UserKind::new(
        "policy_refused",
        "The gateway refused the sandbox's policy",
        "Fix the policy file, then create again.",
    )
    .expect("a valid kind");
    let request = DraftRequest { kind: RuleKind::Own(own), ..request(Kind::Unknown, &[]) };
    // No corpus: the steal check is the command line's tests' (they draft real logs end to end).
    let draft = draft_rule(&builtin, &[], &log.payload, &request).expect("drafted");
    assert!(draft.toml.contains("kind = \"policy_refused\"\ntitle = \"The gateway refused the sandbox's policy\"\nfix = \"Fix the policy file, then create again.\"\n"), "{}", draft.toml);
    assert_eq!((draft.answer.kind, draft.answer.kind_id()), (Kind::UserKind, "policy_refused"));
    let plan = sandbox_triage_core::plan(&input(&draft.answer));
    assert_eq!(plan.headline, "The gateway refused the sandbox's policy.");
    assert!(!plan.mechanical);
    let steps: Vec<(&str, bool)> =
        plan.steps.iter().map(|s| (s.purpose.as_str(), s.action == sandbox_triage_core::Action::Nothing)).collect();
    assert_eq!(steps, [("Fix the policy file, then create again.", true)]);
    assert!(plan.alternatives.is_empty() && plan.placeholders.list().is_empty());
    // Its shell script runs nothing, even were its plan to hold commands.
    let upload = classify_example("upload-404-podman.log");
    let mut forged = plan.clone();
    forged.steps = sandbox_triage_core::plan(&sandbox_triage_core::PlanInput { diagnosis: &upload, ..input(&draft.answer) }).steps;
    forged.mechanical = true;
    assert!(forged.steps.iter().any(|s| s.action != sandbox_triage_core::Action::Nothing));
    let script = sandbox_triage_core::plan_script(&draft.answer, &forged);
    let body = script.split("\nfirst_words() {").nth(1).expect("the prelude's last function");
    let run: Vec<&str> = body.lines().skip(3).filter(|l| !l.starts_with('#') && !l.trim().is_empty()).collect();
    assert_eq!(
        run,
        [
            "stop 5 'this is a kind of your own rules: its fix is yours to carry out, and this script runs nothing for it'",
            "trap - INT TERM HUP",
            "rm -f \"$errs\""
        ],
        "{script}"
    );
}

fn input(diagnosis: &sandbox_triage_core::Diagnosis) -> sandbox_triage_core::PlanInput<'_> {
    sandbox_triage_core::PlanInput {
        diagnosis,
        host: sandbox_triage_core::Host { os: sandbox_triage_core::Os::Linux, arch: sandbox_triage_core::Arch::X86_64, wsl: false },
        engine: None,
        openshell_version: None,
        frontend: sandbox_triage_core::Frontend::NemoClaw { cli: "nemoclaw".to_owned() },
        invocation: None,
    }
}

fn classify_example(name: &str) -> sandbox_triage_core::Diagnosis {
    let log = std::fs::read(workspace().join("examples").join(name)).expect("the example");
    let rules = sandbox_triage_core::StageRules::new(&Catalogue::builtin().expect("built-in rules load"), Stage::SandboxCreate);
    sandbox_triage_core::classify(&rules, sandbox_triage_core::Options { exit_status: Some(1), ..Default::default() }, &log[..])
}
