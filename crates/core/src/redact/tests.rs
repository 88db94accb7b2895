use super::*;

#[test]
fn masks_every_format_and_keeps_images() {
    let cases = [
        ("NVIDIA_API_KEY=nvapi-abcdefghijklmnop1234", "nvapi-abcdefghijklmnop1234"),
        ("key sk-proj-abcdefghijklmnopqrstuv", "abcdefghijklmnopqrstuv"),
        ("token ghp_abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwx"),
        ("github_pat_11ABCDEFG0123456789_abcdef", "0123456789_abcdef"),
        ("slack xoxb-1234567890-abcdef", "1234567890-abcdef"),
        ("dckr_pat_abcdefghijkl", "abcdefghijkl"),
        ("hf_abcdefghijklmnopqrstu", "abcdefghijklmnopqrstu"),
        ("AKIAABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOP"),
        ("Authorization: Bearer abc.def.ghi-123", "abc.def.ghi-123"),
        ("https_proxy=http://user:hunter2@proxy:3128", "hunter2"),
        ("BRAVE_API_KEY=BSAsecretvalue", "BSAsecretvalue"),
        ("DB_PASSWORD='p a s s'", "p a s s"),
        ("{\"api_key\": \"k3y-in-json\"}", "k3y-in-json"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----", "MIIEabc"),
    ];
    for (input, secret) in cases {
        let out = redact(input);
        assert!(!out.contains(secret), "{input} -> {out}");
    }
    assert_eq!(redact("{\"api_key\": \"k3y\", \"n\": 1}"), "{\"api_key\": \"***\", \"n\": 1}");
    let placeholder = r#"env SLACK_BOT_TOKEN="${SLACK_BOT_TOKEN:?}" API_TOKEN=$API_TOKEN prog"#;
    assert_eq!(redact(placeholder), placeholder);
    assert_eq!(redact("DB_PASSWORD=$ecret-value"), "DB_PASSWORD=***");
    let keep = "Built image openshell/sandbox-from:1786000000 sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa localhost:5000/x:y npm:@openclaw/brave-plugin@1";
    assert_eq!(redact(keep), keep);
}

#[test]
fn masks_the_formats_added_since() {
    let cases = [
        ("Authorization: Basic dXNlcjpodW50ZXIy", "dXNlcjpodW50ZXIy"),
        ("proxy https://:hunter2pass@proxy.corp:3128", "hunter2pass"),
        ("GITLAB glpat-abcdefghij0123456789", "abcdefghij0123456789"),
        ("//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyz0123456789"),
        ("cookie eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "dozjgNryP4J3jVmNHl0w5N"),
        ("docker login -u bot -p Hunter2Pass registry.example.com", "Hunter2Pass"),
        ("tool --password hunter22 --verbose", "hunter22"),
        ("tool --token=abc123def456", "abc123def456"),
        ("SMTP_PASS=mailpass1", "mailpass1"),
        ("DB_PWD=pwd-value-9", "pwd-value-9"),
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBGF\n-----END PGP PRIVATE KEY BLOCK-----", "lQOYBGF"),
        (
            "a -----BEGIN PRIVATE KEY-----AAA-----END PRIVATE KEY----- b -----BEGIN EC PRIVATE KEY-----BBB-----END EC PRIVATE KEY-----",
            "BBB",
        ),
    ];
    for (input, secret) in cases {
        let out = redact(input);
        assert!(!out.contains(secret), "{input} -> {out}");
    }
}

#[test]
fn leaves_legitimate_lines_byte_identical() {
    for line in [
        "Collecting tokenizers==0.15.2",
        "max_tokens: 4096",
        "ENV TOKENIZERS_PARALLELISM=false",
        "credential: missing",
        "failed to fetch oauth token: unexpected status: 401 Unauthorized",
        "FROM nvcr.io/nvidia/tokenizer:24.01",
        "docker.io/acme/secret-store:1.2 and ghcr.io/acme/credential-helper@sha256:0123456789abcdef0123456789abcdef",
        "# set NVIDIA_API_KEY: the sandbox's runtime environment is not echoed; export it before running",
        "password: required",
        "Successfully installed keyring-24.3.0 secretstorage-3.3.3",
        "mkdir -p /var/lib/secret && cp /models/hf_transformers_cache.tar /tmp",
        "apt-key adv --keyserver keyserver.ubuntu.com --recv-keys 0x1234",
        "token=${TOKEN:?} password=\"${DB_PASSWORD}\"",
    ] {
        assert_eq!(redact(line), line);
    }
}

#[test]
fn clipping_never_keeps_part_of_a_secret() {
    let key = "nvapi-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let line = format!("{} {key} {}", "x".repeat(300), "y".repeat(300));
    let focus = line.find("nvapi").unwrap_or(0) + 30;
    let shown = mask_then_clip(&line, focus, 60);
    assert!(!shown.contains("0123456789"), "{shown}");
}

fn stream(input: &[u8], piece: usize) -> Vec<u8> {
    let mut redactor = Redactor::new();
    let mut out = Vec::new();
    for chunk in input.chunks(piece.max(1)) {
        redactor.push(chunk, &mut out);
    }
    redactor.finish(&mut out);
    out
}

#[test]
fn streaming_keeps_every_other_byte() {
    let input = b"ok \xff\xfe line\nNVIDIA_API_KEY=nvapi-abcdefghijklmnop1234 tail\n-----BEGIN PRIVATE KEY-----\nAAAA\nBBBB\n-----END PRIVATE KEY-----\nafter\nno newline at end";
    let expected = b"ok \xff\xfe line\nNVIDIA_API_KEY=*** tail\n-----BEGIN PRIVATE KEY-----\n***\n***\n-----END PRIVATE KEY-----\nafter\nno newline at end".to_vec();
    for piece in [1, 3, 7, 64, 4096] {
        assert_eq!(String::from_utf8_lossy(&stream(input, piece)), String::from_utf8_lossy(&expected), "piece {piece}");
    }
}

#[test]
fn a_secret_at_the_long_line_piece_boundary_is_masked() {
    let key = "nvapi-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ";
    for offset in [10, 30, 50, 60] {
        let mut line = vec![b'a'; redactor_line_max() - offset];
        line.push(b' ');
        line.extend_from_slice(key.as_bytes());
        line.extend_from_slice(b" tail\n");
        let out = stream(&line, 1 << 16);
        assert!(memchr::memmem::find(&out, b"0123456789").is_none(), "offset {offset}");
        assert_eq!(out.len(), line.len() - (key.len() - "nvapi-***".len()));
    }
}

fn redactor_line_max() -> usize {
    1 << 20
}

#[test]
fn the_quick_paths_skip_only_lines_that_cannot_hold_a_secret() {
    // A URL whose `@` is in the path (npm's scoped packages) passes untouched; userinfo,
    // a token alone, and a trigger split by colour codes or a BEL are masked.
    let input = "npm http fetch GET 200 https://registry.npmjs.org/@babel%2fcore 20ms\n\
https://robot:pa55w0rd-xyz@registry.example.com/v2/\n\
git clone https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r\n\
\x1b[2K => [1/2] RUN echo NVIDIA_API_KEY=nv\x1b[0mapi-abcdefghijklmnopqrstu1234 0.1s\n\
\x1b[34m => [2/2] RUN make 1.0s\x1b[0m\n";
    let out = String::from_utf8_lossy(&stream(input.as_bytes(), 4096)).into_owned();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "npm http fetch GET 200 https://registry.npmjs.org/@babel%2fcore 20ms");
    assert!(!out.contains("pa55w0rd") && !out.contains("ghp_abcdef") && !out.contains("abcdefghijklmnopqrstu1234"), "{out}");
    assert_eq!(lines[4], "\x1b[34m => [2/2] RUN make 1.0s\x1b[0m");
}

/// An ASCII line is searched for the formats only when it holds one of the redactor's
/// triggers: whatever a format finds in one must hold a trigger. Off ASCII, every line is
/// searched (the formats' case folding matches `ſ` for `s`, which no trigger holds).
#[test]
fn what_a_format_finds_in_ascii_holds_a_trigger_and_other_lines_are_searched_whole() {
    for sample in sandbox_triage_testkit::secrets::SECRET_FORMATS.iter().filter(|s| s.line.is_ascii()) {
        let mut found = Vec::new();
        formats::formatted(sample.line.as_bytes(), &mut found);
        assert!(found.is_empty() || redactor::may_hold_secret(sample.line.as_bytes()), "{}: {}", sample.format, sample.line);
    }
    // Streamed or not: the triggers hold the folded spellings too.
    for folded in [
        "my\u{17f}ql -u root -phunter2",
        "machine h pa\u{17f}\u{17f}word hunter2",
        "machine h pa\u{17f}sword hunter2",
        "machine h pas\u{17f}word hunter2",
    ] {
        assert_eq!(secret_ranges(folded).len(), 1, "{folded}");
        assert!(redactor::may_hold_secret(folded.as_bytes()), "{folded}");
        assert!(!redact(folded).contains("hunter2"), "{folded}");
    }
    assert!(secret_ranges("mysql -u root -phunter2").len() == 1 && secret_ranges("mysql -u root").is_empty());
}
