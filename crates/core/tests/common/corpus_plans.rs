//! Every corpus file's diagnosis and its plans, for both engines, with and without a
//! create argv that holds every kind of flag: what the plan tests of both test binaries
//! go through.

use std::path::Path;
use std::sync::OnceLock;

use sandbox_triage_core::{
    classify, plan, Arch, CreateInvocation, Diagnosis, Engine, Frontend, Host, Options, Os, Plan, PlanInput, Stage, Word,
};
use sandbox_triage_testkit::CorpusCase;

pub(crate) const ARGV: &[&str] = &[
    "openshell",
    "sandbox",
    "create",
    "--from",
    "/tmp/nemoclaw-build-abc/Dockerfile",
    "--name",
    "my-assistant",
    "--policy",
    "/tmp/nemoclaw-policy-abc.yaml",
    "--provider",
    "nvidia",
    "--provider",
    "brave",
    "--gpu",
    "--label",
    "team=ml ops",
    "--cpu",
    "2",
    "--",
    "env",
    "HTTPS_PROXY=http://proxy:3128",
    "nemoclaw-start",
];

pub(crate) struct Case {
    pub(crate) name: String,
    pub(crate) diagnosis: Diagnosis,
}

/// The repository corpus (provider validation aside), classified once per test binary.
pub(crate) fn corpus() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(classified)
}

fn classified() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    CorpusCase::load_dir(&dir)
        .expect("corpus")
        .into_iter()
        .filter(|c| c.stage() != Stage::ProviderValidation)
        .map(|case| {
            let options = Options { exit_status: case.exit_status(), ..Options::default() };
            let diagnosis = classify(crate::support::rules(case.stage()), options, &case.payload);
            Case { name: case.log.name, diagnosis }
        })
        .collect()
}

pub(crate) fn plans(case: &Case) -> Vec<(String, Plan)> {
    let invocation = CreateInvocation::parse(ARGV).expect("argv");
    let mut out = Vec::new();
    for engine in [Engine::Docker, Engine::Podman] {
        for with_argv in [false, true] {
            let input = PlanInput {
                diagnosis: &case.diagnosis,
                host: Host { os: Os::Linux, arch: Arch::Aarch64, wsl: false },
                engine: Some(engine),
                openshell_version: None,
                frontend: Frontend::NemoClaw { cli: "nemoclaw".into() },
                invocation: with_argv.then_some(&invocation),
            };
            out.push((format!("{} {} argv={with_argv}", case.name, engine.as_str()), plan(&input)));
        }
    }
    out
}

pub(crate) fn literal(words: &[Word]) -> Vec<String> {
    words.iter().map(Word::display).collect()
}
