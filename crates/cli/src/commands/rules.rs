//! `sandbox-triage rules`: the catalogue, whether each rule passes its own cases, and
//! (for programs) where each rule comes from.

use sandbox_triage_core::{Look, Style};

use crate::args::{RulesArgs, RulesFormat};
use crate::exit::Exit;
use crate::output;
use crate::settings::Settings;
use crate::table::table;

/// One rule's line of the listing.
struct Row {
    id: String,
    stage: String,
    role: &'static str,
    kind: String,
    passing: usize,
    cases: usize,
    /// Where the failure was met, masked as everything printed is.
    source: Option<String>,
    added: Option<String>,
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
            kind: rule.user_kind().map_or_else(|| rule.kind().map_or("-", |k| k.as_str()).to_owned(), |own| own.id.clone()),
            passing: rule.check_cases(catalogue).filter(|(_, passed)| *passed).count(),
            cases: rule.cases.len(),
            source: rule.provenance.source.as_deref().map(|s| sandbox_triage_core::redact(s).into_owned()),
            added: rule.provenance.added.map(|v| v.to_string()),
        })
        .collect();
    let text = match args.format {
        RulesFormat::Json => {
            let rules: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "stage": r.stage, "role": r.role, "kind": r.kind, "cases": r.cases, "cases_passing": r.passing,
                        "source": r.source, "added": r.added,
                    })
                })
                .collect();
            serde_json::json!({ "schema_version": sandbox_triage_core::SCHEMA_VERSION, "rules": rules }).to_string() + "\n"
        }
        RulesFormat::Human => human(&rows, settings.style),
    };
    output::print(&text)?;
    let failed: Vec<&str> = rows.iter().filter(|r| r.passing != r.cases).map(|r| r.id.as_str()).collect();
    if failed.is_empty() {
        Ok(Exit::Determined)
    } else {
        anyhow::bail!("rules failing their own cases: {}", failed.join(", "))
    }
}

/// The table, then a line that counts the rules and says whether their cases pass.
fn human(rows: &[Row], style: Style) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| vec![r.id.clone(), r.stage.clone(), r.role.to_owned(), r.kind.clone(), format!("{}/{}", r.passing, r.cases)])
        .collect();
    let cases_look = |column: usize, text: &str| {
        let (passing, cases) = text.split_once('/')?;
        (column == 4).then_some(if passing == cases { Look::Success } else { Look::Failure })
    };
    let out = table(&["RULE", "STAGE", "ROLE", "KIND", "CASES"], &cells, style, cases_look);
    let cases: usize = rows.iter().map(|r| r.cases).sum();
    let failing = rows.iter().filter(|r| r.passing != r.cases).count();
    let rules = if rows.len() == 1 { "1 rule".to_owned() } else { format!("{} rules", rows.len()) };
    let summary = if failing == 0 {
        style.paint(Look::Success, &format!("{rules}, all {cases} cases pass"))
    } else {
        style.paint(Look::Failure, &format!("{rules}, {failing} failing their own cases"))
    };
    out + "\n" + &summary + "\n"
}
