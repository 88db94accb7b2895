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
    assert!(p.notes.iter().any(|n| n.starts_with("decided by your own rule `upload.tar-failed-container-missing`")), "{:?}", p.notes);
}
