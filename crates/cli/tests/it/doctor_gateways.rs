//! `doctor`'s gateway checks as a user meets them: gateways registered in OpenShell's
//! config (0.0.37 and newer), the active one, endpoints that answer or not, client
//! bundles, malformed registrations, `-g`, and the legacy `openshell-cluster-*`
//! containers; each line, the summary and the exit status.

use std::fs;

use crate::doctor_world::{activate_in, flat, line, passed, register_in, said, World};

#[test]
fn a_registered_active_gateway_that_answers_passes_every_check() {
    let world = World::new();
    world.active_answering("lab");
    let out = world.doctor(&[]);
    let text = said(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(line(&text, "engine").is_some_and(|l| l.ends_with("docker 27.0.0 answers")), "{text}");
    assert!(line(&text, "gateways").is_some_and(|l| l.ends_with("1 registered in ~/.config/openshell: lab (active)")), "{text}");
    let lab = line(&text, "gateway lab").expect("the gateway's line");
    assert!(lab.starts_with('✓') && lab.ends_with(&format!("active: {} answers", world.live())), "{text}");
    assert_eq!(passed(&text, "gateway lab mtls"), Some(true), "{text}");
    assert!(flat(&text).contains("ca.crt, tls.crt and tls.key are in"), "{text}");
    assert_eq!(passed(&text, "openshell"), Some(true), "{text}");
    assert!(text.ends_with("all 6 checks pass\n"), "{text}");
    // The key is checked for, never read out.
    assert!(!text.contains("sbxt-secret-material"), "{text}");
}

#[test]
fn a_gateway_nothing_listens_at_fails_with_openshells_own_fix() {
    let world = World::new();
    world.register("lab", &world.dead());
    world.activate("lab");
    let out = world.doctor(&[]);
    let text = said(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let lab = line(&text, "gateway lab").expect("the gateway's line");
    assert!(lab.starts_with('✗') && lab.contains(&format!("active: nothing listens at 127.0.0.1:{}", world.closed)), "{text}");
    let fix = text.split_once("    fix: ").map(|(_, f)| flat(f)).unwrap_or_default();
    assert!(fix.starts_with("start the gateway service with the installed package manager"), "{text}");
    assert!(fix.contains("`systemctl --user start openshell-gateway`"), "{text}");
    assert!(fix.contains("register a different endpoint with `openshell gateway add <endpoint>`"), "{text}");
    // Plaintext: no client bundle is needed, so none is asked for.
    assert_eq!(passed(&text, "gateway lab mtls"), None, "{text}");
    assert!(text.ends_with("1 of 5 checks fails: gateway lab\n"), "{text}");
}

#[test]
fn with_openshell_0_0_36_a_stopped_gateway_is_started_the_way_that_release_did() {
    let world = World::new();
    world.openshell("openshell 0.0.36");
    world.register("spark", &world.dead());
    world.activate("spark");
    world.containers("openshell-cluster-spark\texited\n");
    let text = said(&world.doctor(&[]));
    // One name, two sources: its registration and its k3s container, each checked.
    assert_eq!(passed(&text, "gateway spark"), Some(false), "{text}");
    assert_eq!(passed(&text, "gateway spark container"), Some(false), "{text}");
    assert!(flat(&text).contains("fix: start it: `docker start openshell-cluster-spark`"), "{text}");
    assert!(flat(&text).contains("containers (0.0.36 and older): openshell-cluster-spark"), "{text}");
    // Without the container, that release's own command.
    world.containers("");
    let text = said(&world.doctor(&[]));
    assert!(flat(&text).contains("`openshell gateway start --name spark`"), "{text}");
}

#[test]
fn with_openshell_0_0_36_a_running_container_and_no_registration_is_not_a_contradiction() {
    let world = World::new();
    world.openshell("openshell 0.0.36");
    world.containers("openshell-cluster-demo\trunning\n");
    let text = said(&world.doctor(&[]));
    // That release ran its gateways as containers: the registry's emptiness is no failure.
    assert_eq!(passed(&text, "gateways"), Some(true), "{text}");
    assert!(
        flat(&text).contains("none registered in ~/.config/openshell; containers (0.0.36 and older): openshell-cluster-demo"),
        "{text}"
    );
    assert!(!text.contains("No active gateway"), "{text}");
    assert_eq!(passed(&text, "gateway demo"), Some(true), "{text}");
    // A 0.0.37 CLI does not use the container: nothing registered fails as before.
    world.openshell("openshell 0.0.40");
    let text = said(&world.doctor(&[]));
    assert_eq!(passed(&text, "gateways"), Some(false), "{text}");
}

#[test]
fn no_gateway_registered_is_a_failed_check_with_openshells_hint() {
    let world = World::new();
    let out = world.doctor(&[]);
    let text = said(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let gateways = line(&text, "gateways").expect("the registry's line");
    assert!(gateways.starts_with('✗'), "{text}");
    assert!(flat(&text).contains("no gateway is registered in ~/.config/openshell or "), "{text}");
    assert!(flat(&text).contains("\"No active gateway.\""), "{text}");
    assert!(
        flat(&text).contains("`openshell gateway add <endpoint>`") && flat(&text).contains("`openshell gateway select <name>`"),
        "{text}"
    );
    assert!(text.ends_with("1 of 4 checks fails: gateways\n"), "{text}");
}

#[test]
fn registered_gateways_none_active_or_an_unknown_active_one_fail() {
    let world = World::new();
    world.register("lab", &world.live());
    world.register("dev", &world.live());
    let text = said(&world.doctor(&[]));
    assert!(line(&text, "gateways").is_some_and(|l| l.starts_with('✗')), "{text}");
    assert!(flat(&text).contains("2 registered in ~/.config/openshell: dev, lab, but none is active"), "{text}");
    assert!(flat(&text).contains("fix: set one with: `openshell gateway select <name>`"), "{text}");
    world.activate("nemoclw");
    let text = said(&world.doctor(&[]));
    assert!(flat(&text).contains("~/.config/openshell/active_gateway names 'nemoclw', which is not registered"), "{text}");
    assert!(flat(&text).contains("`openshell gateway add <endpoint> --name nemoclw`"), "{text}");
    // OPENSHELL_GATEWAY overrides the saved choice, as it does for the CLI.
    let out = world.command().env("OPENSHELL_GATEWAY", "dev").output().expect("run");
    let text = said(&out);
    assert_eq!(passed(&text, "gateways"), Some(true), "{text}");
    assert!(flat(&text).contains("active (OPENSHELL_GATEWAY): https://127.0.0.1:"), "{text}");
}

#[test]
fn gateway_flag_checks_that_gateway_only_and_names_the_registered_ones_when_unknown() {
    let world = World::new();
    world.answering("lab");
    world.register("dev", &world.dead());
    world.activate("lab");
    let out = world.doctor(&["-g", "lab"]);
    let text = said(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(passed(&text, "gateway lab"), Some(true), "{text}");
    assert_eq!(passed(&text, "gateway dev"), None, "{text}");
    assert_eq!(passed(&text, "gateways"), None, "{text}");
    let out = world.doctor(&["--gateway", "nemoclw"]);
    let text = said(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let unknown = line(&text, "gateway nemoclw").expect("its line");
    assert!(unknown.starts_with('✗'), "{text}");
    assert!(
        flat(&text).contains(
            "'nemoclw' is not registered in ~/.config/openshell and there is no container openshell-cluster-nemoclw; registered: dev, lab"
        ),
        "{text}"
    );
    assert!(flat(&text).contains("register it first: `openshell gateway add <endpoint> --name nemoclw`"), "{text}");
    // Not a name at all: a usage error.
    let out = world.doctor(&["-g", "../lab"]);
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    let out = world.doctor(&["--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
}

#[test]
fn an_https_gateway_needs_its_client_bundle_unless_a_token_authenticates() {
    let world = World::new();
    world.register("lab", &world.live());
    world.bundle("lab", &["ca.crt", "tls.crt"]);
    world.activate("lab");
    let text = said(&world.doctor(&[]));
    assert_eq!(passed(&text, "gateway lab"), Some(true), "{text}");
    assert!(line(&text, "gateway lab mtls").is_some_and(|l| l.starts_with('✗') && l.contains("tls.key missing from")), "{text}");
    assert!(flat(&text).contains(&format!("`openshell gateway add {} --local --name lab`", world.live())), "{text}");
    // No bundle at all.
    fs::remove_dir_all(world.config().join("gateways/lab/mtls")).expect("rm");
    let text = said(&world.doctor(&[]));
    assert!(flat(&text).contains("no client bundle (ca.crt, tls.crt, tls.key) in"), "{text}");
    // An OIDC gateway authenticates with its token: no bundle is required.
    let oidc = format!(
        "{{\n  \"name\": \"lab\",\n  \"gateway_endpoint\": \"{}\",\n  \"is_remote\": true,\n  \"gateway_port\": 0,\n  \"auth_mode\": \"oidc\",\n  \"oidc_issuer\": \"https://issuer.invalid\"\n}}",
        world.live()
    );
    world.metadata("lab", &oidc);
    let out = world.doctor(&[]);
    let text = said(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(passed(&text, "gateway lab mtls"), None, "{text}");
    assert!(flat(&text).contains(&format!("active: {} answers (remote)", world.live())), "{text}");
}

#[test]
fn a_malformed_registration_is_a_failed_check_not_a_crash() {
    let cases: [(&str, &[u8]); 7] = [
        ("truncated", b"{\"name\": \"bad\", \"gateway_endpoint\":"),
        ("empty", b""),
        ("no endpoint", b"{\"name\": \"bad\", \"is_remote\": false, \"gateway_port\": 0}"),
        (
            "port as text",
            b"{\"name\": \"bad\", \"gateway_endpoint\": \"http://127.0.0.1:1\", \"is_remote\": false, \"gateway_port\": \"80\"}",
        ),
        ("not UTF-8", b"{\"name\": \"\xff\xfe\"}"),
        ("an array", b"[1, 2, 3]"),
        ("no scheme", b"{\"name\": \"bad\", \"gateway_endpoint\": \"127.0.0.1:8080\", \"is_remote\": false, \"gateway_port\": 0}"),
    ];
    for (what, bytes) in cases {
        let world = World::new();
        world.active_answering("lab");
        let dir = world.config().join("gateways/bad");
        fs::create_dir_all(&dir).expect("mkdir");
        fs::write(dir.join("metadata.json"), bytes).expect("write");
        let out = world.doctor(&[]);
        let text = said(&out);
        assert_eq!(out.status.code(), Some(1), "{what}: {text}");
        assert!(out.stderr.is_empty(), "{what}: {text}");
        assert!(line(&text, "gateway bad").is_some_and(|l| l.starts_with('✗')), "{what}: {text}");
        assert!(flat(&text).contains("`openshell gateway remove bad`"), "{what}: {text}");
        // The others are still checked.
        assert_eq!(passed(&text, "gateway lab"), Some(true), "{what}: {text}");
        assert!(text.ends_with("1 of 7 checks fails: gateway bad\n"), "{what}: {text}");
    }
    // metadata.json that is a directory: unreadable, said so.
    let world = World::new();
    fs::create_dir_all(world.config().join("gateways/bad/metadata.json")).expect("mkdir");
    world.activate("bad");
    let text = said(&world.doctor(&[]));
    assert!(flat(&text).contains("metadata.json cannot be read"), "{text}");
    // A FIFO that nobody writes (nor an active_gateway that is one) never hangs doctor:
    // not a regular file, said so.
    let world = World::new();
    let dir = world.config().join("gateways/pipe");
    fs::create_dir_all(&dir).expect("mkdir");
    for fifo in [dir.join("metadata.json"), world.config().join("active_gateway")] {
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    }
    let started = std::time::Instant::now();
    let text = said(&world.doctor(&[]));
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "doctor waited on a FIFO");
    assert!(flat(&text).contains("metadata.json cannot be read: is not a regular file"), "{text}");
    // Nor does a file far larger than any registration get read whole.
    let world = World::new();
    world.register("big", &world.live());
    fs::write(world.config().join("gateways/big/metadata.json"), vec![b' '; 70_000]).expect("write");
    let text = said(&world.doctor(&[]));
    assert!(flat(&text).contains("metadata.json cannot be read: is over 64 KiB"), "{text}");
}

#[test]
fn the_system_registry_and_xdg_config_home_are_read_as_openshell_reads_them() {
    let world = World::new();
    // An installer's entry and default, which a user's entry of the same name shadows.
    register_in(&world.system(), "openshell", &world.live());
    register_in(&world.system(), "shadowed", &world.live());
    world.register("shadowed", &world.dead());
    activate_in(&world.system(), "openshell");
    world.bundle("openshell", &["ca.crt", "tls.crt", "tls.key"]);
    let text = said(&world.doctor(&[]));
    assert!(flat(&text).contains("2 registered in ~/.config/openshell: openshell (active, system), shadowed"), "{text}");
    assert!(line(&text, "gateway openshell").is_some_and(|l| l.starts_with('✓') && l.contains("answers")), "{text}");
    assert_eq!(passed(&text, "gateway shadowed"), Some(false), "{text}");
    // XDG_CONFIG_HOME moves the per-user root; ~/.config is then not read.
    let xdg = world.dir.path().join("xdg");
    register_in(&xdg.join("openshell"), "elsewhere", &world.dead());
    let out = world.command().env("XDG_CONFIG_HOME", &xdg).output().expect("run");
    let text = said(&out);
    assert_eq!(passed(&text, "gateway elsewhere"), Some(false), "{text}");
    assert_eq!(passed(&text, "gateway shadowed"), Some(true), "{text}");
}

#[test]
fn credentials_in_an_endpoint_are_never_shown() {
    let world = World::new();
    let endpoint = format!("http://admin:hunter2-sbxt-password@127.0.0.1:{}", world.port);
    world.register("lab", &endpoint);
    world.activate("lab");
    fs::write(world.config().join("gateways/lab/edge_token"), "eyJhbGciOiJIUzI1NiJ9.sbxt-edge-token.c2lnbmF0dXJl").expect("token");
    for format in ["human", "json"] {
        let out = world.doctor(&["--format", format]);
        let text = said(&out);
        assert_eq!(out.status.code(), Some(0), "{format}: {text}");
        assert!(!text.contains("hunter2") && !text.contains("sbxt-edge-token"), "{format}: {text}");
        assert!(flat(&text).contains("127.0.0.1"), "{format}: {text}");
    }
}

#[test]
fn with_no_engine_the_registered_gateways_are_still_checked() {
    let world = World::new();
    fs::remove_file(world.bin().join("docker")).expect("rm the stand-in");
    world.active_answering("lab");
    let out = world.doctor(&[]);
    let text = said(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(passed(&text, "engine"), Some(false), "{text}");
    assert_eq!(passed(&text, "gateway lab"), Some(true), "{text}");
    assert!(flat(&text).contains("openshell-cluster-* containers not listed: the engine does not answer"), "{text}");
    assert_eq!(passed(&text, "free space"), None, "{text}");
}
