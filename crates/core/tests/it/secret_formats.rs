//! Every secret format is masked in the library, whatever line holds it, streamed or
//! not, in every output of a diagnosis; ordinary text that only looks like one (a word
//! after `Bearer`, a BuildKit secret's file, a package named `sk-…`) is left alone.

use sandbox_triage_core::{carries_secret, redact, redact_bytes};
use sandbox_triage_testkit::secrets::{ORDINARY_TEXTS, SECRET_FORMATS};

use crate::support::{create, every_output, streamed};

#[test]
fn every_format_is_masked_as_the_others_are() {
    let failures: Vec<String> = SECRET_FORMATS
        .iter()
        .filter(|s| redact(s.line) != s.masked || !carries_secret(s.line))
        .map(|s| format!("{}: {} -> {}", s.format, s.line, redact(s.line)))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_format_is_masked_when_streamed_in_pieces() {
    let text: String = SECRET_FORMATS.iter().flat_map(|s| [s.line, "\n"]).collect();
    let expected: String = SECRET_FORMATS.iter().flat_map(|s| [s.masked, "\n"]).collect();
    for chunk in [1, 7, 64, 1 << 16] {
        assert_eq!(String::from_utf8_lossy(&streamed(text.as_bytes(), chunk)), expected, "chunk {chunk}");
    }
}

#[test]
fn every_format_is_masked_in_every_output_of_a_diagnosis() {
    for sample in SECRET_FORMATS {
        let log = format!("Error: Connection reset by peer {}\n", sample.line);
        let shown = every_output(&create(&log, Some(1)), None);
        assert!(!shown.contains(sample.hidden), "{}: {shown}", sample.format);
        let step = format!("  Step 2/3 : RUN setup\n  {0}\nThe command '/bin/sh -c setup {0}' returned a non-zero code: 1\n", sample.line);
        let shown = every_output(&create(&step, Some(1)), None);
        assert!(!shown.contains(sample.hidden), "{}: {shown}", sample.format);
    }
}

#[test]
fn ordinary_text_is_left_byte_for_byte() {
    let changed: Vec<String> =
        ORDINARY_TEXTS.iter().filter(|t| redact(t) != **t || carries_secret(t)).map(|t| format!("{t} -> {}", redact(t))).collect();
    assert!(changed.is_empty(), "{}", changed.join("\n"));
    let text: String = ORDINARY_TEXTS.iter().flat_map(|t| [*t, "\n"]).collect();
    assert_eq!(&*redact_bytes(text.as_bytes()), text.as_bytes());
}

#[test]
fn real_bearer_tokens_and_openai_keys_stay_masked() {
    for (line, hidden) in [
        ("Authorization: Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJhIn0.c2lnbmF0dXJlc2lnbmF0dXJl", "c2lnbmF0dXJl"),
        ("Authorization: Bearer 9fK2mQ7xLp4Rt8Wz1Nc6Vb3Hd5Gs0Jy2Ue7Ai4Ko", "9fK2mQ7xLp4Rt8Wz1Nc6"),
        ("Authorization: Bearer abcdefghijklmnopqrstuvwxyzabcdef", "abcdefghijklmnopqrstuvwxyzabcdef"),
        ("bearer Qm9va2luZ1Rva2VuMTIz", "Qm9va2luZ1Rva2VuMTIz"),
        ("OPENAI sk-proj-Xq2v9LmT4pR7sW1zK8nB3cY6hJ0dF5gA_e-uI2oP7qL9xZ", "Xq2v9LmT4pR7sW1zK8nB3"),
        ("ANTHROPIC sk-ant-api03-Hq7vR2mK9pL4sT8wZ1yB3nC6xJ0dF5gA2eU7iO4kQ9lM-aBcDeFgH", "Hq7vR2mK9pL4sT8wZ1yB3"),
        ("legacy sk-Tz8Kq2Lm4Np6Rs8Uv0Wx2Yz4Ab6Cd8Ef0Gh2Ij4Kl6Mn8Op0Q", "Tz8Kq2Lm4Np6Rs8Uv0Wx"),
        ("deepseek sk-4f9a1c2e7b8d4e6f9a0b1c2d3e4f5a6b", "4f9a1c2e7b8d4e6f9a0b"),
    ] {
        assert!(!redact(line).contains(hidden), "{line} -> {}", redact(line));
    }
}
