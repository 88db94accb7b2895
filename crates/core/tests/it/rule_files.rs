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

#[test]
fn ranges_must_make_sense() {
    let parts = "id = 'x'\nstage = 'sandbox-create'\nrole = 'failure'\nexplanation = 'e'\nkind = 'image_transfer_reset'\nwithin_lines = 0\n[[parts]]\nanchors = ['abc']\npattern = 'abc'\n[[parts]]\nanchors = ['def']\npattern = 'def'\n";
    let error = parse(parts).expect_err("within_lines = 0").to_string();
    assert!(error.starts_with("user/x.toml: field `within_lines`:"), "{error}");
    let range = "id = 'x'\nstage = 'provider-validation'\nrole = 'provider'\nexplanation = 'e'\nkind = 'transport'\nretry = 'retry'\nhttp_status_range = [599, 500]\n";
    let error = parse(range).expect_err("an inverted range").to_string();
    assert!(error.starts_with("user/x.toml: field `http_status_range`:") && error.contains("inverted"), "{error}");
}

#[test]
fn a_users_regexes_share_a_size_budget() {
    // Each of these compiles alone; together they are more than a user may add.
    let heavy = "[a-zA-Z0-9]{0,200}[^x]{0,200}";
    let files: Vec<(String, String)> = (0..400)
        .map(|i| {
            let text = format!("id = 'u{i}'\nstage = 'sandbox-create'\nrole = 'failure'\nexplanation = 'e'\nkind = 'image_transfer_reset'\nanchors = ['abc']\npattern = '{heavy}'\n");
            (format!("user/u{i}.toml"), text)
        })
        .collect();
    let error = Catalogue::from_sources(Vec::new(), files).expect_err("over the budget").to_string();
    assert!(error.contains("field `pattern`") && error.contains("MiB allowed in all"), "{error}");
}
