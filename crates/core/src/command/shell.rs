//! Commands as data, rendered for a shell with every word quoted.
//!
//! Words come from untrusted places (build output, the operator's own argv), so a
//! command is never built by joining strings: it is a list of [`Word`]s, and each shell
//! gets a rendering that passes exactly those words to the program. Values that must not
//! or cannot be shown are [`Part::Var`] placeholders: the rendered command reads them
//! from a variable of their own (`"${SANDBOX_TRIAGE_POLICY_FILE?}"` in POSIX shells,
//! which refuses to run while the variable is unset).

use std::fmt::Write as _;

use crate::command::{words, Part, Word, VARIABLE_PREFIX};

/// A shell to render for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::Display, strum::EnumString, strum::IntoStaticStr, strum::VariantNames)]
#[strum(parse_err_ty = crate::model::UnknownId, parse_err_fn = Shell::unknown)]
#[non_exhaustive]
pub enum Shell {
    /// `sh`, `bash`, `dash`, `zsh`, `ksh`.
    #[strum(to_string = "sh", serialize = "bash", serialize = "dash", serialize = "zsh", serialize = "posix")]
    Posix,
    /// fish.
    #[strum(to_string = "fish")]
    Fish,
    /// PowerShell (`pwsh`).
    #[strum(to_string = "powershell", serialize = "pwsh")]
    PowerShell,
    /// A JSON array of strings (placeholders as `<NAME>`), for programs.
    #[strum(to_string = "json")]
    Json,
}

crate::model::id::string_id!(Shell, "shell");

/// Why a command cannot be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// A NUL byte cannot be passed in an argv.
    #[error("an argument contains a NUL byte, which no program can receive")]
    Nul,
    /// Nothing to run.
    #[error("an empty command")]
    Empty,
    /// A placeholder name a shell would not read as a variable.
    #[error("'{0}' is not a valid placeholder name")]
    BadName(String),
    /// Bytes where text is needed.
    #[error("PowerShell and JSON take text; an argument is not valid UTF-8")]
    NotText,
}

/// Characters no shell treats specially anywhere in a word.
fn is_plain(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"_@%+=:,./-".contains(&b))
        // zsh expands a leading `=` (`=ls` is the path of ls); fish once expanded `%`.
        && !text.starts_with(['=', '%'])
}

fn check(words: &[Word]) -> Result<(), RenderError> {
    if words.is_empty() {
        return Err(RenderError::Empty);
    }
    for part in words.iter().flat_map(|w| &w.0) {
        match part {
            Part::Lit(s) if s.contains('\0') => return Err(RenderError::Nul),
            Part::Var(name) | Part::Env(name)
                if name.is_empty()
                    || !name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                    || name.as_bytes()[0].is_ascii_digit() =>
            {
                return Err(RenderError::BadName(name.clone()))
            }
            _ => {}
        }
    }
    Ok(())
}

fn posix_literal(text: &str, out: &mut String) {
    if is_plain(text) {
        out.push_str(text);
    } else {
        out.push('\'');
        out.push_str(&text.replace('\'', r"'\''"));
        out.push('\'');
    }
}

fn fish_literal(text: &str, out: &mut String) {
    if is_plain(text) {
        out.push_str(text);
    } else {
        out.push('\'');
        out.push_str(&text.replace('\\', r"\\").replace('\'', r"\'"));
        out.push('\'');
    }
}

/// PowerShell also ends single-quoted strings at typographic single quotes.
const PS_SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201a}', '\u{201b}'];

fn powershell_literal(text: &str, out: &mut String) {
    out.push('\'');
    for c in text.chars() {
        if PS_SINGLE_QUOTES.contains(&c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
}

/// A double-quoted PowerShell string: backtick escapes its specials.
fn powershell_expandable(word: &Word, out: &mut String) {
    out.push('"');
    for part in &word.0 {
        match part {
            Part::Lit(s) => {
                for c in s.chars() {
                    if matches!(c, '`' | '"' | '$' | '\u{201c}' | '\u{201d}' | '\u{201e}') {
                        out.push('`');
                    }
                    out.push(c);
                }
            }
            Part::Var(name) => {
                let _ = write!(out, "${{env:{VARIABLE_PREFIX}{name}}}");
            }
            Part::Env(name) => {
                let _ = write!(out, "${{env:{name}}}");
            }
        }
    }
    out.push('"');
}

/// Words a shell reads as syntax, not as a program name, when they come first.
const KEYWORDS: &[&str] = &[
    "!", "{", "}", "[[", "]]", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then", "until", "while", "function",
    "select", "time", "coproc", "begin", "end", "switch", "and", "or", "not", "set", "exec", "command", "builtin",
];

/// The program word is quoted when, bare, it would be an assignment (`A=b`) or a keyword.
fn needs_forced_quotes(word: &Word) -> bool {
    word.as_literal().is_some_and(|text| text.contains('=') || KEYWORDS.contains(&text.as_str()))
}

fn render_word(word: &Word, shell: Shell, first: bool, out: &mut String) {
    let force = first && needs_forced_quotes(word);
    match shell {
        Shell::Posix => {
            if word.0.is_empty() {
                out.push_str("''");
            }
            for part in &word.0 {
                match part {
                    Part::Lit(s) if force => {
                        let _ = write!(out, "'{}'", s.replace('\'', r"'\''"));
                    }
                    Part::Lit(s) => posix_literal(s, out),
                    Part::Var(name) => {
                        // Unset stops the shell; set, even empty, is the value (the create's
                        // own may be empty).
                        let _ = write!(out, "\"${{{VARIABLE_PREFIX}{name}?}}\"");
                    }
                    Part::Env(name) => {
                        let _ = write!(out, "\"${{{name}:?}}\"");
                    }
                }
            }
        }
        Shell::Fish => {
            if word.0.is_empty() {
                out.push_str("''");
            }
            for part in &word.0 {
                match part {
                    Part::Lit(s) if force => {
                        let _ = write!(out, "'{}'", s.replace('\\', r"\\").replace('\'', r"\'"));
                    }
                    Part::Lit(s) => fish_literal(s, out),
                    Part::Var(name) => {
                        let _ = write!(out, "\"${VARIABLE_PREFIX}{name}\"");
                    }
                    Part::Env(name) => {
                        let _ = write!(out, "\"${name}\"");
                    }
                }
            }
        }
        Shell::PowerShell => match word.as_literal() {
            Some(text) => powershell_literal(&text, out),
            None => powershell_expandable(word, out),
        },
        Shell::Json => unreachable!("JSON is rendered whole"),
    }
}

/// One command for `shell`.
pub fn render(words: &[Word], shell: Shell) -> Result<String, RenderError> {
    check(words)?;
    if shell == Shell::Json {
        let list: Vec<String> = words.iter().map(Word::display).collect();
        return Ok(serde_json::to_string(&list).expect("strings serialise"));
    }
    let mut out = String::new();
    if shell == Shell::PowerShell {
        // The call operator runs a quoted program name instead of printing it.
        out.push_str("& ");
    }
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        render_word(word, shell, i == 0, &mut out);
    }
    Ok(out)
}

/// An argv of arbitrary bytes (Unix argv need not be UTF-8) for a POSIX shell or fish.
/// Single quotes carry any byte but NUL through both; PowerShell and JSON need text.
pub fn render_bytes(argv: &[Vec<u8>], shell: Shell) -> Result<Vec<u8>, RenderError> {
    if argv.is_empty() {
        return Err(RenderError::Empty);
    }
    if argv.iter().any(|a| a.contains(&0)) {
        return Err(RenderError::Nul);
    }
    let mut out = Vec::new();
    for (i, arg) in argv.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        match (shell, std::str::from_utf8(arg)) {
            (Shell::Posix | Shell::Fish, Ok(text)) => {
                let rendered = render_word_alone(&Word::lit(text), shell, i == 0);
                out.extend_from_slice(rendered.as_bytes());
            }
            (Shell::Posix, Err(_)) => {
                out.push(b'\'');
                for &b in arg {
                    if b == b'\'' {
                        out.extend_from_slice(b"'\\''");
                    } else {
                        out.push(b);
                    }
                }
                out.push(b'\'');
            }
            (Shell::Fish, Err(_)) => {
                out.push(b'\'');
                for &b in arg {
                    if b == b'\'' || b == b'\\' {
                        out.push(b'\\');
                    }
                    out.push(b);
                }
                out.push(b'\'');
            }
            (Shell::PowerShell | Shell::Json, _) => {
                let text: Vec<String> =
                    argv.iter().map(|a| String::from_utf8(a.clone())).collect::<Result<_, _>>().map_err(|_| RenderError::NotText)?;
                return render(&words(&text), shell).map(String::into_bytes);
            }
        }
    }
    Ok(out)
}

fn render_word_alone(word: &Word, shell: Shell, first: bool) -> String {
    let mut out = String::new();
    render_word(word, shell, first, &mut out);
    out
}

/// A pipeline (`a | b | c`) for `shell`; JSON gives an array of arrays.
pub fn render_pipeline(commands: &[Vec<Word>], shell: Shell) -> Result<String, RenderError> {
    if commands.is_empty() {
        return Err(RenderError::Empty);
    }
    if shell == Shell::Json {
        for command in commands {
            check(command)?;
        }
        let list: Vec<Vec<String>> = commands.iter().map(|c| c.iter().map(Word::display).collect()).collect();
        return Ok(serde_json::to_string(&list).expect("strings serialise"));
    }
    let rendered = commands.iter().map(|c| render(c, shell)).collect::<Result<Vec<_>, _>>()?;
    Ok(rendered.join(" | "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_stay_bare_and_the_rest_is_quoted() {
        let argv = words(&["docker", "tag", "a/b:1", "it's", "$(id)", "", "=x", "-n"]);
        assert_eq!(render(&argv, Shell::Posix).unwrap(), r"docker tag a/b:1 'it'\''s' '$(id)' '' '=x' -n");
        assert_eq!(render(&argv, Shell::Fish).unwrap(), r"docker tag a/b:1 'it\'s' '$(id)' '' '=x' -n");
        assert_eq!(render(&argv, Shell::PowerShell).unwrap(), "& 'docker' 'tag' 'a/b:1' 'it''s' '$(id)' '' '=x' '-n'");
        assert_eq!(render(&argv, Shell::Json).unwrap(), r#"["docker","tag","a/b:1","it's","$(id)","","=x","-n"]"#);
    }

    #[test]
    fn placeholders_read_variables_of_their_own_and_session_words_the_session() {
        let argv = vec![
            Word::lit("env"),
            Word(vec![Part::Lit("HTTPS_PROXY=".into()), Part::Var("HTTPS_PROXY".into())]),
            Word::var("POLICY_FILE"),
            Word(vec![Part::Env("USER".into())]),
        ];
        let posix = r#"env HTTPS_PROXY="${SANDBOX_TRIAGE_HTTPS_PROXY?}" "${SANDBOX_TRIAGE_POLICY_FILE?}" "${USER:?}""#;
        assert_eq!(render(&argv, Shell::Posix).unwrap(), posix);
        let fish = r#"env HTTPS_PROXY="$SANDBOX_TRIAGE_HTTPS_PROXY" "$SANDBOX_TRIAGE_POLICY_FILE" "$USER""#;
        assert_eq!(render(&argv, Shell::Fish).unwrap(), fish);
        let powershell = r#"& 'env' "HTTPS_PROXY=${env:SANDBOX_TRIAGE_HTTPS_PROXY}" "${env:SANDBOX_TRIAGE_POLICY_FILE}" "${env:USER}""#;
        assert_eq!(render(&argv, Shell::PowerShell).unwrap(), powershell);
        assert_eq!(render(&argv, Shell::Json).unwrap(), r#"["env","HTTPS_PROXY=<HTTPS_PROXY>","<POLICY_FILE>","$USER"]"#);
        assert!(render(&[Word::var("bad name")], Shell::Posix).is_err());
        assert_eq!(render(&[Word::lit("a\0b")], Shell::Posix), Err(RenderError::Nul));
    }

    #[test]
    fn a_program_word_is_never_an_assignment_or_keyword() {
        assert_eq!(render(&words(&["A=b", "x"]), Shell::Posix).unwrap(), "'A=b' x");
        assert_eq!(render(&words(&["if", "x"]), Shell::Fish).unwrap(), "'if' x");
        assert_eq!(render(&words(&["x", "A=b"]), Shell::Posix).unwrap(), "x A=b");
    }

    #[test]
    fn pipelines_join_commands() {
        let p = vec![words(&["docker", "save", "x:1"]), words(&["podman", "load"])];
        assert_eq!(render_pipeline(&p, Shell::Posix).unwrap(), "docker save x:1 | podman load");
        assert_eq!(render_pipeline(&p, Shell::Json).unwrap(), r#"[["docker","save","x:1"],["podman","load"]]"#);
    }
}
