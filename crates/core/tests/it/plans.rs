//! Every corpus file's plan, for both engines, with and without the create argv: only
//! real OpenShell subcommands, no hard-coded gateway, the registry route only with its
//! conditions, scripts that parse in real shells, and commands that round-trip through
//! them.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use sandbox_triage_core::CreateInvocation;
use sandbox_triage_core::Plan;
use sandbox_triage_core::{classify, plan_script, Arch, Catalogue, Diagnosis, Engine, Era, Kind, Options, Os, Stage, StageRules, Version};
use sandbox_triage_core::{plan, Frontend, Host, PlanInput};
use sandbox_triage_core::{render, Shell, Word};
use sandbox_triage_testkit::CorpusCase;

const ARGV: &[&str] = &[
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

/// The subcommands OpenShell has had (`openshell-create-path.md` §2): `sandbox …`,
/// `gateway …` in both eras, `doctor …`.
const SUBCOMMANDS: &[&str] = &[
    "sandbox create",
    "sandbox list",
    "sandbox delete",
    "sandbox connect",
    "gateway start",
    "gateway stop",
    "gateway destroy",
    "gateway add",
    "gateway remove",
    "gateway login",
    "gateway logout",
    "gateway select",
    "gateway info",
    "gateway list",
    "doctor logs",
    "doctor exec",
    "doctor check",
];

struct Case {
    name: String,
    diagnosis: Diagnosis,
}

fn catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(|| Catalogue::builtin().expect("rules"))
}

fn corpus() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    CorpusCase::load_dir(&dir)
        .expect("corpus")
        .into_iter()
        .filter(|c| c.stage() != Stage::ProviderValidation)
        .map(|case| {
            let options = Options { exit_status: case.exit_status(), ..Options::default() };
            let diagnosis = classify(&StageRules::new(catalogue(), case.stage()), options, &case.payload);
            Case { name: case.name, diagnosis }
        })
        .collect()
}

fn plans(case: &Case) -> Vec<(String, Plan)> {
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

fn literal(words: &[Word]) -> Vec<String> {
    words.iter().map(Word::display).collect()
}

#[test]
fn plans_name_only_real_subcommands_no_fixed_gateway_and_state_the_registry_conditions() {
    for case in corpus() {
        let gateway_known = case.diagnosis.gateway.is_some();
        for (label, plan) in plans(&case) {
            for step in plan.all_steps() {
                for command in step.commands() {
                    let words = literal(command);
                    if words.first().is_some_and(|w| w == "openshell") {
                        let sub = words.iter().skip(1).take(2).cloned().collect::<Vec<_>>().join(" ");
                        assert!(SUBCOMMANDS.contains(&sub.as_str()), "{label}: openshell {sub} does not exist");
                    }
                    if !gateway_known {
                        // The argv above names no gateway either: any gateway is a placeholder.
                        assert!(
                            !words.iter().any(|w| w.contains("openshell-cluster-nemoclaw")),
                            "{label}: hard-coded gateway in {words:?}"
                        );
                        assert!(
                            !words.windows(2).any(|p| (p[0] == "-g" || p[0] == "--gateway" || p[0] == "--name") && p[1] == "nemoclaw"),
                            "{label}: {words:?}"
                        );
                    }
                }
            }
            for step in &plan.steps {
                for command in step.commands() {
                    assert!(
                        !literal(command).iter().any(|w| w.contains("localhost:5000")),
                        "{label}: the registry route outside its alternative"
                    );
                }
            }
            for alternative in &plan.alternatives {
                let uses_registry =
                    alternative.steps.iter().flat_map(|s| s.commands()).any(|c| literal(c).iter().any(|w| w.contains("localhost:5000")));
                if uses_registry {
                    assert!(
                        alternative.conditions.iter().any(|c| c.contains("OPENSHELL_REGISTRY_INSECURE")),
                        "{label}: registry route without its conditions"
                    );
                }
            }
        }
    }
}

fn shell_ok(shell: &str, script: &str) -> Result<(), String> {
    let out = Command::new(shell).arg("-n").arg("-c").arg(script).output().map_err(|e| format!("{shell}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn every_script_parses_in_bash_and_dash() {
    for case in corpus() {
        for (label, plan) in plans(&case) {
            let script = plan_script(&case.diagnosis, &plan);
            for shell in ["bash", "dash"] {
                if let Err(e) = shell_ok(shell, &script) {
                    panic!("{label}: {shell} -n failed: {e}\n{script}");
                }
            }
        }
    }
}

#[test]
fn every_command_round_trips_through_real_shells() {
    let mut seen = BTreeSet::new();
    for case in corpus() {
        for (label, plan) in plans(&case) {
            for step in plan.all_steps() {
                for command in step.commands() {
                    if !seen.insert(literal(command)) {
                        continue;
                    }
                    let mut probe = vec![Word::lit("/usr/bin/printf"), Word::lit("%s\\0")];
                    probe.extend(command.iter().cloned());
                    let script = render(&probe, Shell::Posix).expect("renders");
                    // Each placeholder reads its variable: set it to its own display form.
                    let mut vars: Vec<(String, String)> =
                        plan.placeholders.iter().map(|p| (p.variable(), format!("<{}>", p.name))).collect();
                    // Session variables show as `$NAME`; give them that value to compare.
                    vars.extend(["HOME", "USER"].map(|v| (v.to_owned(), format!("${v}"))));
                    for shell in ["bash", "dash"] {
                        let out =
                            Command::new(shell).arg("-c").arg(&script).envs(vars.iter().map(|(k, v)| (k, v))).output().expect("shell");
                        assert!(out.status.success(), "{label}: {shell} failed on {script}: {}", String::from_utf8_lossy(&out.stderr));
                        let mut words: Vec<String> = String::from_utf8(out.stdout).expect("utf-8").split('\0').map(str::to_owned).collect();
                        words.pop();
                        assert_eq!(words, literal(command), "{label}: {shell} ran {script}");
                    }
                }
            }
        }
    }
    assert!(seen.len() > 30, "only {} distinct commands", seen.len());
}

#[test]
fn the_upload_family_recreates_from_the_built_image_and_keeps_every_flag() {
    let invocation = CreateInvocation::parse(ARGV).expect("argv");
    let mut checked = 0;
    for case in corpus() {
        let d = &case.diagnosis;
        let upload = matches!(d.kind, Kind::ImageUploadContainerMissing | Kind::ImageUploadFailed);
        let Some(image) = d.built_image_ref.as_ref().filter(|_| upload) else { continue };
        for (label, plan) in plans(&case).into_iter().filter(|(l, _)| l.ends_with("argv=true")) {
            let step =
                plan.steps.iter().find(|s| s.purpose.starts_with("Create the sandbox from the built image")).expect("a re-create step");
            let words = literal(step.commands()[0]);
            let from = words.iter().position(|w| w == "--from").expect("--from");
            assert_eq!(words[from + 1], image.as_str(), "{label}");
            assert!(!words.iter().any(|w| w.contains("/tmp/nemoclaw-build")), "{label}: the temporary Dockerfile");
            for arg in &invocation.args {
                if arg.flag != "--from" {
                    assert!(words.contains(&arg.spelling), "{label}: lost {}", arg.spelling);
                }
            }
            for kept in ["my-assistant", "nvidia", "brave", "team=ml ops", "2", "nemoclaw-start"] {
                assert!(words.iter().any(|w| w == kept), "{label}: lost {kept}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 2, "no upload-family corpus file with a built image");
}

/// Subcommands one era's CLI lacks: 0.0.37 and newer start, stop and destroy no
/// gateway and have no `doctor`; 0.0.36 and older cannot remove a gateway.
fn lacking(era: Era) -> &'static [&'static str] {
    match era {
        Era::PackageManaged => &["gateway start", "gateway stop", "gateway destroy", "doctor logs", "doctor exec", "doctor check"],
        _ => &["gateway remove"],
    }
}

#[test]
fn plans_use_only_the_subcommands_of_the_era_they_are_for() {
    let mut checked = BTreeSet::new();
    for case in corpus() {
        for version in [None, Some("0.0.36"), Some("0.0.40"), Some("0.0.111")] {
            let version: Option<Version> = version.map(|v| v.parse().expect("version"));
            let Some(era) = version.map(Version::era).or(case.diagnosis.era) else { continue };
            let input = PlanInput {
                diagnosis: &case.diagnosis,
                host: Host { os: Os::Linux, arch: Arch::X86_64, wsl: false },
                engine: None,
                openshell_version: version,
                frontend: Frontend::OpenShell,
                invocation: None,
            };
            let plan = plan(&input);
            for command in plan.all_steps().flat_map(|s| s.commands()) {
                let words = literal(command);
                if words.first().is_some_and(|w| w == "openshell") {
                    let sub = words.iter().skip(1).take(2).cloned().collect::<Vec<_>>().join(" ");
                    assert!(!lacking(era).contains(&sub.as_str()), "{} ({era}): openshell {sub} does not exist there", case.name);
                }
            }
            checked.insert(era);
        }
    }
    assert_eq!(checked.len(), 2, "both eras were planned for");
}

#[test]
fn a_log_of_0_0_37_or_later_never_claims_an_upload() {
    for case in corpus().into_iter().filter(|c| c.diagnosis.era == Some(Era::PackageManaged)) {
        assert!(!case.diagnosis.uploaded_to_gateway, "{}: claims an upload", case.name);
    }
    let log = "✓ Image openshell/sandbox-from:1 is available in the local Docker daemon for gateway 'dev'.\nCreated sandbox: a\nError:   × sandbox provisioning stream ended before reaching terminal phase\n";
    let d = classify(&StageRules::new(catalogue(), Stage::SandboxCreate), Options::default(), log.as_bytes());
    assert_eq!((d.kind, d.era, d.uploaded_to_gateway), (Kind::SandboxCreateIncomplete, Some(Era::PackageManaged), false));
    let options = Options { openshell_version: Some("0.0.36".parse().expect("version")), ..Options::default() };
    let d =
        classify(&StageRules::new(catalogue(), Stage::SandboxCreate), options, b"Created sandbox: a\nError: sandbox entered error phase\n");
    assert_eq!((d.kind, d.era, d.uploaded_to_gateway), (Kind::SandboxCreateIncomplete, Some(Era::TarUpload), true));
}

#[test]
fn a_disk_that_fills_after_the_build_is_not_called_a_failed_build_step() {
    let upload = crate::support::create(
        "Step 1/2 : FROM scratch\n  Built image openshell/sandbox-from:1786000000\n  Pushing image openshell/sandbox-from:1786000000 into gateway \"nemoclaw\"\n  [progress] Exported 1862 MiB\nwrite /var/lib/docker/tmp/x: no space left on device\n",
        Some(1),
    );
    assert_eq!(upload.kind, Kind::DiskFull);
    let headline = crate::support::plan_for(&upload, None).headline;
    assert!(headline.starts_with("The disk filled up after the build, in phase upload"), "{headline}");
    assert!(!headline.contains("build step"), "{headline}");
    let build = crate::support::create("  Step 6/9 : RUN pip install torch\n  ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device\n  The command '/bin/sh -c pip install torch' returned a non-zero code: 1\n", Some(1));
    assert!(
        crate::support::plan_for(&build, None).headline.starts_with("Build step 6 of 9 failed"),
        "a disk full in a step is that step's"
    );
}
