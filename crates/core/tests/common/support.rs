//! What the attack tests share: classifying a create's output, its plan, and every
//! output a diagnosis and its plan can be rendered to.

use std::sync::OnceLock;

use sandbox_triage_core::{
    classify, plan, plan_human, plan_json, plan_script, Arch, Catalogue, CreateInvocation, Diagnosis, Frontend, Host, Options, Os, Plan,
    PlanInput, Stage, StageRules, Style,
};

/// The built-in catalogue, loaded once per test binary.
pub(crate) fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::builtin().expect("built-in rules load"))
}

/// The built-in rules of `stage`, compiled once per test binary: compiling them costs
/// more than classifying most logs, and a test that classifies hundreds of logs would
/// otherwise spend its time there.
pub(crate) fn rules(stage: Stage) -> &'static StageRules {
    static RULES: OnceLock<Vec<OnceLock<StageRules>>> = OnceLock::new();
    let slots = RULES.get_or_init(|| Stage::all().map(|_| OnceLock::new()).collect());
    let index = Stage::all().position(|s| s == stage).expect("a stage of the list");
    slots[index].get_or_init(|| StageRules::new(catalogue(), stage))
}

pub(crate) fn create(text: &str, exit_status: Option<i32>) -> Diagnosis {
    classify(rules(Stage::SandboxCreate), Options { exit_status, ..Options::default() }, text.as_bytes())
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

/// Every command `plan` would run, its alternatives' included, one per line.
pub(crate) fn plan_commands(plan: &Plan) -> String {
    let words = |argv: &[sandbox_triage_core::Word]| argv.iter().map(sandbox_triage_core::Word::display).collect::<Vec<_>>().join(" ");
    plan.all_steps()
        .map(|step| match &step.action {
            sandbox_triage_core::Action::Argv(argv) => words(argv),
            sandbox_triage_core::Action::Pipeline(commands) => commands.iter().map(|c| words(c)).collect::<Vec<_>>().join(" | "),
            sandbox_triage_core::Action::Nothing => String::new(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `input` masked by a streaming redactor fed `chunk` bytes at a time.
pub(crate) fn streamed(input: &[u8], chunk: usize) -> Vec<u8> {
    let mut redactor = sandbox_triage_core::Redactor::new();
    let mut out = Vec::new();
    for piece in input.chunks(chunk) {
        redactor.push(piece, &mut out);
    }
    redactor.finish(&mut out);
    out
}
