//! `sandbox-triage rules`: the catalogue, and whether each rule passes its own cases.

use std::fmt::Write as _;

use sandbox_triage::rule_case::fires;

use crate::args::RulesArgs;
use crate::classify_cmd::load_catalogue;
use crate::exit::Exit;
use crate::output;

pub fn run(args: &RulesArgs) -> anyhow::Result<Exit> {
    let catalogue = load_catalogue(args.rules.as_deref())?;
    let mut out = String::new();
    let mut failed = Vec::new();
    for rule in catalogue.rules().iter().filter(|r| args.stage.is_none_or(|s| r.stage == s)) {
        let passing = rule.cases.iter().filter(|case| fires(&catalogue, rule, case) == case.fires).count();
        if passing != rule.cases.len() {
            failed.push(rule.id.clone());
        }
        let kind = rule.kind.map_or("-", |k| k.as_str());
        let _ = writeln!(out, "{:<42} {:<20} {:<32} {}/{} cases", rule.id, rule.stage, kind, passing, rule.cases.len());
    }
    output::print(&out)?;
    if failed.is_empty() {
        Ok(Exit::Determined)
    } else {
        anyhow::bail!("rules failing their own cases: {}", failed.join(", "))
    }
}
