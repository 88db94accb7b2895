//! `rules test`'s examination: a catalogue's failing cases, shadowed rules and the
//! corpus answers a user's rules change.

use sandbox_triage_core::{examine, Catalogue, CorpusLog};
use sandbox_triage_testkit::CorpusCase;

use crate::corpus::workspace;

fn corpus() -> Vec<CorpusLog> {
    CorpusCase::load_dir(&workspace().join("tests/corpus")).expect("readable corpus").into_iter().map(|c| c.log).collect()
}

#[test]
fn the_built_in_catalogue_has_no_failing_case_and_no_shadowed_rule() {
    let builtin = Catalogue::builtin().expect("built-in rules load");
    let corpus = corpus();
    let examination = examine(&builtin, &builtin, &corpus);
    assert!(examination.failing.is_empty(), "{:#?}", examination.failing);
    assert!(examination.shadowed.is_empty(), "{:#?}", examination.shadowed);
    assert!(examination.changed.is_empty(), "{:#?}", examination.changed);
    assert_eq!((examination.rules, examination.logs), (builtin.rules().len(), corpus.len()));
    assert!(examination.cases > 400, "{}", examination.cases);
}

fn with_rule(text: &str) -> Catalogue {
    Catalogue::with_user_files(vec![("mine/rule.toml".to_owned(), text.to_owned())]).expect("the rule loads")
}

/// A rule that takes other kinds' logs: each changed answer names the log, the answer
/// before and after, and the line that now decides.
#[test]
fn a_rule_that_steals_other_kinds_corpus_logs_is_reported_with_the_deciding_line() {
    let builtin = Catalogue::builtin().expect("built-in rules load");
    let greedy = with_rule(
        "id = 'mine.any-error'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = 'sandbox_create_incomplete'\npriority = 500\nanchors = ['error']\npattern = '(?i)error'\nexplanation = 'Anything that says error.'\n\n[[cases]]\nfires = true\ntext = 'Error: boom'\n\n[[cases]]\nfires = false\ntext = 'all good'\n",
    );
    let corpus = corpus();
    let examination = examine(&builtin, &greedy, &corpus);
    // Its own cases pass; the cases it breaks are other rules' (a failed step's kind, now
    // its own answer).
    assert!(examination.failing.iter().all(|f| f.rule != "mine.any-error"), "{examination:#?}");
    // The built-in rules it outranks on their own cases are shadowed, by it.
    assert!(!examination.shadowed.is_empty(), "{examination:#?}");
    assert!(examination.shadowed.iter().all(|s| s.by == ["mine.any-error"] && s.rule != "mine.any-error"), "{examination:#?}");
    assert!(examination.changed.len() > 20, "{}", examination.changed.len());
    for changed in &examination.changed {
        assert_eq!(changed.after.rule.as_deref(), Some("mine.any-error"), "{changed:?}");
        assert_ne!(changed.before.rule, changed.after.rule, "{changed:?}");
        let (_, line) = changed.after.line.as_ref().expect("a deciding line");
        assert!(line.to_lowercase().contains("error"), "{changed:?}");
    }
    // Only logs it took changed.
    assert!(examination.changed.iter().all(|c| corpus.iter().any(|l| l.name == c.log)));
}

/// A rule whose every case a higher-priority rule takes, in a phase both count in, can
/// never decide: it is shadowed, by that rule. With a case of its own, it is not.
#[test]
fn a_rule_beaten_on_every_case_is_shadowed_by_the_rule_that_wins() {
    let builtin = Catalogue::builtin().expect("built-in rules load");
    let rule = |extra_case: &str| {
        format!(
            "id = 'mine.reset'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = 'image_transfer_reset'\npriority = 5\nphases = ['upload']\nanchors = ['reset']\npattern = '(?i)reset'\nexplanation = 'A reset.'\n\n[[cases]]\nfires = true\ntext = 'Connection reset by peer'\n{extra_case}"
        )
    };
    let examination = examine(&builtin, &with_rule(&rule("")), &[]);
    assert_eq!(examination.shadowed.len(), 1, "{examination:#?}");
    assert_eq!(examination.shadowed[0].rule, "mine.reset");
    assert_eq!(examination.shadowed[0].file, "mine/rule.toml");
    assert_eq!(examination.shadowed[0].by, vec!["transfer.connection-reset".to_owned()]);
    assert!(!examination.sound());
    let own = rule("\n[[cases]]\nfires = true\ntext = 'stream reset by the registry'\n");
    assert!(examine(&builtin, &with_rule(&own), &[]).shadowed.is_empty());
    // A rival that counts in fewer phases, or only in other releases, leaves it cases.
    let everywhere = "id = 'mine.tar'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = 'image_upload_failed'\npriority = 1\nanchors = ['upload image tar']\npattern = '(?i)failed to upload image tar'\nexplanation = 'Tar.'\n\n[[cases]]\nfires = true\ntext = 'Error: failed to upload image tar into container'\n";
    assert!(examine(&builtin, &with_rule(everywhere), &[]).shadowed.is_empty(), "no phases: the rivals' cover fewer");
    let later = everywhere.replace("priority = 1\n", "priority = 1\nphases = ['upload']\nmin_openshell = '0.0.37'\n");
    let shadowed = examine(&builtin, &with_rule(&later), &[]).shadowed;
    assert!(shadowed.iter().all(|s| s.rule != "mine.tar"), "releases the rivals do not apply to: {shadowed:?}");
}

/// A rule whose own case fails is reported with the case's place, what it states and
/// its text (masked).
#[test]
fn a_failing_case_is_reported_with_its_place_and_text() {
    let builtin = Catalogue::builtin().expect("built-in rules load");
    let broken = with_rule(
        "id = 'mine.proxy'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = 'tls_cert_mismatch'\nanchors = ['zscaler']\npattern = '(?i)blocked by zscaler'\nexplanation = 'The proxy.'\n\n[[cases]]\nfires = true\ntext = 'Blocked by Zscaler'\n\n[[cases]]\nfires = true\ntext = 'denied by the proxy, token ghp_abcdefghijklmnopqrstuvwxyz0123456789'\n\n[[cases]]\nfires = false\ntext = 'zscaler blocked it'\n",
    );
    let examination = examine(&builtin, &broken, &[]);
    assert_eq!(examination.failing.len(), 1, "{examination:#?}");
    let failing = &examination.failing[0];
    assert_eq!((failing.rule.as_str(), failing.case, failing.fires), ("mine.proxy", 2, true));
    assert!(failing.text.starts_with("denied by the proxy") && !failing.text.contains("ghp_abcdefghij"), "{}", failing.text);
    assert!(!examination.sound());
}
