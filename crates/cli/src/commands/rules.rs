//! `sandbox-triage rules`: the catalogue, and whether each rule passes its own cases.

use std::fmt::Write as _;

use crate::args::RulesArgs;
use crate::exit::Exit;
use crate::output;
use crate::settings::Settings;

pub(crate) fn run(args: &RulesArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let catalogue = &settings.catalogue;
    let mut out = String::new();
    let mut failed = Vec::new();
    for rule in catalogue.rules().iter().filter(|r| args.stage.is_none_or(|s| r.stage == s)) {
        let passing = rule.check_cases(catalogue).filter(|(_, passed)| *passed).count();
        if passing != rule.cases.len() {
            failed.push(rule.id.clone());
        }
        let kind = rule.kind().map_or("-", |k| k.as_str());
        let _ = writeln!(out, "{:<42} {:<20} {:<32} {}/{} cases", rule.id, rule.stage, kind, passing, rule.cases.len());
    }
    output::print(&out)?;
    if failed.is_empty() {
        Ok(Exit::Determined)
    } else {
        anyhow::bail!("rules failing their own cases: {}", failed.join(", "))
    }
}
