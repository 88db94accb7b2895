//! Rule files: each role takes its own fields and no others; a field the role would
//! ignore, and a bad value, are errors naming the file and the field.

use sandbox_triage_core::{Catalogue, CatalogueError};

fn parse_named(name: &str, text: &str) -> Result<Catalogue, CatalogueError> {
    Catalogue::from_sources(Vec::new(), vec![(name.to_owned(), text.to_owned())])
}

fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
    parse_named("user/x.toml", text)
}

/// A valid rule of each role, in the shape its file takes.
const ROLES: &[(&str, &str)] = &[
    ("failure", "kind = 'image_transfer_reset'\nanchors = ['reset']\npattern = 'reset'\n"),
    ("supporting", "kind = 'platform_mismatch'\nanchors = ['platform']\npattern = 'platform'\n"),
    ("marker", "anchors = ['built image']\npattern = 'Built image'\nsets_phase = 'export'\n"),
    ("step-evidence", "anchors = ['enotfound']\npattern = 'ENOTFOUND'\ntag = 'network'\n"),
    ("build-summary", "anchors = ['failed to solve']\npattern = 'failed to solve'\n"),
    ("failed-command", "kind = 'build_step_failed'\n"),
    ("exit-status", "kind = 'image_export_oom_killed'\nexit_status = [137]\n"),
    ("provider", "kind = 'transport'\nretry = 'retry'\ncurl_nonzero = true\n"),
];

fn file(role: &str, body: &str, extra: &str) -> String {
    let stage = if role == "provider" { "provider-validation" } else { "sandbox-create" };
    format!("id = 'x'\nstage = '{stage}'\nrole = '{role}'\nexplanation = 'e'\n{body}{extra}")
}

#[test]
fn every_role_loads_with_its_own_fields() {
    for (role, body) in ROLES {
        let catalogue = parse(&file(role, body, "")).unwrap_or_else(|e| panic!("{role}: {e}"));
        assert_eq!(catalogue.get("x").map(sandbox_triage_core::Rule::role_name), Some(*role));
    }
}

#[test]
fn a_field_the_role_does_not_use_is_an_error_naming_file_and_field() {
    // Each role, with a field that belongs to another role.
    let foreign = [
        ("failure", "tag = 'network'\n", "tag"),
        ("supporting", "sets_phase = 'build'\n", "sets_phase"),
        ("marker", "kind = 'image_transfer_reset'\n", "kind"),
        ("step-evidence", "continue_until = 'x'\n", "continue_until"),
        ("build-summary", "phases = ['build']\n", "phases"),
        ("failed-command", "anchors = ['abc']\n", "anchors"),
        ("exit-status", "pattern = 'x'\n", "pattern"),
        ("provider", "within_lines = 2\n", "within_lines"),
    ];
    for (role, extra, field) in foreign {
        let body = ROLES.iter().find(|(r, _)| *r == role).map(|(_, b)| *b).unwrap_or_default();
        let error = parse(&file(role, body, extra)).expect_err(role).to_string();
        assert!(error.starts_with(&format!("user/x.toml: field `{field}`:")), "{role}: {error}");
        assert!(error.contains("does not use"), "{role}: {error}");
    }
}

#[test]
fn values_are_checked_and_named() {
    let error = parse_named("r.toml", &file("marker", ROLES[2].1, "engine = 'lxc'\n")).expect_err("engine").to_string();
    assert!(error.starts_with("r.toml: field `engine`: unknown engine 'lxc'"), "{error}");
    let error = parse_named("r.toml", "id = 'x'\nstage = 'sandbox-create'\nexplanation = 'e'\n").expect_err("role").to_string();
    assert!(error.contains("field `role`"), "{error}");
    let error = parse_named("r.toml", &file("failure", "kind = 'image_transfer_reset'\n", "")).expect_err("pattern").to_string();
    assert!(error.contains("field `pattern`"), "{error}");
    let error = parse_named("r.toml", &file("marker", "anchors = ['abc']\npattern = 'abc'\n", "phases = ['later']\n")).expect_err("phases");
    assert!(error.to_string().contains("field `phases[0]`"), "{error}");
}
