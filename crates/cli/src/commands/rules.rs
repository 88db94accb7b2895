//! `sandbox-triage rules`: the catalogue, and whether each rule passes its own cases.

use std::fmt::Write as _;

use crate::args::{RulesArgs, RulesFormat};
use crate::exit::Exit;
use crate::output;
use crate::settings::Settings;

/// One rule's line of the listing.
struct Row {
    id: String,
    stage: String,
    role: &'static str,
    kind: String,
    passing: usize,
    cases: usize,
}

pub(crate) fn run(args: &RulesArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let catalogue = &settings.catalogue;
    let rows: Vec<Row> = catalogue
        .rules()
        .iter()
        .filter(|r| args.stage.is_none_or(|s| r.stage == s))
        .map(|rule| Row {
            id: rule.id.clone(),
            stage: rule.stage.to_string(),
            role: rule.role_name(),
            kind: rule.kind().map_or("-", |k| k.as_str()).to_owned(),
            passing: rule.check_cases(catalogue).filter(|(_, passed)| *passed).count(),
            cases: rule.cases.len(),
        })
        .collect();
    let text = match args.format {
        RulesFormat::Json => {
            let rules: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({"id": r.id, "stage": r.stage, "role": r.role, "kind": r.kind, "cases": r.cases, "cases_passing": r.passing})
                })
                .collect();
            serde_json::json!({ "schema_version": sandbox_triage_core::SCHEMA_VERSION, "rules": rules }).to_string() + "\n"
        }
        RulesFormat::Human => table(&rows),
    };
    output::print(&text)?;
    let failed: Vec<&str> = rows.iter().filter(|r| r.passing != r.cases).map(|r| r.id.as_str()).collect();
    if failed.is_empty() {
        Ok(Exit::Determined)
    } else {
        anyhow::bail!("rules failing their own cases: {}", failed.join(", "))
    }
}

/// The rows with each column as wide as its widest value.
fn table(rows: &[Row]) -> String {
    let width = |f: fn(&Row) -> usize, header: &str| rows.iter().map(f).max().unwrap_or(0).max(header.len());
    let (id, stage, role, kind) = (
        width(|r| r.id.chars().count(), "RULE"),
        width(|r| r.stage.len(), "STAGE"),
        width(|r| r.role.len(), "ROLE"),
        width(|r| r.kind.len(), "KIND"),
    );
    let mut out = String::new();
    let _ = writeln!(out, "{:<id$}  {:<stage$}  {:<role$}  {:<kind$}  CASES", "RULE", "STAGE", "ROLE", "KIND");
    for r in rows {
        let _ = writeln!(out, "{:<id$}  {:<stage$}  {:<role$}  {:<kind$}  {}/{}", r.id, r.stage, r.role, r.kind, r.passing, r.cases);
    }
    out
}
