//! Checks on the catalogue itself: ids, files, cases, and that every kind has a rule.

use std::collections::BTreeSet;

use sandbox_triage_core::fires;
use sandbox_triage_core::Role;
use sandbox_triage_core::{Catalogue, Kind, Stage};

/// Whether `line` holds one of the anchors: exactly when the anchor has upper-case
/// letters, ignoring ASCII case otherwise.
fn holds_anchor(anchors: &[String], line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    anchors.iter().any(|a| if a.bytes().any(|b| b.is_ascii_uppercase()) { line.contains(a.as_str()) } else { lower.contains(a.as_str()) })
}

fn catalogue() -> Catalogue {
    Catalogue::builtin().expect("built-in rules load")
}

#[test]
fn ids_are_unique_and_name_their_files() {
    let catalogue = catalogue();
    let mut seen = BTreeSet::new();
    for rule in catalogue.rules() {
        assert!(seen.insert(rule.id.clone()), "duplicate id {}", rule.id);
        assert_eq!(rule.file, format!("{}/{}.toml", rule.stage, rule.id), "rule {} lives in the wrong file", rule.id);
        assert!(!rule.explanation.is_empty(), "rule {} has no explanation", rule.id);
    }
    assert!(seen.len() > 50, "only {} rules", seen.len());
}

#[test]
fn every_rule_has_a_firing_case_and_a_near_miss() {
    for rule in catalogue().rules() {
        assert!(rule.cases.iter().any(|c| c.fires), "rule {} has no case that must fire", rule.id);
        assert!(rule.cases.iter().any(|c| !c.fires), "rule {} has no near-miss case", rule.id);
    }
}

#[test]
fn every_rule_passes_its_own_cases() {
    let catalogue = catalogue();
    let mut failures = Vec::new();
    for rule in catalogue.rules() {
        for case in &rule.cases {
            if fires(&catalogue, rule, case) != case.fires {
                failures.push(format!("{}: expected fires={} for {:?}", rule.id, case.fires, case.text));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_kind_has_a_rule() {
    let catalogue = catalogue();
    let covered: BTreeSet<Kind> = catalogue.rules().iter().filter_map(sandbox_triage_core::Rule::kind).collect();
    for kind in Kind::all() {
        if matches!(kind, Kind::None | Kind::Unknown) {
            continue;
        }
        assert!(covered.contains(&kind), "no rule answers {kind}");
    }
    for stage in Stage::all() {
        assert!(catalogue.for_stage(stage).count() > 0, "stage {stage} has no rules");
    }
}

/// Built-in regexes compile when first used: each must compile, whether or not a case
/// reaches it.
#[test]
fn every_built_in_regex_compiles() {
    let mut compiled = 0;
    for rule in catalogue().rules() {
        let others = match &rule.role {
            Role::FailedCommand(r) => r.command.as_ref(),
            Role::Provider(r) => r.message.as_ref(),
            _ => None,
        };
        for pattern in rule.line_patterns().iter().chain(others) {
            let _ = pattern.regex();
            compiled += 1;
        }
    }
    assert!(compiled > 100, "{compiled}");
}

#[test]
fn anchors_are_lowercase_literals_that_the_firing_cases_contain() {
    for rule in catalogue().rules() {
        for pattern in rule.line_patterns() {
            for anchor in &pattern.anchors {
                assert!(anchor.len() >= 3, "rule {}", rule.id);
            }
        }
        if !rule.line_patterns().is_empty() {
            for case in rule.cases.iter().filter(|c| c.fires) {
                let has_anchor = case.text.lines().any(|line| rule.line_patterns().iter().any(|p| holds_anchor(&p.anchors, line)));
                assert!(has_anchor, "rule {}: a firing case holds none of its anchors", rule.id);
            }
        }
        if let Role::Provider(provider) = &rule.role {
            assert!(provider.kind.stages() == [Stage::ProviderValidation], "provider rule {} has no provider kind", rule.id);
        }
    }
}

#[test]
fn the_checked_in_json_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/plan.schema.json");
    let checked_in = std::fs::read_to_string(&path).expect("schemas/plan.schema.json");
    assert!(
        checked_in == sandbox_triage_core::plan_json_schema(),
        "schemas/plan.schema.json is out of date: run `cargo run -- schema > schemas/plan.schema.json`"
    );
}
