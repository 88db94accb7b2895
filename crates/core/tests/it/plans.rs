//! Every corpus file's plan, for both engines, with and without the create argv: only
//! real OpenShell subcommands, no hard-coded gateway, the registry route only with its
//! conditions (the `shells` binary runs the same plans through real shells).

use std::collections::BTreeSet;

use sandbox_triage_core::{classify, Arch, CreateInvocation, Era, Kind, Options, Os, Stage, Version};
use sandbox_triage_core::{plan, Frontend, Host, PlanInput};

use crate::corpus_plans::{corpus, literal, plans, ARGV};

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

#[test]
fn plans_name_only_real_subcommands_no_fixed_gateway_and_state_the_registry_conditions() {
    for case in corpus() {
        let gateway_known = case.diagnosis.gateway.is_some();
        for (label, plan) in plans(case) {
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

#[test]
fn the_upload_family_recreates_from_the_built_image_and_keeps_every_flag() {
    let invocation = CreateInvocation::parse(ARGV).expect("argv");
    let mut checked = 0;
    for case in corpus() {
        let d = &case.diagnosis;
        let upload = matches!(d.kind, Kind::ImageUploadContainerMissing | Kind::ImageUploadFailed);
        let Some(image) = d.built_image_ref.as_ref().filter(|_| upload) else { continue };
        for (label, plan) in plans(case).into_iter().filter(|(l, _)| l.ends_with("argv=true")) {
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
    for case in corpus().iter().filter(|c| c.diagnosis.era == Some(Era::PackageManaged)) {
        assert!(!case.diagnosis.uploaded_to_gateway, "{}: claims an upload", case.name);
    }
    let log = "✓ Image openshell/sandbox-from:1 is available in the local Docker daemon for gateway 'dev'.\nCreated sandbox: a\nError:   × sandbox provisioning stream ended before reaching terminal phase\n";
    let d = classify(crate::support::rules(Stage::SandboxCreate), Options::default(), log.as_bytes());
    assert_eq!((d.kind, d.era, d.uploaded_to_gateway), (Kind::SandboxCreateIncomplete, Some(Era::PackageManaged), false));
    let options = Options { openshell_version: Some("0.0.36".parse().expect("version")), ..Options::default() };
    let d = classify(crate::support::rules(Stage::SandboxCreate), options, b"Created sandbox: a\nError: sandbox entered error phase\n");
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
