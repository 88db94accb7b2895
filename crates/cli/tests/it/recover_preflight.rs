//! What a recovery needs on this machine past its first change — a program a later step
//! runs, a create's `--policy` file — is checked before that change: a recovery that
//! cannot finish changes nothing.

use std::fs;

use crate::common::{read_as_prose, workspace};
use crate::stand_in::StandIn;

#[test]
fn a_policy_file_or_a_program_the_last_step_needs_that_is_not_here_stops_it_before_any_change() {
    let stand = StandIn::new();
    let example = workspace().join("examples/upload-404-podman.log").display().to_string();
    let create = ["--", "openshell", "sandbox", "create", "--from", "./Dockerfile", "-g", "nemoclaw", "--policy", "./no-such-policy.yaml"];
    let args: Vec<&str> = [example.as_str(), "--apply", "--yes"].into_iter().chain(create).collect();
    let out = stand.run(&args, &[]);
    assert_eq!(out.status.code(), Some(5), "{}", read_as_prose(&out));
    assert!(read_as_prose(&out).contains("reads `./no-such-policy.yaml`, which is not on this machine"), "{}", read_as_prose(&out));
    // Only the probes before the first change ran: nothing was tagged, saved or created.
    assert!(stand.log().lines().all(|l| l.starts_with("podman inspect") || l.starts_with("podman image inspect")), "{}", stand.log());
    // The same with the policy here but no `openshell` to create with.
    fs::remove_file(stand.dir.path().join("openshell")).expect("remove the stand-in");
    // (PATH without the rest of this machine's: an `openshell` installed here is not seen.)
    let path = format!("{}:/usr/bin:/bin", stand.dir.path().display());
    let out = stand.run(&args[..args.len() - 2], &[("PATH", path.as_str())]);
    assert_eq!(out.status.code(), Some(5), "{}", read_as_prose(&out));
    assert!(read_as_prose(&out).contains("runs `openshell`, which is not installed here (not on PATH)"), "{}", read_as_prose(&out));
}
