//! A deciding line made into a pattern: the words that stay the same from one run to the
//! next kept literally, the parts that vary (numbers, hashes, paths, image references,
//! addresses, durations, quoted names, masked secrets) generalised, so that the rule
//! fires on the next run's line too, and on nothing much else.

/// A line's pattern and the literal words it keeps (the anchors are chosen among them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Generalised {
    /// The regex, case-insensitive, unanchored.
    pub pattern: String,
    /// The literal words, as the line has them, in order.
    pub literals: Vec<String>,
}

/// What one whitespace-separated token of the line becomes.
enum Part {
    Literal(String),
    /// A generalised token: its regex.
    Varies(String),
}

/// `line` as a pattern. `kept` says whether a token may be kept literally (masking says
/// no for a secret's token: a rule file never holds one). The tokens before the first
/// literal word and after the last (a runner's timestamp, a step's number) are left out.
pub(crate) fn generalise(line: &str, kept: impl Fn(&str) -> bool) -> Option<Generalised> {
    let parts: Vec<Part> = tokens(line).into_iter().map(|token| part(token, &kept)).collect();
    let first = parts.iter().position(|p| matches!(p, Part::Literal(_)))?;
    let last = parts.iter().rposition(|p| matches!(p, Part::Literal(_)))?;
    let mut pattern = String::from("(?i)");
    let mut literals = Vec::new();
    for (i, part) in parts[first..=last].iter().enumerate() {
        if i > 0 {
            pattern.push_str(r"\s+");
        }
        match part {
            Part::Literal(word) => {
                pattern.push_str(&regex::escape(word));
                literals.push(word.clone());
            }
            Part::Varies(regex) => pattern.push_str(regex),
        }
    }
    Some(Generalised { pattern, literals })
}

const ANY: &str = r"\S+";

/// The line's tokens: runs of non-space, except that a quoted name (`'/bin/sh -c make'`)
/// is one token with what follows its closing quote (`'x':`), spaces and all.
fn tokens(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        let quote = rest.chars().next().filter(|c| matches!(c, '\'' | '"'));
        let closed = quote.and_then(|q| rest[1..].find(q).map(|at| at + 2));
        let end = match closed {
            Some(close) => close + rest[close..].find(char::is_whitespace).unwrap_or(rest.len() - close),
            None => rest.find(char::is_whitespace).unwrap_or(rest.len()),
        };
        out.push(&rest[..end]);
        rest = rest[end..].trim_start();
    }
    out
}

fn part(token: &str, kept: &impl Fn(&str) -> bool) -> Part {
    let varies = |regex: &str| Part::Varies(regex.to_owned());
    // Masking first: no part of a secret's token is ever kept, quoted or not.
    if token.split_whitespace().any(|word| !kept(word)) {
        return varies(ANY);
    }
    if let Some(quote) = token.chars().next().filter(|c| matches!(c, '\'' | '"')) {
        if let Some(close) = token[1..].find(quote) {
            // The name varies; what follows it (`:`, `,`) stays.
            let after = &token[close + 2..];
            return varies(&format!("{quote}[^{quote}]*{quote}{}", regex::escape(after)));
        }
    }
    if token.contains('/') || token.contains('=') || is_reference(token) {
        // Paths, URLs, image references (`name:tag`, `registry/name`), `key=value`.
        varies(ANY)
    } else if token.chars().any(|c| c.is_ascii_digit()) {
        numbered(token)
    } else {
        Part::Literal(token.to_owned())
    }
}

/// `name:tag` or `name@sha256:…`: something on both sides of the colon or `@`.
fn is_reference(token: &str) -> bool {
    let token = token.trim_end_matches([',', '.', ';', ')']);
    token.split_once([':', '@']).is_some_and(|(name, rest)| !name.is_empty() && !rest.is_empty())
}

/// A token holding digits: a hash, an id, a name or a bare number varies whole; otherwise each
/// run of digits varies and the rest stays (`12.5s` → `\d+\.\d+s`, `v0.0.37`).
fn numbered(token: &str) -> Part {
    let bare = token.trim_end_matches([',', '.', ';', ':', ')']);
    let digits = token.chars().filter(char::is_ascii_digit).count();
    let letters = token.chars().filter(char::is_ascii_alphabetic).count();
    let hash = bare.len() >= 7 && bare.chars().all(|c| c.is_ascii_hexdigit());
    // A name with a number in it (`demo-7`, `sandbox_12`) is one run's name.
    let named = token.contains(['-', '_']);
    if hash || named || letters == 0 || (letters > 3 && digits > 3) {
        return Part::Varies(ANY.to_owned());
    }
    let mut out = String::new();
    let mut chars = token.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            out.push_str(r"\d+");
        } else {
            out.push_str(&regex::escape(&c.to_string()));
        }
    }
    Part::Varies(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(line: &str) -> String {
        generalise(line, |_| true).expect("a literal word").pattern
    }

    #[test]
    fn stable_words_stay_and_what_varies_is_generalised() {
        assert_eq!(
            pattern("#12 3.456 ERROR: failed to fetch 'libfoo' from https://deb.example.org/x (after 12.5s)"),
            r"(?i)ERROR:\s+failed\s+to\s+fetch\s+'[^']*'\s+from\s+\S+\s+\(after"
        );
        assert_eq!(
            pattern("image openshell/sandbox-from:1774 not found in the gateway"),
            r"(?i)image\s+\S+\s+not\s+found\s+in\s+the\s+gateway"
        );
        assert_eq!(pattern("layer sha256 c0ffee1234abcd missing"), r"(?i)layer\s+sha\d+\s+\S+\s+missing");
        assert_eq!(pattern("pulled in 12.5s, retrying v0.0.37 now"), r"(?i)pulled\s+in\s+\d+\.\d+s,\s+retrying\s+v\d+\.\d+\.\d+\s+now");
        assert_eq!(pattern("sandbox-7f3a9c12 crashed 3 times"), r"(?i)crashed\s+\S+\s+times");
    }

    #[test]
    fn a_quoted_name_is_one_token_whatever_it_holds() {
        assert_eq!(
            pattern("The command '/bin/sh -c make' returned a non-zero code: 1"),
            r"(?i)The\s+command\s+'[^']*'\s+returned\s+a\s+non\-zero\s+code:"
        );
        assert_eq!(
            pattern(r#"pull access denied for "my image", repository"#),
            r#"(?i)pull\s+access\s+denied\s+for\s+"[^"]*",\s+repository"#
        );
        assert_eq!(tokens("  a 'b c'd  e 'unclosed f"), vec!["a", "'b c'd", "e", "'unclosed", "f"]);
    }

    #[test]
    fn a_token_masking_would_hide_is_never_kept() {
        let g = generalise("login failed for token hunter2secret at the registry", |t| t != "hunter2secret").expect("words");
        assert!(!g.pattern.contains("hunter2secret") && g.pattern.contains(r"token\s+\S+\s+at"), "{}", g.pattern);
        assert!(!g.literals.iter().any(|l| l.contains("hunter2")));
        let quoted = generalise(r#"login failed "token":"hunter2secret" again"#, |t| !t.contains("hunter2secret")).expect("words");
        assert!(!quoted.pattern.contains("hunter2secret"), "{}", quoted.pattern);
    }

    #[test]
    fn a_line_with_no_stable_word_gives_no_pattern() {
        assert_eq!(generalise("12 /x/y sha256:abc 3.4", |_| true), None);
    }
}
