//! Arbitrary bytes never panic the classifier, and the answer does not depend on how
//! the input is cut into pieces or on the scan buffer's size.

use proptest::prelude::*;
use sandbox_triage_core::{Classifier, Diagnosis, Options, Stage, StageRules};

/// Pieces real output is made of, so generated input reaches the rules, not only the
/// scanner: phrases, markers, summaries, escapes, rewrites, invalid UTF-8.
const FRAGMENTS: &[&[u8]] = &[
    b"\n",
    b"\r",
    b"\r\n",
    b"  Step 4/35 : RUN apt-get update\n",
    b"STEP 2/5: RUN npm ci\n",
    b"#7 [3/6] RUN make\n",
    b"  Built image openshell/sandbox-from:1786000000\n",
    b"  Built image x;curl|sh\n",
    b"  Pushing image openshell/sandbox-from:1 into gateway \"gw\"\n",
    b"  [progress] Exported 2459 MiB\n",
    b"  [progress] Uploaded to gateway\n",
    b"Created sandbox: demo\n",
    b"Connection reset by peer",
    b"failed to upload image tar into container",
    b"Docker responded with status code 404: no container with name or ID \"openshell-cluster-x\" found",
    b"The command '/bin/sh -c ",
    b"openclaw plugins install npm:@openclaw/brave-plugin --pin",
    b"' returned a non-zero code: 1\n",
    b"ERROR: failed to solve: process \"/bin/sh -c x\" did not complete successfully: exit code: 1\n",
    b"npm error code ENOTFOUND\n",
    b"npm error network request to https://registry.npmjs.org/@openclaw%2fbrave-plugin failed, reason: getaddrinfo ENOTFOUND\n",
    b"CDI device injection failed: unresolvable CDI devices",
    b"  \xe2\x94\x82 nvidia.com/gpu=all\n",
    b"invalid peer certificate: BadSignature\n",
    b"no space left on device\n",
    b"Killed\n",
    b"WARNING: ",
    b"\x1b[1;31m",
    b"\x1b[0m",
    b"\x1b]8;;http://x\x07",
    b"\xff\xfe\xc3",
    b"\x00",
    b"migration 4 was previously applied but\n  \xe2\x94\x82 has been modified\n",
    b"NVIDIA_API_KEY=nvapi-abcdefghijklmnopqrstuvwxyz ",
];

fn log_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        3 => proptest::sample::select(FRAGMENTS).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 0..40),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

fn classify_in_pieces(rules: &StageRules, options: Options, capacity: usize, input: &[u8], cuts: &[usize]) -> Diagnosis {
    let mut classifier = Classifier::with_buffer(rules, options, capacity);
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
    cuts.sort_unstable();
    let mut start = 0;
    for cut in cuts {
        classifier.feed(&input[start..cut]);
        start = cut;
    }
    classifier.feed(&input[start..]);
    classifier.finish()
}

fn options(exit: Option<i32>) -> Options {
    Options { exit_status: exit, ..Options::default() }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..2048), exit in proptest::option::of(any::<i32>())) {
        for stage in Stage::all() {
            let rules = crate::support::rules(stage);
            let diagnosis = classify_in_pieces(rules, options(exit), 64, &input, &[]);
            let _ = sandbox_triage_core::diagnosis_json(&diagnosis);
            let _ = sandbox_triage_core::diagnosis_human(&diagnosis, sandbox_triage_core::Style::default());
        }
    }

    #[test]
    fn the_answer_does_not_depend_on_how_input_is_cut(input in log_bytes(), cuts in proptest::collection::vec(any::<usize>(), 0..8), exit in proptest::option::of(0i32..3)) {
        for stage in [Stage::SandboxCreate, Stage::GatewayStart] {
            let rules = crate::support::rules(stage);
            let whole = classify_in_pieces(rules, options(exit), 97, &input, &[]);
            let pieces = classify_in_pieces(rules, options(exit), 97, &input, &cuts);
            prop_assert_eq!(whole, pieces);
        }
    }

    #[test]
    fn the_answer_does_not_depend_on_the_buffer_size_when_lines_fit(input in log_bytes(), exit in proptest::option::of(0i32..3)) {
        // Lines longer than the small buffer are examined in pieces; keep them shorter.
        prop_assume!(input.split(|&b| b == b'\n').all(|line| line.len() < 200));
        let rules = crate::support::rules(Stage::SandboxCreate);
        let small = classify_in_pieces(rules, options(exit), 256, &input, &[]);
        let large = classify_in_pieces(rules, options(exit), 1 << 20, &input, &[]);
        prop_assert_eq!(small, large);
    }
}

#[test]
fn a_single_100_mib_line_is_read_in_bounded_pieces() {
    let rules = crate::support::rules(Stage::SandboxCreate);
    let mut classifier = Classifier::new(rules, Options::default());
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..100 {
        classifier.feed(&chunk);
    }
    classifier.feed(b" invalid peer certificate: BadSignature");
    let diagnosis = classifier.finish();
    assert_eq!(diagnosis.kind, sandbox_triage_core::Kind::TlsCertMismatch);
    assert_eq!(diagnosis.lines, 1);
    assert!(diagnosis.evidence[0].text.chars().count() < 300, "evidence is clipped");
}

#[test]
fn empty_and_binary_input_are_unknown() {
    let rules = crate::support::rules(Stage::SandboxCreate);
    for input in [&b""[..], b"\0\0\0\xff\xfe", b"\n\n\n", b"\r\r\r"] {
        let d = classify_in_pieces(rules, Options::default(), 1 << 20, input, &[]);
        assert_eq!(d.kind, sandbox_triage_core::Kind::Unknown, "{input:?}");
    }
}

proptest! {
    // Each case classifies a log and places it twice: fewer cases keep the suite quick.
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_dockerfiles_never_panic_the_placing(
        dockerfile in r##"([A-Za-z]{0,4}[ \t\\`&|;'"#<>é\n-]{0,3}){0,60}"##,
        command in r#"[a-z &|;'"\\é]{0,40}"#,
    ) {
        let log = format!("Step 2/3 : RUN {command}\n/bin/sh: 1: {command}: not found\nThe command '/bin/sh -c {command}' returned a non-zero code: 127\n");
        let rules = crate::support::rules(Stage::SandboxCreate);
        let mut diagnosis = classify_in_pieces(rules, options(Some(127)), 64, log.as_bytes(), &[]);
        sandbox_triage_core::place_in_dockerfile(&mut diagnosis, "Dockerfile", &dockerfile);
        sandbox_triage_core::place_in_dockerfile(&mut diagnosis, "Dockerfile", &format!("FROM a\nRUN {command}\n{dockerfile}"));
        let _ = sandbox_triage_core::diagnosis_human(&diagnosis, sandbox_triage_core::Style::default());
    }
}
