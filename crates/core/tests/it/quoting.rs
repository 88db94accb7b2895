//! Rendering words for a shell, byte for byte, without starting one: what each quoting
//! decision produces (the `shells` binary runs the renderings through real shells).

use sandbox_triage_core::{render_bytes, RenderError, Shell};

/// An argv of UTF-8 words, as bytes, rendered for `shell`.
fn rendered(argv: &[&str], shell: Shell) -> Result<Vec<u8>, RenderError> {
    let argv: Vec<Vec<u8>> = argv.iter().map(|a| a.as_bytes().to_vec()).collect();
    render_bytes(&argv, shell)
}

#[test]
fn a_utf8_byte_argv_is_quoted_word_by_word_and_joined_by_single_spaces() {
    let argv = ["docker", "tag", "it's", "a b", ""];
    assert_eq!(rendered(&argv, Shell::Posix), Ok(br"docker tag 'it'\''s' 'a b' ''".to_vec()));
    assert_eq!(rendered(&argv, Shell::Fish), Ok(br"docker tag 'it\'s' 'a b' ''".to_vec()));
}

#[test]
fn a_one_word_byte_argv_has_no_space_around_it() {
    // The separator goes between words only: a leading space would be harmless to a
    // shell but is not what the user copies.
    assert_eq!(rendered(&["ls"], Shell::Posix), Ok(b"ls".to_vec()));
    assert_eq!(rendered(&["ls", "-l"], Shell::Fish), Ok(b"ls -l".to_vec()));
}

#[test]
fn only_the_program_word_of_a_byte_argv_is_forced_into_quotes() {
    // Bare, `A=b` first is an assignment and `if` a keyword; later they are plain
    // arguments and stay bare.
    assert_eq!(rendered(&["A=b", "if", "A=b"], Shell::Posix), Ok(b"'A=b' if A=b".to_vec()));
    assert_eq!(rendered(&["if", "if", "A=b"], Shell::Fish), Ok(b"'if' if A=b".to_vec()));
}

#[test]
fn a_quote_in_non_utf8_bytes_is_closed_escaped_and_reopened_in_posix_shells() {
    // Inside single quotes a POSIX shell takes every byte as it is, backslash
    // included; only the quote itself must leave the quotes.
    let argv = vec![b"printf".to_vec(), b"\xff'\\x".to_vec()];
    assert_eq!(render_bytes(&argv, Shell::Posix), Ok(b"printf '\xff'\\''\\x'".to_vec()));
}

#[test]
fn non_utf8_bytes_without_a_quote_are_single_quoted_unchanged_in_posix_shells() {
    let argv = vec![b"\xfe\xff".to_vec(), b"a\x80b".to_vec()];
    assert_eq!(render_bytes(&argv, Shell::Posix), Ok(b"'\xfe\xff' 'a\x80b'".to_vec()));
}

#[test]
fn fish_escapes_quotes_and_backslashes_in_non_utf8_bytes_and_nothing_else() {
    // Fish reads `\'` and `\\` inside single quotes; every other byte is itself.
    let argv = vec![b"printf".to_vec(), b"\xff'\\x".to_vec()];
    assert_eq!(render_bytes(&argv, Shell::Fish), Ok(b"printf '\xff\\'\\\\x'".to_vec()));
    let argv = vec![b"a\x80b".to_vec()];
    assert_eq!(render_bytes(&argv, Shell::Fish), Ok(b"'a\x80b'".to_vec()));
}

#[test]
fn a_byte_argv_for_powershell_or_json_is_rendered_as_text() {
    let argv = ["printf", "it's"];
    assert_eq!(rendered(&argv, Shell::PowerShell), Ok(b"& 'printf' 'it''s'".to_vec()));
    assert_eq!(rendered(&argv, Shell::Json), Ok(br#"["printf","it's"]"#.to_vec()));
}

#[test]
fn a_byte_argv_that_is_not_text_is_refused_for_powershell_and_json() {
    let argv = vec![b"printf".to_vec(), b"\xff".to_vec()];
    assert_eq!(render_bytes(&argv, Shell::PowerShell), Err(RenderError::NotText));
    assert_eq!(render_bytes(&argv, Shell::Json), Err(RenderError::NotText));
}

#[test]
fn an_empty_byte_argv_or_one_with_a_nul_is_refused_in_every_shell() {
    let with_nul = vec![b"printf".to_vec(), b"a\0b".to_vec()];
    for shell in [Shell::Posix, Shell::Fish, Shell::PowerShell, Shell::Json] {
        assert_eq!(render_bytes(&[], shell), Err(RenderError::Empty), "{shell}");
        assert_eq!(render_bytes(&with_nul, shell), Err(RenderError::Nul), "{shell}");
    }
}
