//! What the attack tests share: classifying a create's output, its plan, and every
//! output a diagnosis and its plan can be rendered to.

use sandbox_triage_core::{
    classify, plan, plan_human, plan_json, plan_script, Arch, Catalogue, CreateInvocation, Diagnosis, Frontend, Host, Options, Os, Plan,
    PlanInput, Stage, StageRules, Style,
};

pub(crate) fn create(text: &str, exit_status: Option<i32>) -> Diagnosis {
    let rules = StageRules::new(&Catalogue::builtin().expect("built-in rules load"), Stage::SandboxCreate);
    classify(&rules, Options { exit_status, ..Options::default() }, text.as_bytes())
}

/// The plan on a Linux host, with the create's argv when given.
pub(crate) fn plan_for(diagnosis: &Diagnosis, argv: Option<&[&str]>) -> Plan {
    let invocation = argv.map(|a| CreateInvocation::parse(a).expect("a create argv"));
    let host = Host { os: Os::Linux, arch: Arch::X86_64, wsl: false };
    plan(&PlanInput {
        diagnosis,
        host,
        engine: None,
        openshell_version: None,
        frontend: Frontend::OpenShell,
        invocation: invocation.as_ref(),
    })
}

pub(crate) fn every_output(diagnosis: &Diagnosis, argv: Option<&[&str]>) -> String {
    let recovery = plan_for(diagnosis, argv);
    [
        sandbox_triage_core::diagnosis_human(diagnosis, Style::default()),
        sandbox_triage_core::diagnosis_json(diagnosis),
        plan_human(diagnosis, &recovery, Style::default()),
        plan_json(diagnosis, &recovery),
        plan_script(diagnosis, &recovery),
    ]
    .join("\n")
}
