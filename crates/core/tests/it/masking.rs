//! Secrets never leave, however they are written or wrapped: clipped lines and commands
//! are masked before the clip, hidden bytes cannot split a secret, a long line is cut
//! between elements, every documented format is masked and look-alikes are left alone.

use sandbox_triage_core::{redact, redact_bytes, CreateInvocation};

use crate::support::{create, every_output, plan_for, streamed};

#[test]
fn a_secret_at_a_clip_edge_is_masked_before_the_clip() {
    // A failed command is kept to 2000 characters: a proxy password near the cut.
    let url = "http://admin:S3cretPassw0rd";
    let pad = "x".repeat(2000 - "/bin/sh -c curl -x ".len() - url.len() - 1);
    let command = format!("/bin/sh -c curl -x {pad} {url}@proxy.corp:3128 https://example.com");
    let log = format!("Step 1/2 : FROM node:22\nStep 2/2 : RUN curl\nThe command '{command}' returned a non-zero code: 1\n");
    let shown = every_output(&create(&log, Some(1)), None);
    assert!(!shown.contains("S3cret"), "the command's password leaked");
    // Evidence lines are kept to 4096 characters around the match: a key around the cut.
    let body: String =
        (0..1700).map(|i| char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[i * 7 % 62])).collect();
    let key = format!("-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n");
    let jwt = format!("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.{body}");
    for secret in [format!("\"private_key\":\"{key}\""), format!("\"h\":\"Authorization: Bearer {jwt}\"")] {
        let log = format!("{{{secret},\"error\":\"Connection reset by peer\",\"trace\":\"{}\"}}\n", "x".repeat(3000));
        let shown = every_output(&create(&log, Some(1)), None);
        for piece in body.as_bytes().chunks(24) {
            assert!(!shown.contains(std::str::from_utf8(piece).expect("ascii")), "part of the secret leaked");
        }
    }
}

#[test]
fn hidden_bytes_inside_a_secret_do_not_hide_it() {
    for line in [
        "token nvapi-\u{7}ABCDEFGHIJKLMNOPQRST",
        "token \u{1b}[32mnvapi-ABCDEFGHIJKLMNOPQRST\u{1b}[0m",
        "token nvapi-\u{9b}1234ABCDEFGHIJKLMNOPQRST",
    ] {
        let log = format!("Error: Connection reset by peer {line}\n");
        let shown = every_output(&create(&log, Some(1)), None);
        assert!(!shown.contains("HIJKLMNOPQRST"), "{line:?}: {shown}");
        assert!(!redact(line).contains("HIJKLMNOPQRST"), "{line:?}");
    }
    // A UTF-16 log (PowerShell 5.1's `>`): a NUL after every character.
    let utf16: Vec<u8> = "NVIDIA_API_KEY=nvapi-ABCDEFGHIJKLMNOP\n".bytes().flat_map(|b| [b, 0]).collect();
    let out: Vec<u8> = streamed(&utf16, 7).into_iter().filter(|b| *b != 0).collect();
    assert!(!String::from_utf8_lossy(&out).contains("ABCDEFGHIJKLMNOP"), "{}", String::from_utf8_lossy(&out));
}

#[test]
fn a_secret_across_a_long_lines_cut_is_masked() {
    let token = "nvapi-QQQRSTUVWXYZ0123456789abcdefghij";
    let prefix = "{\"data\":\"";
    let filler = "a".repeat((1 << 20) - prefix.len() - "\",\"k\":\"".len() - 9);
    let line = format!("{prefix}{filler}\",\"k\":\"{token}\"}}\n");
    for chunk in [64 * 1024, 1 << 20, 3 << 20] {
        let out = streamed(line.as_bytes(), chunk);
        assert!(!String::from_utf8_lossy(&out).contains("QQQRSTUVWXYZ"), "chunk {chunk}");
        assert_eq!(out.len(), line.len() - (token.len() - "nvapi-***".len()), "nothing else changed");
    }
}

#[test]
fn documented_formats_are_masked_wherever_they_are() {
    let cases = [
        ("git clone https://ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345@github.com/org/repo.git", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"),
        (r#"{\"password\":\"hunter2\"}"#, "hunter2"),
        (r#"PASSWORD=\"hunter2xyz\""#, "hunter2xyz"),
        (r#"tool --password "hunter2q" --verbose"#, "hunter2q"),
        (r#"curl -H 'Authorization: Bearer "abcdefgh12345678"'"#, "abcdefgh12345678"),
        ("docker login -u bot -phunter2w registry.io", "hunter2w"),
        ("DB_PASSWORD=Abc;Def123", "Def123"),
        ("https://user:p@ss@host.example.com/", "ss@host"),
        (r#"{"auths":{"nvcr.io":{"auth":"JG9hdXRodG9rZW46bnZhcGktc2VjcmV0"}}}"#, "JG9hdXRodG9rZW46"),
        ("_auth=dXNlcjpodW50ZXIy", "dXNlcjpodW50ZXIy"),
        ("machine github.com login bob password hunter2m", "hunter2m"),
        ("    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ", "LS0tLS1CRUdJTiBSU0Eg"),
        ("PGPASSWORD=hunter2p psql -h db", "hunter2p"),
        ("mysql -u root -phunter2s -h db", "hunter2s"),
        ("curl -u admin:hunter2c https://x", "hunter2c"),
    ];
    for (line, secret) in cases {
        assert!(!redact(line).contains(secret), "{line} -> {}", redact(line));
        let log = format!("  Step 2/3 : RUN setup\n  {line}\nThe command '/bin/sh -c setup {line}' returned a non-zero code: 1\n");
        let shown = every_output(&create(&log, Some(1)), None);
        assert!(!shown.contains(secret), "{line}: {shown}");
    }
    // A YAML block scalar under a secret's name, streamed.
    let yaml = b"config:\n  password: |\n    multilinesecret2\n\n    second-line-secret\n  user: bob\n";
    assert_eq!(streamed(yaml, 5), b"config:\n  password: |\n    ***\n\n    ***\n  user: bob\n");
}

#[test]
fn references_and_prose_are_left_alone() {
    for line in [
        "credential: Missing",
        "password: Required",
        "RUN --mount=type=secret,id=tok TOKEN=$(cat /run/secrets/tok) npm ci",
        "password: ${{ secrets.DB_PASSWORD }}",
        "secret: \"{{ .Values.secret }}\"",
        "GITHUB_TOKEN: ${GITHUB_TOKEN:-}",
        "  apiKey: process.env.OPENAI_API_KEY",
        "ssh://git@github.com/org/repo.git",
        "mkdir -p /opt/app",
    ] {
        assert_eq!(redact(line), line);
        assert_eq!(&*redact_bytes(line.as_bytes()), line.as_bytes());
    }
}

#[test]
fn secret_flags_of_any_name_are_never_shown() {
    let argv = [
        "openshell",
        "sandbox",
        "create",
        "--name",
        "a",
        "--from",
        "./Dockerfile",
        "--registry-password",
        "Hunter2a",
        "--",
        "agent",
        "--hf-token",
        "abcdefghij1234567890",
        "--secret-key",
        "wJalrXUtnFEMI/K7MDENG",
        "-phunter2c",
    ];
    let log = "Error:   × failed to upload image tar into container\n  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-x\n";
    let shown = every_output(&create(log, Some(1)), Some(&argv));
    for secret in ["Hunter2a", "abcdefghij1234567890", "wJalrXUtnFEMI", "hunter2c"] {
        assert!(!shown.contains(secret), "{secret}: {shown}");
    }
    assert!(shown.contains("--hf-token \"${SANDBOX_TRIAGE_HF_TOKEN?}\"") && shown.contains("-p\"${SANDBOX_TRIAGE_PASSWORD?}\""), "{shown}");
    let error = CreateInvocation::parse(&["openshell", "sandbox", "frob", "--password", "hunter2g", "--db-password", "x1y2z3w4"])
        .expect_err("not a create")
        .to_string();
    assert!(!error.contains("hunter2g") && !error.contains("x1y2z3w4"), "{error}");
}

#[test]
fn the_create_context_shows_no_secret_and_no_escape() {
    let argv = [
        "openshell",
        "sandbox",
        "create",
        "--from",
        "nvapi-ABCDEFGHIJKLMNOPQRST",
        "--cpu",
        "4\u{1b}]0;PWNED\u{7}\u{1b}[2J",
        "--memory",
        "ghp_ABCDEFGHIJKLMNOPQRSTUVWX",
    ];
    let d = create("Error: sandbox entered Error phase\n", Some(1));
    let shown = every_output(&d, Some(&argv));
    assert!(!shown.contains("ABCDEFGHIJKLMNOPQRST") && !shown.contains("PWNED") && !shown.contains('\u{1b}'), "{shown}");
    let context = plan_for(&d, Some(&argv)).context.expect("a context");
    assert_eq!(context.resources.as_deref(), Some("cpu=4, memory=ghp_***"));
}

#[test]
fn a_provider_message_is_masked_once_joined() {
    let rules = crate::support::rules(sandbox_triage_core::Stage::ProviderValidation);
    let failure = sandbox_triage_core::ProviderFailure {
        message: "Unauthorized: Authorization: Bearer\n  abcdefgh12345678SECRET\n",
        http_status: Some(401),
        curl_status: None,
    };
    let d = sandbox_triage_core::classify_provider(rules, &failure);
    let shown = every_output(&d, None).to_lowercase();
    assert!(!shown.contains("abcdefgh12345678"), "{shown}");
}

#[test]
fn a_password_that_begins_with_a_dash_is_still_a_password() {
    let argv = ["openshell", "sandbox", "create", "--from", "./Dockerfile", "--", "agent", "--db-password", "-Xy7secretpw", "--verbose"];
    let log = "Error:   × failed to upload image tar into container\n  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-x\n";
    let shown = every_output(&create(log, Some(1)), Some(&argv));
    assert!(!shown.contains("Xy7secretpw"), "{shown}");
    assert!(shown.contains("--db-password \"${SANDBOX_TRIAGE_DB_PASSWORD?}\" --verbose"), "{shown}");
    // After `-p`, a short option is an option (`mysql -p -h db`).
    let argv = ["openshell", "sandbox", "create", "--from", "./Dockerfile", "--", "mysql", "-p", "-h", "db"];
    let shown = every_output(&create(log, Some(1)), Some(&argv));
    assert!(shown.contains("mysql -p -h db"), "{shown}");
}
