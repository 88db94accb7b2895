//! Kinds of the user's own: real logs no catalogue kind fits (copied from public issues,
//! in the corpus with their sources), each drafted by `rules new` into a rule naming a
//! kind of its own. It is answered under that id with its title, planned as its fix, and
//! nothing is ever run for it.

use std::fs;
use std::path::Path;

use crate::common::{run, stderr, stdout};

/// A real log, the stage it is output of, the kind of one's own it is, its title and
/// fix, and the line to draft from when the answer's evidence is not the one.
struct Own {
    log: &'static str,
    stage: &'static str,
    kind: &'static str,
    title: &'static str,
    fix: &'static str,
    line: Option<&'static str>,
}

const OWN: &[Own] = &[
    Own {
        log: "unknown__real-docker-for-linux-194-context-lstat-permission-denied",
        stage: "sandbox-create",
        kind: "build_context_unreadable",
        title: "The engine could not read the build context",
        fix: "Give the engine read access to the Dockerfile's directory (a snap-installed Docker reads only under your home directory), or move the directory where it can read it; then create again.",
        line: None,
    },
    Own {
        log: "unknown__real-fullsend-270-gateway-corrupted-cluster-state-6443-refused",
        stage: "gateway-start",
        kind: "gateway_cluster_state_corrupted",
        title: "The gateway's cluster never answered: its state is corrupted",
        fix: "Destroy the gateway and start it again (its sandboxes are lost); if it recurs, read the gateway container's logs.",
        line: Some("18"),
    },
    Own {
        log: "unknown__real-nemoclaw-2096-wsl2-cpuset-cgroup-v2",
        stage: "gateway-start",
        kind: "cgroup_cpuset_missing",
        title: "The host lacks the cgroup v2 cpuset controller the gateway needs",
        fix: "On WSL2, enable cgroup v2 with all controllers (kernelCommandLine = cgroup_no_v1=all in .wslconfig), run wsl --shutdown, then start the gateway again.",
        line: Some("1"),
    },
    Own {
        log: "unknown__real-openshell-457-rootless-podman-dev-kmsg",
        stage: "gateway-start",
        kind: "kmsg_unavailable",
        title: "The gateway's kubelet cannot open /dev/kmsg (rootless Podman)",
        fix: "Run the gateway under rootful Podman or Docker: a rootless engine cannot give the gateway /dev/kmsg.",
        line: None,
    },
    Own {
        log: "unknown__real-openshell-654-containerd-cri-inotify-too-many-open-files",
        stage: "gateway-start",
        kind: "inotify_instances_exhausted",
        title: "The host ran out of inotify instances",
        fix: "Raise the host's fs.inotify.max_user_instances (for example to 512, with sysctl), then start the gateway again.",
        line: None,
    },
    Own {
        log: "unknown__real-openshell-696-k3s-resolv-conf-flag",
        stage: "gateway-start",
        kind: "cluster_image_mismatched",
        title: "The gateway's cluster image does not match this OpenShell release",
        fix: "Start the gateway with the cluster image of the CLI's own release (remove an image override, or upgrade the CLI and the image together).",
        line: None,
    },
    Own {
        log: "unknown__real-openshell-756-orbstack-k3s-overlayfs-snapshotter",
        stage: "gateway-start",
        kind: "overlay_snapshotter_unsupported",
        title: "The gateway's containerd cannot mount overlayfs on this host's file system",
        fix: "Run the gateway on an engine whose storage supports nested overlayfs (on macOS, Docker Desktop or Colima instead of OrbStack's VirtioFS).",
        line: None,
    },
    Own {
        log: "unknown__real-openshell-852-gateway-no-healthcheck",
        stage: "gateway-start",
        kind: "cluster_image_no_healthcheck",
        title: "The gateway's cluster image has no health check, which starting the gateway needs",
        fix: "Use the cluster image of the CLI's own release (remove an image override), or upgrade the CLI and the image together.",
        line: None,
    },
];

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn json(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = run(args, b"");
    let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}{}", stdout(&out), stderr(&out)));
    (out.status.code(), value)
}

/// Each log drafted with only its kind's id, title and fix given (and the line, where
/// the answer's evidence is another): the rule answers its log under that id, and
/// `rules test` over all of them finds those logs' answers the only ones changed.
#[test]
fn real_logs_no_catalogue_kind_fits_become_kinds_of_ones_own() {
    let work = tempfile::tempdir().expect("temp dir");
    let corpus = crate::common::corpus();
    let mut dirs = Vec::new();
    for own in OWN {
        let case = corpus.iter().find(|c| c.name == own.log).unwrap_or_else(|| panic!("{} is in the corpus", own.log));
        assert_eq!(case.expected_kind(), Some("unknown"), "{}", own.log);
        let log = work.path().join(format!("{}.log", own.kind));
        fs::write(&log, &case.payload).expect("write");
        let rules = work.path().join(own.kind);
        let mut args =
            vec!["rules", "new", "--from", path(&log), "--stage", own.stage, "--kind", own.kind, "--title", own.title, "--fix", own.fix];
        args.extend(own.line.iter().flat_map(|line| ["--line", line]));
        args.extend(["-o", path(&rules)]);
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(0), "{}: {}{}", own.log, stdout(&out), stderr(&out));
        let (_, answer) =
            json(&["classify", "--stage", own.stage, "--exit-status", "1", "--rules", path(&rules), "--format", "json", path(&log)]);
        assert_eq!(answer["kind"], own.kind, "{}: {answer}", own.log);
        assert_eq!(answer["user_kind"], serde_json::json!({ "id": own.kind, "title": own.title, "fix": own.fix }), "{}", own.log);
        dirs.push(rules);
    }
    let mut args = vec!["rules", "test", "--format", "json"];
    args.extend(dirs.iter().map(|d| path(d)));
    let (code, report) = json(&args);
    let mut changed: Vec<&str> = report["changed"].as_array().expect("changed").iter().filter_map(|c| c["log"].as_str()).collect();
    changed.sort_unstable();
    let mut expected: Vec<&str> = OWN.iter().map(|own| own.log).collect();
    expected.sort_unstable();
    assert_eq!(changed, expected, "{report}");
    assert!(
        report["failing_cases"].as_array().is_some_and(Vec::is_empty) && report["shadowed"].as_array().is_some_and(Vec::is_empty),
        "{report}"
    );
    // Their headers still say `unknown`: until each is updated, the changes are reported.
    assert_eq!(code, Some(1));
}

/// The rule file of a kind of one's own, in a directory of its own.
fn own_rule(dir: &Path) -> String {
    let rule = "id = 'mine.quota'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = 'quota_refused'\ntitle = 'The quota service refused the sandbox'\nfix = 'Ask for a larger quota, then create again.'\nanchors = ['quota']\npattern = 'quota service refused'\nexplanation = 'The quota service of this site refused the sandbox.'\n";
    fs::write(dir.join("quota.toml"), rule).expect("write");
    dir.to_str().expect("utf-8").to_owned()
}

const QUOTA_LOG: &str = "  Built image openshell/sandbox-from:1786000000\nError: quota service refused sandbox demo\n";

/// People see the kind's id with its title, then the fix as the plan's one manual step;
/// programs see the id and the `user_kind`; `recover` and `run --recover` run nothing.
#[test]
fn a_kind_of_ones_own_is_shown_planned_as_its_fix_and_never_carried_out() {
    let work = tempfile::tempdir().expect("temp dir");
    let rules = own_rule(work.path());
    let log = work.path().join("create.log");
    fs::write(&log, QUOTA_LOG).expect("write");
    let out = run(&["plan", "--rules", &rules, "--exit-status", "1", path(&log)], b"");
    let text = stdout(&out);
    assert!(text.starts_with("quota_refused (phase: "), "{text}");
    assert!(text.contains("\n  The quota service refused the sandbox (a kind of your own rules)\n"), "{text}");
    assert!(text.contains("Ask for a larger quota, then create again."), "{text}");

    let (_, plan) = json(&["plan", "--rules", &rules, "--exit-status", "1", "--format", "json", path(&log)]);
    assert_eq!(plan["diagnosis"]["kind"], "quota_refused");
    assert_eq!(plan["plan"]["headline"], "The quota service refused the sandbox.");
    let steps = plan["plan"]["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 1, "{plan}");
    assert_eq!(
        (&steps[0]["applicability"], &steps[0]["argv"], &steps[0]["pipeline"]),
        (&"manual".into(), &serde_json::Value::Null, &serde_json::Value::Null)
    );

    // Every permission given: still nothing runs, and it says so.
    let out = run(&["recover", "--rules", &rules, "--exit-status", "1", path(&log), "--apply", "--yes", "--allow-destructive"], b"");
    assert_eq!(out.status.code(), Some(5), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("this tool runs nothing for it"), "{}", stdout(&out));

    let script = format!("cat '{}'; exit 1", path(&log));
    let out = run(&["run", "--rules", &rules, "--recover", "--", "sh", "-c", &script], b"");
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    // The report goes to stderr, the command's own output to stdout.
    assert!(!stderr(&out).contains("carrying out") && !stderr(&out).contains("dry run"), "{}", stderr(&out));
    assert!(stderr(&out).contains("\nquota_refused (phase: export)\n"), "{}", stderr(&out));
    assert!(stderr(&out).contains("1. [manual] Ask for a larger quota, then create again."), "{}", stderr(&out));
}

/// Every output of a kind of one's own, as people and programs see it: the report, the
/// plan, the shell script and the JSON.
#[test]
fn every_output_of_a_kind_of_ones_own() {
    let work = tempfile::tempdir().expect("temp dir");
    let rules = own_rule(work.path());
    let example = crate::common::workspace().join("examples/quota-refused.log");
    let example = path(&example);
    for (name, format) in [
        ("classify_human", None),
        ("classify_json", Some("json")),
        ("plan_human", None),
        ("plan_sh", Some("sh")),
        ("plan_json", Some("json")),
    ] {
        let command = name.split('_').next().expect("a command");
        let mut args = vec![command, "--rules", &rules, "--exit-status", "1"];
        args.extend(format.iter().flat_map(|f| ["--format", f]));
        args.push(example);
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let text = stdout(&out).replace(&rules, "RULES");
        let text = if format == Some("json") {
            serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&text).expect("JSON")).expect("JSON") + "\n"
        } else {
            text
        };
        insta::assert_snapshot!(name, text);
    }
}

/// Kinds of one's own are told apart by their ids: in the rules' listing, and when the
/// answer `--early` printed is not the one the command ends with.
#[test]
fn kinds_of_ones_own_are_told_apart_by_their_ids() {
    let work = tempfile::tempdir().expect("temp dir");
    let rules = own_rule(work.path());
    let disk = "id = 'mine.disk'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = 'site_disk'\ntitle = 'The site disk broke'\nfix = 'Mend the site disk.'\npriority = 60\nanchors = ['site disk']\npattern = 'site disk broken'\nexplanation = 'The disk.'\n";
    fs::write(work.path().join("disk.toml"), disk).expect("write");
    let (_, listing) = json(&["rules", "--rules", &rules, "--format", "json"]);
    let kinds: Vec<(&str, &str)> = listing["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter(|r| r["id"].as_str().is_some_and(|id| id.starts_with("mine.")))
        .map(|r| (r["id"].as_str().unwrap_or_default(), r["kind"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(kinds, [("mine.disk", "site_disk"), ("mine.quota", "quota_refused")]);

    let first = work.path().join("first.log");
    fs::write(&first, QUOTA_LOG).expect("write");
    let script = format!("cat '{}'; sleep 1; echo 'Error: site disk broken'; exit 1", path(&first));
    let out = run(&["run", "--rules", &rules, "--early", "--", "sh", "-c", &script], b"");
    let said = stderr(&out);
    assert!(said.contains("the command is failing (it has not exited yet)\nquota_refused"), "{said}");
    assert!(said.contains("the diagnosis changed once the command ended\nsite_disk (phase: export)"), "{said}");
}
