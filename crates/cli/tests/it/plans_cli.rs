//! `sandbox-triage plan` for every kind, in every format, for Docker and Podman, with
//! and without the original create argv: compared with snapshots (no colour, 80 columns).

use std::fmt::Write as _;
use std::path::Path;

use crate::common::run;

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
    "--gpu",
    "-g",
    "spark",
    "--",
    "env",
    "HTTPS_PROXY=http://proxy:3128",
    "nemoclaw-start",
];

/// (name, stage, extra classify arguments, output)
const FIXTURES: &[(&str, &str, &[&str], &str)] = &[
    ("none", "sandbox-create", &["--exit-status", "0"], "Created sandbox: demo\n"),
    ("unknown_stalled_import", "sandbox-create", &[], "  [progress] Exported 3000 MiB\n  [progress] Uploaded to gateway\n"),
    ("image_upload_container_missing", "sandbox-create", &[], "  Built image openshell/sandbox-from:1786000000\n  Pushing image openshell/sandbox-from:1786000000 into gateway \"spark\"\nError:   × failed to upload image tar into container\n  ╰─▶ Docker responded with status code 404: the container does not exist: no container with name or ID \"openshell-cluster-spark\" found: no such container\n"),
    ("image_upload_failed", "sandbox-create", &[], "  Built image openshell/sandbox-from:1786000000\nfailed to upload image tar into container\nError in the hyper legacy client: client error (SendRequest)\nerror writing a body to connection\nInvalid argument (os error 22)\n"),
    ("image_transfer_timeout", "sandbox-create", &[], "  Built image openshell/sandbox-from:1786000000\n  Pushing image openshell/sandbox-from:1786000000 into gateway nemoclaw\nError: failed to read image export stream\nTimeout error\n"),
    ("image_transfer_reset", "sandbox-create", &[], "  Built image openshell/sandbox-from:1786000000\n  Pushing image openshell/sandbox-from:1786000000 into gateway \"spark\"\n  [progress] Exported 1200 MiB\nError:   × transport error\n  ├─▶ Connection reset by peer (os error 104)\n"),
    ("image_transfer_reset_after_import", "sandbox-create", &[], "Image openshell/sandbox-from:123 is available in the gateway.\nConnection reset by peer\n"),
    ("image_export_oom_killed", "sandbox-create", &["--exit-status", "137"], "  Built image openshell/sandbox-from:1786000000\n[progress] Exported 2459 MiB\nKilled\n"),
    ("tls_cert_mismatch", "sandbox-create", &[], "Created sandbox: test-sandbox\nError: × transport error\n  ╰─▶ invalid peer certificate: BadSignature\n"),
    ("gpu_cdi_injection_failed", "sandbox-create", &[], "Created sandbox: demo\nError response from daemon: CDI device injection failed: unresolvable CDI devices nvidia.com/gpu=all\n"),
    ("plugin_install_network_denied", "sandbox-create", &[], "  Step 17/56 : RUN openclaw plugins install npm:@openclaw/brave-plugin@2026.5.27 --pin\nnpm error code ENOTFOUND\nnpm error network request to https://registry.npmjs.org/@openclaw%2Fbrave-plugin failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org\nThe command '/bin/sh -c openclaw plugins install npm:@openclaw/brave-plugin@2026.5.27 --pin' returned a non-zero code: 1\n"),
    ("build_step_network_failed", "sandbox-create", &[], "  Step 4/35 : RUN apt-get update && apt-get install -y curl\n  E: Failed to fetch http://deb.debian.org/debian/pool/main/c/curl/curl_7.88.1-10_amd64.deb  Connection reset by peer [IP: 151.101.2.132 80]\nError:   × Docker build failed: The command '/bin/sh -c apt-get update && apt-get install -y curl' returned a non-zero code: 100\n"),
    ("build_step_failed", "sandbox-create", &[], "Step 4/10 : RUN fail-step\n ---> Running in xyz789\nThe command '/bin/sh -c fail-step' returned a non-zero code: 1\n"),
    ("build_base_image_pull_failed", "sandbox-create", &[], "  Step 1/9 : FROM nvcr.io/private/base:1\n  pull access denied for nvcr.io/private/base, repository does not exist or may require 'docker login'\nError:   × Docker build failed: pull access denied\n"),
    ("disk_full", "sandbox-create", &[], "  Step 6/9 : RUN pip install torch\n  ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device\n  The command '/bin/sh -c pip install torch' returned a non-zero code: 1\n"),
    ("platform_mismatch", "sandbox-create", &[], "  Step 4/9 : RUN /opt/tool --version\n  exec /opt/tool: exec format error\n  The command '/bin/sh -c /opt/tool --version' returned a non-zero code: 1\n"),
    ("sandbox_create_incomplete", "sandbox-create", &[], "\nCreated sandbox: my-assistant\n\n  [0.1s] Sandbox allocated\nError:   × sandbox provisioning stream ended before reaching terminal phase\n"),
    ("interrupted", "sandbox-create", &["--exit-status", "130"], "  Built image openshell/sandbox-from:1786000000\n  Pushing image openshell/sandbox-from:1786000000 into gateway \"spark\"\n  [progress] Exported 1200 MiB\n"),
    ("gateway_unreachable", "sandbox-create", &[], "Error:   × failed to connect to gateway 'spark' at https://127.0.0.1:8080. Start the gateway service with the installed package manager, or register a different endpoint with `openshell gateway add <endpoint>`.\n  ├─▶ transport error\n  ╰─▶ Connection refused (os error 111)\n"),
    ("gateway_unreachable_no_active", "sandbox-create", &[], "Error:   × No active gateway.\n  │ Set one with: openshell gateway select <name>\n  │ Or register one with: openshell gateway add <endpoint>\n"),
    ("gateway_unreachable_tar_upload", "sandbox-create", &[], "! Gateway 'spark' is not reachable.\nTo destroy and recreate the gateway:\n  openshell gateway destroy --name spark && openshell gateway start\nError:   × transport error\n  ╰─▶ Connection refused (os error 111)\n"),
    ("image_not_in_gateway_store", "sandbox-create", &[], "Building image openshell/sandbox-from:1786000000 from /tmp/nemoclaw-build-abc/Dockerfile\n  Built image openshell/sandbox-from:1786000000\n✓ Image openshell/sandbox-from:1786000000 is available in the local Docker daemon for gateway 'spark'.\nCreated sandbox: my-assistant\n  [0.0s] Requesting compute...\n[0.1s] Sandbox allocated\n[0.1s] Pulling image openshell/sandbox-from:1786000000\nError:   × sandbox entered error phase while provisioning: ImagePullFailed: pull Docker image failed: Docker responded with status code 404: pull access denied for openshell/sandbox-from, repository does not exist or may require 'docker login'\n"),
    ("sandbox_image_pull_failed", "sandbox-create", &[], "Created sandbox: my-assistant\n  [0.0s] Requesting compute...\n[0.1s] Sandbox allocated\n[0.1s] Pulling image nvcr.io/private/agent:1.2\nError:   × sandbox entered error phase while provisioning: ImagePullFailed: pull Docker image failed: Docker responded with status code 500: unauthorized: authentication required\n"),
    ("invalid_source", "sandbox-create", &[], "Error:   × local --from path does not exist: ./agent/Dockerfil\n  │ Use an existing Dockerfile, a directory containing Dockerfile, or a\n  │ container image reference.\n"),
    ("invalid_source_remote_gateway", "sandbox-create", &[], "Error:   × local Dockerfile sources are only supported for local gateways; gateway\n  │ 'spark' is remote\n"),
    ("sandbox_already_exists", "sandbox-create", &[], "  Built image openshell/sandbox-from:1786000000\n✓ Image openshell/sandbox-from:1786000000 is available in the local Docker daemon for gateway 'spark'.\nError:   × sandbox 'my-assistant' already exists\n  │ \n  │ hint: delete it first with: openshell sandbox delete <name>\n  │       or use a different name\n"),
    ("provisioning_timeout", "sandbox-create", &[], "Created sandbox: my-assistant\n  [0.0s] Requesting compute...\n[0.0s] Sandbox allocated\n[0.0s] Pulling image openshell/sandbox-from:1786000000\n[0.1s] Image already present\n[0.4s] Starting sandbox Container created\n\nError:   × sandbox provisioning timed out after 300s. Last reported status:\n  │ SupervisorNotConnected: Backend ready; waiting for supervisor session\n"),
    ("build_stalled", "sandbox-create", &[], "Building image openshell/sandbox-from:1786000000 from /tmp/nemoclaw-build-abc/Dockerfile\n  Step 6/35 : RUN npm ci\nError:   × Docker build produced no output for 1800s. This usually means the container runtime is under-provisioned (CPU/memory) and the builder has deadlocked; check `docker info` (NCPU, MemTotal) and increase Colima/Docker Desktop resources before retrying. If a legitimate build step is just quiet, raise the threshold with OPENSHELL_BUILD_NO_PROGRESS_TIMEOUT_SECS=<secs>.\n"),
    ("image_import_failed", "sandbox-create", &[], "  Built image openshell/sandbox-from:1786000000\n  Pushing image openshell/sandbox-from:1786000000 into gateway \"spark\"\n  [progress] Exported 231 MiB\n  [progress] Uploaded to gateway\nError:   × ctr images import exited with code 1\n  │ ctr: unexpected EOF\n"),
    ("docker_unreachable_at_create", "sandbox-create", &[], "Building image openshell/sandbox-from:1786000000 from /tmp/nemoclaw-build-abc/Dockerfile\nError:   × failed to query local Docker daemon info\n  ╰─▶ Permission denied (os error 13)\n"),
    ("gateway_auth_failed", "sandbox-create", &[], "  Built image openshell/sandbox-from:1786000000\n✓ Image openshell/sandbox-from:1786000000 is available in the local Docker daemon for gateway 'spark'.\n\nError:   × code: 'The request does not have valid authentication credentials',\n  │ message: \"missing authorization header\"\n"),
    ("gateway_rejected_create", "sandbox-create", &[], "  Built image openshell/sandbox-from:1786000000\n✓ Image openshell/sandbox-from:1786000000 is available in the local Docker daemon for gateway 'spark'.\n\nError:   × code: 'The system is not in a state required for the operation's\n  │ execution', message: \"docker sandboxes require gateway JWT auth; configure\n  │ [openshell.gateway.gateway_jwt]\"\n"),
    ("sandbox_create_incomplete_container_exited", "sandbox-create", &[], "  Built image openshell/sandbox-from:1786000000\n\nCreated sandbox: my-assistant\n\n  [0.0s] Requesting compute...\n[0.0s] Sandbox allocated\n[0.3s] Starting sandbox Waiting for supervisor relay\nError:   × sandbox entered error phase while provisioning: ContainerExited: Container\n  │ exited\n"),
    ("sandbox_image_unsuitable", "sandbox-create", &[], "  Built image openshell/sandbox-from:1786000000\n\nCreated sandbox: my-assistant\n\n  [0.0s] Requesting compute...\n[0.0s] Sandbox allocated\n[0.3s] Starting sandbox Waiting for supervisor relay\nError:   × sandbox entered error phase while provisioning: ContainerExited: Container\n  │ exited\nsandbox container log: Error:   × OCI USER 'root' selects root\n"),
    ("docker_unreachable", "gateway-start", &[], "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n"),
    ("docker_unreachable_permission", "gateway-start", &[], "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock\n"),
    ("database_migration_incompatible", "gateway-start", &[], "Error:   × execution error: migration error: migration 6 was previously applied but\n  │ is missing in the resolved migrations\n"),
    ("gateway_unknown", "gateway-start", &[], "Applying HelmChart openshell\n"),
    ("provider_credential", "provider-validation", &["--http-status", "401"], "Unauthorized\n"),
    ("provider_transport", "provider-validation", &["--curl-status", "7"], "Failed to connect\n"),
    ("provider_model", "provider-validation", &["--http-status", "404"], "HTTP 404: model not found\n"),
    ("provider_endpoint", "provider-validation", &["--http-status", "405"], "Method Not Allowed\n"),
    ("provider_unknown", "provider-validation", &["--http-status", "418"], "I'm a teapot\n"),
];

fn snapshot_name(name: &str, engine: &str, with_argv: bool) -> String {
    format!("{name}__{engine}__{}", if with_argv { "argv" } else { "no_argv" })
}

#[test]
fn every_kind_plans_as_its_snapshot_in_every_format() {
    for (name, stage, extra, log) in FIXTURES {
        for engine in ["docker", "podman"] {
            for with_argv in [false, true] {
                let mut snapshot = String::new();
                for format in ["human", "json", "sh"] {
                    let mut args =
                        vec!["plan", "--stage", stage, "--os", "linux", "--arch", "x86_64", "--engine", engine, "--format", format];
                    args.extend(extra.iter());
                    if with_argv {
                        args.push("--");
                        args.extend(ARGV);
                    }
                    let out = run(&args, log.as_bytes());
                    assert!(out.status.code().is_some_and(|c| c < 2), "{name}: {}", String::from_utf8_lossy(&out.stderr));
                    let mut text = String::from_utf8(out.stdout).expect("utf-8");
                    if format == "json" {
                        let value: serde_json::Value = serde_json::from_str(&text).expect("one JSON object");
                        assert_eq!(value["schema_version"], 1);
                        text = serde_json::to_string_pretty(&value).expect("json") + "\n";
                    }
                    let _ = write!(snapshot, "--- {format} ---\n{text}");
                }
                insta::assert_snapshot!(snapshot_name(name, engine, with_argv), snapshot);
            }
        }
    }
}

#[test]
fn the_plan_json_validates_against_the_checked_in_schema_shape() {
    let out = run(&["plan", "--format", "json", "--os", "linux", "--arch", "x86_64"], b"Connection reset by peer\n");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let step = &value["plan"]["steps"][0];
    for key in ["purpose", "applicability", "argv", "pipeline"] {
        assert!(step.get(key).is_some(), "step lacks {key}: {step}");
    }
    assert_eq!(value["diagnosis"]["kind"], "image_transfer_reset");
}

#[test]
fn every_snapshot_of_this_file_belongs_to_a_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots");
    for entry in std::fs::read_dir(dir).expect("snapshots").flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(name) = file.strip_prefix("it__plans_cli__").and_then(|f| f.strip_suffix(".snap")) else { continue };
        let known = FIXTURES
            .iter()
            .any(|(fixture, ..)| ["docker", "podman"].iter().any(|e| [false, true].iter().any(|a| snapshot_name(fixture, e, *a) == name)));
        assert!(known, "orphaned snapshot {file}: delete it");
    }
}

#[test]
fn an_unknown_built_image_is_looked_up_with_the_engine_in_use() {
    let log = "Error:   × failed to upload image tar into container\n  ╰─▶ Docker responded with status code 404: no container with name or ID \"openshell-cluster-nemoclaw\" found: no such container\n";
    for engine in ["docker", "podman"] {
        let out = crate::common::run(&["plan", "--engine", engine, "--format", "json"], log.as_bytes());
        let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let reason = plan["plan"]["placeholders"][0]["reason"].as_str().unwrap_or_default().to_owned();
        assert!(reason.contains(&format!("`{engine} images openshell/sandbox-from`")), "{engine}: {reason}");
    }
}
