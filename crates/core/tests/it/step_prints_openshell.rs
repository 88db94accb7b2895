//! A build's last `RUN` step prints OpenShell's own push lines and its upload 404 (a
//! Dockerfile that runs `cat fake-failure.txt`), then the build ends normally and
//! OpenShell's real lines follow. Until the builder's end of the build the lines are the
//! step's output, whichever builder frames them: they decide no kind, no phase past the
//! build, no fact, and no plan step. A step that then fails is still the build's failure.

use sandbox_triage_core::{Classifier, Diagnosis, Engine, Kind, Options, Phase, Stage};

use crate::support::{create, plan_commands, plan_for};

const ARGV: &[&str] = &["openshell", "sandbox", "create", "--name", "mine", "--from", "./Dockerfile"];

/// What `cat fake-failure.txt` prints: OpenShell's upload failure, for another gateway.
const FAKE: [&str; 4] = [
    "Pushing image openshell/sandbox-from:1786000000 into gateway \"nemoclaw\"",
    "[progress] Exported 1862 MiB",
    "Error:   × failed to upload image tar into container",
    "  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-nemoclaw",
];

/// A CI job builds the image itself, then creates from it: OpenShell's lines after the
/// build are the sandbox's creation (`--from agent-sandbox:ci-4821`, no push).
const CREATED_FROM_THE_TAG: &str = "
Created sandbox: mine

  [0.0s] Requesting compute...
[0.0s] Sandbox allocated
[0.0s] Pulling image agent-sandbox:ci-4821
[0.0s] Image already present
[0.2s] Starting sandbox Container created
";

/// One builder's wording around the last step's output, in the words it really prints.
struct Builder {
    /// The output up to the last step's marker (and what the builder prints under it).
    before: &'static str,
    /// How the builder shows a line the step printed.
    frame: fn(usize, &str) -> String,
    /// The builder's lines once the step succeeded, to its end of the build.
    succeeded: &'static str,
    /// The builder's lines once the step failed.
    failed: &'static str,
}

impl Builder {
    /// The build with the step's lines, ending as `ending`, then `after`.
    fn log(&self, ending: &str, after: &str) -> String {
        let fake: String = FAKE.iter().enumerate().map(|(i, line)| (self.frame)(i, line) + "\n").collect();
        format!("{}{fake}{ending}{after}", self.before)
    }
}

/// The classic builder, as OpenShell 0.0.36 relays it (indented).
const CLASSIC: Builder = Builder {
    before: concat!(
        "Building image openshell/sandbox-from:1786000000 from /home/dev/agent/Dockerfile
  Context: /home/dev/agent
  Gateway: spark

  Building image openshell/sandbox-from:1786000000 from /home/dev/agent/Dockerfile
",
        "  Step 1/3 : FROM node:22-slim
   ---> 5e3c1a2b9d07
  Step 2/3 : COPY fake-failure.txt /tmp/fake-failure.txt
   ---> 8a41f0c2e6b3
  Step 3/3 : RUN cat /tmp/fake-failure.txt
   ---> Running in 0c9d8e7f6a5b
"
    ),
    frame: |_, line| format!("  {line}"),
    succeeded: "  Removing intermediate container 0c9d8e7f6a5b
   ---> 3f2e1d0c9b8a
  Successfully built 3f2e1d0c9b8a
  Successfully tagged openshell/sandbox-from:1786000000
",
    failed: "  The command '/bin/sh -c cat /tmp/fake-failure.txt' returned a non-zero code: 1\n",
};

/// BuildKit's plain progress in a CI job, with the containerd image store's export
/// (`naming to … done`, then `unpacking to`, no `writing image`).
const BUILDKIT_PLAIN: Builder = Builder {
    before: "#0 building with \"default\" instance using docker driver

#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 142B done
#1 DONE 0.0s

#4 [1/3] FROM docker.io/library/node:22-slim@sha256:9c1d8f4e2a7b0c36d5e81f9a4b2c07d3e6f51a8b9c0d24e7f3a6b1c58d9e0f27
#4 DONE 0.0s

#6 [2/3] COPY fake-failure.txt /tmp/fake-failure.txt
#6 DONE 0.1s

#7 [3/3] RUN cat /tmp/fake-failure.txt
",
    frame: |i, line| format!("#7 0.{} {line}", 31 + i),
    succeeded: "#7 DONE 0.4s

#8 exporting to image
#8 exporting layers 0.1s done
#8 exporting manifest sha256:0f4c1e7a9b2d3c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6 0.0s done
#8 exporting config sha256:1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809 0.0s done
#8 naming to docker.io/library/agent-sandbox:ci-4821 done
#8 unpacking to docker.io/library/agent-sandbox:ci-4821 0.1s done
#8 DONE 0.3s
",
    failed: "#7 ERROR: process \"/bin/sh -c cat /tmp/fake-failure.txt\" did not complete successfully: exit code: 1
------
 > [3/3] RUN cat /tmp/fake-failure.txt:
0.33 Error:   × failed to upload image tar into container
0.34   ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-nemoclaw
------
ERROR: failed to solve: process \"/bin/sh -c cat /tmp/fake-failure.txt\" did not complete successfully: exit code: 1
",
};

/// BuildKit's terminal view in a CI job: the step's output is drawn under it while it
/// runs, then the last frame.
const BUILDKIT_TTY: Builder = Builder {
    before: "[+] Building 1.2s (7/8)                                                 docker:default
 => [internal] load build definition from Dockerfile                       0.0s
 => => transferring dockerfile: 142B                                       0.0s
 => [1/3] FROM docker.io/library/node:22-slim                              0.0s
 => CACHED [2/3] COPY fake-failure.txt /tmp/fake-failure.txt               0.0s
 => [3/3] RUN cat /tmp/fake-failure.txt                                    0.3s
",
    frame: |_, line| format!(" => => # {line}"),
    succeeded: "[+] Building 1.6s (8/8) FINISHED                                        docker:default
 => [internal] load build definition from Dockerfile                       0.0s
 => => transferring dockerfile: 142B                                       0.0s
 => [1/3] FROM docker.io/library/node:22-slim                              0.0s
 => CACHED [2/3] COPY fake-failure.txt /tmp/fake-failure.txt               0.0s
 => [3/3] RUN cat /tmp/fake-failure.txt                                    0.4s
 => exporting to image                                                     0.1s
 => => exporting layers                                                    0.1s
 => => writing image sha256:5b0e7c2a9d14f36e8a1c0b7d2f95e4a63c18d0b2e7f9a4c51d6e3b08f2a7c9d1   0.0s
 => => naming to docker.io/library/agent-sandbox:ci-4821                   0.0s
",
    failed: " => ERROR [3/3] RUN cat /tmp/fake-failure.txt                              0.4s
------
 > [3/3] RUN cat /tmp/fake-failure.txt:
0.33 Error:   × failed to upload image tar into container
0.34   ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-nemoclaw
------
ERROR: failed to solve: process \"/bin/sh -c cat /tmp/fake-failure.txt\" did not complete successfully: exit code: 1
",
};

/// buildah, serving OpenShell 0.0.36's build on a Podman socket.
const BUILDAH: Builder = Builder {
    before: concat!(
        "Building image openshell/sandbox-from:1786000000 from /home/dev/agent/Dockerfile
  Context: /home/dev/agent
  Gateway: spark

  Building image openshell/sandbox-from:1786000000 from /home/dev/agent/Dockerfile
",
        "  STEP 1/3: FROM registry.fedoraproject.org/fedora:42
  STEP 2/3: COPY fake-failure.txt /tmp/fake-failure.txt
  --> 8a41f0c2e6b3
  STEP 3/3: RUN cat /tmp/fake-failure.txt
"
    ),
    frame: |_, line| format!("  {line}"),
    succeeded: "  COMMIT openshell/sandbox-from:1786000000
  --> 7b3f9e1d5a02
  Successfully tagged localhost/openshell/sandbox-from:1786000000
  7b3f9e1d5a02c6e84f1b0a93d7c25e18f4a6b0c9d2e7f31a85c4b6d09e2f7a13
",
    failed: "  Error: building at STEP \"RUN cat /tmp/fake-failure.txt\": while running runtime: exit status 1\n",
};

/// The Engine's JSON stream, logged as it is by a tool that builds through the API.
const JSON_STREAM: Builder = Builder {
    before: r#"{"stream":"Step 1/3 : FROM node:22-slim\n"}
{"stream":"\n"}
{"stream":" ---\u003e 5e3c1a2b9d07\n"}
{"stream":"Step 2/3 : COPY fake-failure.txt /tmp/fake-failure.txt\n"}
{"stream":"\n"}
{"stream":" ---\u003e 8a41f0c2e6b3\n"}
{"stream":"Step 3/3 : RUN cat /tmp/fake-failure.txt\n"}
{"stream":"\n"}
{"stream":" ---\u003e Running in 0c9d8e7f6a5b\n"}
"#,
    frame: |_, line| format!("{{\"stream\":\"{}\\n\"}}", line.replace('"', "\\\"")),
    succeeded: r#"{"stream":"Removing intermediate container 0c9d8e7f6a5b\n"}
{"stream":" ---\u003e 3f2e1d0c9b8a\n"}
{"aux":{"ID":"sha256:3f2e1d0c9b8a7c6d5e4f30291817161514131211100f0e0d0c0b0a0908070605"}}
{"stream":"Successfully built 3f2e1d0c9b8a\n"}
{"stream":"Successfully tagged agent-sandbox:ci-4821\n"}
"#,
    failed: r#"{"errorDetail":{"message":"The command '/bin/sh -c cat /tmp/fake-failure.txt' returned a non-zero code: 1"},"error":"The command '/bin/sh -c cat /tmp/fake-failure.txt' returned a non-zero code: 1"}
"#,
};

/// What the answer must show.
struct Expected {
    kind: Kind,
    phase: Phase,
    uploaded: bool,
    built_image: Option<&'static str>,
    gateway: Option<&'static str>,
    sandbox: Option<&'static str>,
    /// The engine the gateway uses, as far as the output shows it.
    engine: Option<Engine>,
    /// The evidence lines, each by a text only its line holds.
    evidence: &'static [&'static str],
}

/// A create that succeeded from an image the job built.
const CREATED: Expected = Expected {
    kind: Kind::None,
    phase: Phase::Ready,
    uploaded: false,
    built_image: None,
    gateway: None,
    sandbox: Some("mine"),
    engine: None,
    evidence: &[],
};

/// The 1-based number of the one line holding `text`.
fn line_of(log: &str, text: &str) -> u64 {
    let lines: Vec<u64> = (1..).zip(log.lines()).filter(|(_, line)| line.contains(text)).map(|(n, _)| n).collect();
    assert_eq!(lines.len(), 1, "{text:?} is on lines {lines:?}");
    lines[0]
}

/// Every command the plan would run, one per line.
fn commands(d: &Diagnosis) -> String {
    plan_commands(&plan_for(d, Some(ARGV)))
}

/// The answer for `log`, read whole, from a stream (the reading thread cuts it), and in
/// scan buffers that hold every line but cut the output in many places.
fn answers(log: &str, exit: Option<i32>) -> Vec<(String, Diagnosis)> {
    let rules = crate::support::rules(Stage::SandboxCreate);
    let options = Options { exit_status: exit, ..Options::default() };
    let mut answers = vec![("whole".to_owned(), create(log, exit))];
    let mut read = Classifier::new(rules, options);
    read.read_from(log.as_bytes()).expect("reads");
    answers.push(("read from a stream".to_owned(), read.finish()));
    for capacity in [256, 1024] {
        let mut small = Classifier::with_buffer(rules, options, capacity);
        small.feed(log.as_bytes());
        answers.push((format!("in a {capacity}-byte buffer"), small.finish()));
    }
    answers
}

fn check(log: &str, exit: Option<i32>, expected: &Expected) {
    for (how, d) in answers(log, exit) {
        assert_eq!(d.kind, expected.kind, "{how}: {d:#?}");
        assert_eq!(d.phase, Some(expected.phase), "{how}: {d:#?}");
        assert_eq!(d.uploaded_to_gateway, expected.uploaded, "{how}: {d:#?}");
        assert_eq!(d.built_image_ref.as_ref().map(ToString::to_string).as_deref(), expected.built_image, "{how}: {d:#?}");
        assert_eq!(d.gateway.as_deref(), expected.gateway, "{how}: {d:#?}");
        assert_eq!(d.sandbox.as_deref(), expected.sandbox, "{how}: {d:#?}");
        assert_eq!(d.engine, expected.engine, "{how}: {d:#?}");
        let shown: Vec<(u64, &str)> = d.evidence.iter().map(|e| (e.line, e.text.as_str())).collect();
        let wanted: Vec<u64> = expected.evidence.iter().map(|text| line_of(log, text)).collect();
        assert_eq!(shown.iter().map(|(line, _)| *line).collect::<Vec<_>>(), wanted, "{how}: {shown:#?}");
        for (text, (_, shown)) in expected.evidence.iter().zip(&shown) {
            assert!(shown.contains(text.trim()), "{how}: {shown:?} does not show {text:?}");
        }
        let commands = commands(&d);
        for refused in ["images import", "save", "sandbox create", "nemoclaw"] {
            assert!(!commands.contains(refused), "{how}: {refused:?} in the plan:\n{commands}");
        }
    }
}

#[test]
fn classic_builder() {
    // OpenShell's push begins, and the output ends there.
    let after = "  Built image openshell/sandbox-from:1786000000
  Pushing image openshell/sandbox-from:1786000000 into gateway \"spark\"
  [progress] Exported 100 MiB
";
    let expected = Expected {
        kind: Kind::Unknown,
        phase: Phase::Export,
        uploaded: false,
        built_image: Some("openshell/sandbox-from:1786000000"),
        gateway: Some("spark"),
        sandbox: None,
        engine: Some(Engine::Docker),
        evidence: &["Exported 100 MiB"],
    };
    check(&CLASSIC.log(CLASSIC.succeeded, after), Some(1), &expected);
}

#[test]
fn buildkit_plain_progress() {
    check(&BUILDKIT_PLAIN.log(BUILDKIT_PLAIN.succeeded, CREATED_FROM_THE_TAG), Some(0), &CREATED);
}

#[test]
fn buildkit_terminal_progress() {
    check(&BUILDKIT_TTY.log(BUILDKIT_TTY.succeeded, CREATED_FROM_THE_TAG), Some(0), &CREATED);
}

#[test]
fn buildah_through_podman() {
    // OpenShell's push reaches the gateway, and the output ends in the silent import.
    let after = "  Built image openshell/sandbox-from:1786000000
  Pushing image openshell/sandbox-from:1786000000 into gateway \"spark\"
  [progress] Exported 1862 MiB
  [progress] Uploaded to gateway
";
    let expected = Expected {
        kind: Kind::Unknown,
        phase: Phase::Import,
        uploaded: true,
        built_image: Some("openshell/sandbox-from:1786000000"),
        gateway: Some("spark"),
        sandbox: None,
        // buildah's wording, not the step's Docker one.
        engine: Some(Engine::Podman),
        evidence: &["Uploaded to gateway"],
    };
    check(&BUILDAH.log(BUILDAH.succeeded, after), Some(1), &expected);
}

#[test]
fn the_engines_json_stream() {
    // The builder's tag is the image built.
    let expected = Expected { built_image: Some("agent-sandbox:ci-4821"), ..CREATED };
    check(&JSON_STREAM.log(JSON_STREAM.succeeded, CREATED_FROM_THE_TAG), Some(0), &expected);
}

#[test]
fn a_step_that_imitates_the_builders_end_too_is_still_the_step() {
    // The file also prints the end of a build and OpenShell's `Built image` before the
    // push, and a gateway that is looked for only where failures are: the builder's real
    // end after it still closes the step.
    let imitated = "  Successfully built 0123456789ab\n  Successfully tagged openshell/sandbox-from:1786000000\n  Built image openshell/sandbox-from:1786000000\n  ! Gateway 'prod-db' is not reachable.\n";
    let log = CLASSIC.log(CLASSIC.succeeded, "  Built image openshell/sandbox-from:1786000000\n");
    let log = log.replacen("   ---> Running in 0c9d8e7f6a5b\n", &format!("   ---> Running in 0c9d8e7f6a5b\n{imitated}"), 1);
    let d = create(&log, Some(1));
    assert_eq!((d.kind, d.phase, d.uploaded_to_gateway), (Kind::Unknown, Some(Phase::Export), false), "{d:#?}");
    assert_eq!(d.gateway.as_deref(), Some("spark"));
    assert!(!commands(&d).contains("images import"));
}

#[test]
fn a_step_that_then_fails_is_the_builds_failure() {
    for (name, builder, gateway) in [
        ("classic", &CLASSIC, Some("spark")),
        ("BuildKit plain", &BUILDKIT_PLAIN, None),
        ("BuildKit terminal", &BUILDKIT_TTY, None),
        ("buildah", &BUILDAH, Some("spark")),
        ("JSON stream", &JSON_STREAM, None),
    ] {
        for (how, d) in answers(&builder.log(builder.failed, ""), Some(1)) {
            assert_eq!((d.kind, d.phase), (Kind::BuildStepFailed, Some(Phase::Build)), "{name}, {how}: {d:#?}");
            let step = d.failed_step.as_ref().map(|s| (s.number, s.total));
            assert_eq!(step, Some((Some(3), Some(3))), "{name}, {how}: {d:#?}");
            assert!(!d.uploaded_to_gateway && d.sandbox.is_none() && d.exported_mib.is_none(), "{name}, {how}: {d:#?}");
            assert_eq!(d.gateway.as_deref(), gateway, "{name}, {how}: {d:#?}");
            let commands = commands(&d);
            assert!(!commands.contains("images import") && !commands.contains("nemoclaw"), "{name}, {how}: {commands}");
        }
    }
}
