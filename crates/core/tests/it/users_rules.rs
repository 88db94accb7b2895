//! Answers a user's rules decide: a kind of one's own keeps its own id, title and
//! evidence beside another of the user's kinds, and whatever a user's rule decides is
//! planned as steps for a person, never as a sequence the tool may carry out.

use sandbox_triage_core::{classify, plan, Arch, Catalogue, Diagnosis, Frontend, Host, Kind, Options, Os, PlanInput, Stage, StageRules};

fn own(id: &str, kind: &str, priority: i32, phrase: &str) -> (String, String) {
    let text = format!(
        "id = '{id}'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = '{kind}'\ntitle = 'Title of {kind}'\nfix = 'Fix of {kind}.'\npriority = {priority}\nanchors = ['{phrase}']\npattern = '{phrase}'\nexplanation = 'Explained.'\n"
    );
    (format!("{id}.toml"), text)
}

fn diagnose(catalogue: &Catalogue, log: &str) -> Diagnosis {
    classify(&StageRules::new(catalogue, Stage::SandboxCreate), Options { exit_status: Some(1), ..Options::default() }, log.as_bytes())
}

fn planned(diagnosis: &Diagnosis) -> sandbox_triage_core::Plan {
    plan(&PlanInput {
        diagnosis,
        host: Host { os: Os::Linux, arch: Arch::X86_64, wsl: false },
        engine: None,
        openshell_version: None,
        frontend: Frontend::OpenShell,
        invocation: None,
    })
}

const BOTH: &str = "  Built image openshell/sandbox-from:1786000000\nError: site disk broken\nError: quota service refused sandbox demo\n";

#[test]
fn two_kinds_of_ones_own_keep_their_ids_titles_and_evidence_apart() {
    let catalogue = Catalogue::with_user_files(vec![
        own("mine.disk", "site_disk", 60, "site disk broken"),
        own("mine.quota", "quota_refused", 50, "quota service refused"),
    ])
    .expect("loads");
    let d = diagnose(&catalogue, BOTH);
    assert_eq!((d.kind, d.kind_id(), d.rule.as_deref()), (Kind::UserKind, "site_disk", Some("mine.disk")));
    assert_eq!(d.user_kind.as_ref().map(|k| (k.title.as_str(), k.fix.as_str())), Some(("Title of site_disk", "Fix of site_disk.")));
    let lines: Vec<u64> = d.evidence.iter().map(|e| e.line).collect();
    assert_eq!(lines, [1, 2], "the other kind's line is not this one's evidence: {:?}", d.evidence);
    assert!(d.by_users_rule);
}

#[test]
fn an_answer_a_users_rule_decides_is_never_a_sequence_the_tool_carries_out() {
    let example = include_str!("../../../../examples/upload-404-podman.log");
    let built_in = diagnose(&Catalogue::builtin().expect("loads"), example);
    assert_eq!((built_in.kind, built_in.by_users_rule), (Kind::ImageUploadContainerMissing, false));
    let built_in_plan = planned(&built_in);
    assert!(built_in_plan.mechanical && built_in_plan.by_users_rule.is_none());

    // The same answer, decided by a user's rule that replaces the built-in one.
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/sandbox-create/upload.tar-failed-container-missing.toml"),
    )
    .expect("the built-in file");
    let users = Catalogue::with_user_files(vec![("mine.toml".to_owned(), text)]).expect("loads");
    let d = diagnose(&users, example);
    assert_eq!(
        (d.kind, d.rule.as_deref(), d.by_users_rule),
        (Kind::ImageUploadContainerMissing, Some("upload.tar-failed-container-missing"), true)
    );
    let p = planned(&d);
    assert_eq!(p.steps, built_in_plan.steps, "the same steps, for a person");
    assert!(!p.mechanical);
    assert_eq!(p.by_users_rule.as_deref(), Some("upload.tar-failed-container-missing"));
    assert!(
        p.notes.iter().any(|n| n
            .starts_with("your own rules (`--rules`) took part in this answer (rule `upload.tar-failed-container-missing` decided it)")),
        "{:?}",
        p.notes
    );
}

fn corpus_payload(prefix: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let mut names: Vec<_> = std::fs::read_dir(&dir).expect("the corpus").flatten().map(|e| e.path()).collect();
    names.sort();
    let path = names.into_iter().find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix))).expect("a corpus log");
    let text = std::fs::read_to_string(path).expect("readable");
    text.split_once("# ---\n").expect("a header").1.to_owned()
}

fn user_file(text: &str) -> (String, String) {
    ("mine/x.toml".to_owned(), text.to_owned())
}

/// A user's rule that does not decide, but names a fact (the sandbox a delete would
/// take), the engine, or removes a built-in rule, shapes the answer all the same: it is
/// never a sequence the tool carries out.
#[test]
fn a_users_rule_that_only_shapes_the_answer_makes_it_a_plan_for_a_person() {
    let log = corpus_payload("sandbox_already_exists__") + "profile: prod-db\n";
    let built_in = diagnose(&Catalogue::builtin().expect("loads"), &log);
    assert_eq!(built_in.kind, Kind::SandboxAlreadyExists);
    assert!(planned(&built_in).mechanical && !built_in.by_users_rule);
    let shaping = [
        "id = 'mine.profile'\nstage = 'sandbox-create'\nrole = 'marker'\nanchors = ['profile']\npattern = 'profile: (?P<sandbox>[a-z-]+)'\nexplanation = 'e'\n",
        "id = 'mine.engine'\nstage = 'sandbox-create'\nrole = 'supporting'\nkind = 'sandbox_already_exists'\nengine = 'podman'\nanchors = ['profile']\npattern = 'profile: '\nexplanation = 'e'\n",
        "id = 'transfer.connection-reset'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = 'image_transfer_reset'\ndisabled = true\nanchors = ['reset by peer']\npattern = 'reset by peer'\nexplanation = 'e'\n",
    ];
    for text in shaping {
        let d = diagnose(&Catalogue::with_user_files(vec![user_file(text)]).expect("loads"), &log);
        assert_eq!((d.kind, d.by_users_rule), (Kind::SandboxAlreadyExists, true), "{text}");
        assert!(d.rule.as_deref().is_some_and(|r| !r.starts_with("mine.")), "a built-in rule decides: {:?}", d.rule);
        let p = planned(&d);
        assert!(!p.mechanical && p.by_users_rule == d.rule, "{text}");
        assert!(sandbox_triage_core::diagnosis_json(&d).contains("\"by_users_rules\":true"));
    }
    assert!(!sandbox_triage_core::diagnosis_json(&built_in).contains("by_users_rules"));
}

/// The sandbox container's log is read (a command) only for an answer the built-in rules
/// alone gave.
#[test]
fn the_container_log_is_never_read_for_an_answer_a_users_rule_took_part_in() {
    let log = corpus_payload("provisioning_timeout__lab-provisioning-timeout");
    let mut d = diagnose(&Catalogue::builtin().expect("loads"), &log);
    assert!(sandbox_triage_core::container_log_wanted(&d).is_some(), "{d:?}");
    d.by_users_rule = true;
    assert_eq!(sandbox_triage_core::container_log_wanted(&d), None);
}
