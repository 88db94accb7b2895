//! The host's checks besides the gateways: the engine answers, room for images, the
//! `openshell` CLI and its era, a GPU's CDI spec.

use sandbox_triage_core::{Engine, Era, Os, Version};

use super::{finding, probe, Finding};
use crate::settings::Settings;

/// Free space below this where the engine keeps images fails the check: a sandbox
/// image and its export are several GiB.
const FREE_MIN_GIB: u64 = 10;

fn engine_start_fix(engine: Engine, os: Os) -> String {
    match (engine, os) {
        (Engine::Podman, Os::Linux) => "start it: `sudo systemctl start podman.socket` (or `systemctl --user start podman.socket`)".to_owned(),
        (Engine::Podman, _) => "start it: `podman machine start`".to_owned(),
        (_, Os::Macos) => "start it: `colima start`, or open Docker Desktop".to_owned(),
        (_, Os::Windows) => "start Docker Desktop".to_owned(),
        _ => "start it: `sudo systemctl start docker`; `permission denied` on the socket: add the user to the `docker` group and log in again".to_owned(),
    }
}

pub(super) fn engine_answers(engine: Engine, os: Os) -> Finding {
    let template = if engine == Engine::Podman { "{{.Version.Version}}" } else { "{{.ServerVersion}}" };
    match probe(&[engine.as_str(), "info", "--format", template]) {
        Ok(version) => finding("engine", true, format!("{engine} {version} answers"), None),
        Err(why) => finding("engine", false, format!("{engine} does not answer: {why}"), Some(engine_start_fix(engine, os))),
    }
}

/// The `openshell` check, and the era its version (or `--openshell-version`) says: the
/// gateway fixes depend on it.
pub(super) fn openshell_cli(settings: &Settings) -> (Finding, Option<Era>) {
    let fix = Some("install the OpenShell CLI and put `openshell` on PATH".to_owned());
    let Ok(answer) = probe(&["openshell", "--version"]) else {
        let era = settings.openshell_version.map(Version::era);
        return (finding("openshell", false, "the `openshell` CLI is not found or does not run", fix), era);
    };
    let version: Option<Version> = answer.parse().ok().or(settings.openshell_version);
    let era = version.map(Version::era);
    let meaning = match era {
        Some(Era::TarUpload) => "0.0.36 or older: the CLI uploads the built image into the gateway container (the upload failures, and their stream-import recovery, apply)",
        Some(Era::PackageManaged) => "0.0.37 or newer: nothing is uploaded; the gateway must find the image in its engine's store",
        _ => "a version this tool cannot read",
    };
    (finding("openshell", true, format!("{answer}: {meaning}"), None), era)
}

pub(super) fn free_space(engine: Engine) -> Finding {
    let template = if engine == Engine::Podman { "{{.Store.GraphRoot}}" } else { "{{.DockerRootDir}}" };
    let Ok(root) = probe(&[engine.as_str(), "info", "--format", template]) else {
        return finding("free space", false, "the engine does not say where it stores images", None);
    };
    match nix::sys::statvfs::statvfs(root.as_str()) {
        Ok(stat) => {
            let free = (stat.blocks_available() * stat.fragment_size()) >> 30;
            let fix = format!("free space: `{engine} system df`, then `{engine} image prune` or `{engine} builder prune`");
            finding("free space", free >= FREE_MIN_GIB, format!("{free} GiB free in {root}"), Some(fix))
        }
        // On macOS and Windows the store is inside the engine's VM.
        Err(_) => finding("free space", true, format!("{root} is not on this host (the engine's VM): not checked"), None),
    }
}

pub(super) fn gpu_cdi() -> Option<Finding> {
    let present = std::path::Path::new("/dev/nvidia0").exists() || probe(&["nvidia-smi", "-L"]).is_ok();
    if !present {
        return None;
    }
    let fix = Some("`sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml`".to_owned());
    Some(match probe(&["nvidia-ctk", "cdi", "list"]) {
        Ok(list) if list.lines().any(|l| l.trim() == "nvidia.com/gpu=all") => {
            finding("gpu cdi", true, "nvidia.com/gpu=all is defined", None)
        }
        Ok(_) => finding("gpu cdi", false, "a GPU is present but no CDI device nvidia.com/gpu=all is defined", fix),
        Err(why) => finding("gpu cdi", false, format!("a GPU is present but `nvidia-ctk cdi list` fails: {why}"), fix),
    })
}
