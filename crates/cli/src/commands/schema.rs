//! `sandbox-triage schema`: the JSON Schema of `plan --format json`.

use sandbox_triage_core::plan_json_schema;

use crate::exit::Exit;
use crate::output;

pub(crate) fn run() -> anyhow::Result<Exit> {
    output::print(&plan_json_schema())?;
    Ok(Exit::Determined)
}
