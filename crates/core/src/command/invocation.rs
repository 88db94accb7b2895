//! An `openshell sandbox create` invocation as typed data: its flags (both OpenShell
//! eras), the trailing command and its `env K=V … program` wrapper, and how sensitive
//! each value is.

use crate::command::flags::{find_long, find_short, looks_like_flag, Sensitivity, Spec, Takes};
use crate::command::reconstruct::{attached_password, is_secret_flag, value_after_secret_flag};
use crate::model::is_valid_name;
use crate::redact::{carries_secret, redact, secret_name};
use crate::screen::printable;

use Sensitivity::Public;
use Takes::{Nothing, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// How a flag's value was written.
pub enum Form {
    /// `--flag value`
    Separate,
    /// `--flag=value` or `-gvalue`
    Attached,
    /// A flag that takes a value, with none after it.
    Missing,
    /// A flag without a value.
    Bare,
}

/// One flag (or an unrecognised word, kept as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The canonical long name (`--gateway` for `-g`), or the word itself when unknown.
    pub flag: String,
    /// As written: `-g`, `--gateway`, `-vv`.
    pub spelling: String,
    /// The value, when the flag has one.
    pub value: Option<String>,
    /// How the value was written.
    pub form: Form,
    /// Whether the flag is one OpenShell has.
    pub known: bool,
    base: Sensitivity,
}

impl Arg {
    /// How sensitive the value is: the flag's own class, raised to `Secret` when the
    /// value carries a credential (a token, `user:pass@` in a URL, `*_API_KEY=…`).
    #[must_use]
    pub fn sensitivity(&self) -> Sensitivity {
        let Some(value) = &self.value else { return Public };
        let secret_env = self.flag == "--env" && value.split_once('=').is_some_and(|(key, _)| secret_name(key));
        if secret_env || secret_name(&self.flag) || carries_secret(value) {
            Sensitivity::Secret
        } else {
            self.base
        }
    }
}

/// `env [OPTIONS] K=V … program args…` in front of the sandbox's command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvWrapper {
    /// `env` or a path to it.
    pub env: String,
    /// Options before the assignments (`-i`, `-u NAME`).
    pub options: Vec<String>,
    /// `NAME=value` assignments, in order.
    pub assignments: Vec<(String, String)>,
    /// The assignments were left out by whoever gave the argv (NemoClaw never passes its
    /// runtime environment on): a command rebuilt from it asks for them.
    pub omitted: bool,
}

impl EnvWrapper {
    /// How sensitive an assignment's value is: the runtime environment carries proxies
    /// (host-specific) and, historically, API keys (secret).
    #[must_use]
    pub fn sensitivity(name: &str, value: &str) -> Sensitivity {
        if secret_name(name) || carries_secret(value) {
            Sensitivity::Secret
        } else {
            Sensitivity::HostSpecific
        }
    }
}

/// What follows `--`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailingCommand {
    /// The `env` wrapper, when there is one.
    pub wrapper: Option<EnvWrapper>,
    /// The program and its arguments (after the wrapper).
    pub argv: Vec<String>,
}

/// A parsed create invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateInvocation {
    /// The `openshell` binary as given, when the argv started with it.
    pub program: Option<String>,
    /// The flags, in order.
    pub args: Vec<Arg>,
    /// What follows `--`.
    pub command: Option<TrailingCommand>,
}

/// Why an argv is not a create invocation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvocationError {
    /// The argv runs something else (its words shown masked).
    #[error("'{0}' is not `openshell sandbox create`")]
    NotCreate(String),
    /// A sandbox or gateway name that is not a name: it could become a flag or a path.
    #[error("{0}: not a valid name (1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit)")]
    InvalidName(String),
}

fn is_openshell(word: &str) -> bool {
    let name = word.rsplit(['/', '\\']).next().unwrap_or(word);
    name == "openshell" || name == "openshell.exe"
}

impl CreateInvocation {
    /// Parses an argv that starts with `openshell sandbox create` (any path to the
    /// binary, global flags allowed before `sandbox`), or holds the flags alone as
    /// NemoClaw passes them.
    pub fn parse<S: AsRef<str>>(argv: &[S]) -> Result<CreateInvocation, InvocationError> {
        let argv: Vec<&str> = argv.iter().map(AsRef::as_ref).collect();
        let mut rest: &[&str] = &argv;
        let mut program = None;
        let mut leading = Vec::new();
        if let Some(first) = rest.first().filter(|w| is_openshell(w)) {
            program = Some((*first).to_owned());
            rest = &rest[1..];
            // Global flags may stand before the subcommand: `openshell -g gw sandbox create`.
            let position = rest.windows(2).position(|w| w[0] == "sandbox" && w[1] == "create");
            let Some(position) = position else {
                return Err(InvocationError::NotCreate(shown(&argv)));
            };
            leading = rest[..position].to_vec();
            rest = &rest[position + 2..];
        } else if rest.len() >= 2 && rest[0] == "sandbox" && rest[1] == "create" {
            rest = &rest[2..];
        }
        let mut words = leading;
        words.extend_from_slice(rest);
        let (flags, command) = parse_words(&words);
        if let Some(bad) = flags
            .iter()
            .find(|a| matches!(a.flag.as_str(), "--name" | "--gateway") && a.value.as_deref().is_some_and(|v| !is_valid_name(v)))
        {
            return Err(InvocationError::InvalidName(bad.spelling.clone()));
        }
        Ok(CreateInvocation { program, args: flags, command })
    }

    /// NemoClaw's `createArgs`: the create's flags alone, as NemoClaw hands them to its
    /// hint printer. Its runtime wrapper, `-- env … nemoclaw-start`, stands after them,
    /// the environment itself never passed on ([`EnvWrapper::omitted`]).
    pub fn nemoclaw_flags<S: AsRef<str>>(flags: &[S]) -> Result<CreateInvocation, InvocationError> {
        let mut invocation = CreateInvocation::parse(flags)?;
        if invocation.command.is_none() {
            let wrapper = EnvWrapper { env: "env".to_owned(), options: Vec::new(), assignments: Vec::new(), omitted: true };
            invocation.command = Some(TrailingCommand { wrapper: Some(wrapper), argv: vec!["nemoclaw-start".to_owned()] });
        }
        Ok(invocation)
    }

    /// The first value given for `flag` (canonical long name).
    #[must_use]
    pub fn value(&self, flag: &str) -> Option<&str> {
        self.args.iter().find(|a| a.flag == flag).and_then(|a| a.value.as_deref())
    }

    /// Every value given for a repeatable flag.
    #[must_use]
    pub fn values(&self, flag: &str) -> Vec<&str> {
        self.args.iter().filter(|a| a.flag == flag).filter_map(|a| a.value.as_deref()).collect()
    }

    #[must_use]
    /// Whether `flag` was given.
    pub fn has(&self, flag: &str) -> bool {
        self.args.iter().any(|a| a.flag == flag)
    }
}

/// An argv as it may be shown: every value that follows a secret flag, or is attached
/// to `-p`, masked whole; each word masked and made printable.
fn shown(argv: &[&str]) -> String {
    let mut out = Vec::with_capacity(argv.len());
    let mut secret_flag: Option<&str> = None;
    for word in argv {
        let flag = std::mem::replace(&mut secret_flag, is_secret_flag(word).then(|| word.trim_start_matches('-')));
        out.push(if flag.is_some_and(|flag| value_after_secret_flag(flag, word)) {
            "***".to_owned()
        } else if attached_password(word) {
            "-p***".to_owned()
        } else {
            printable(&redact(word))
        });
    }
    out.join(" ")
}

fn parse_words(words: &[&str]) -> (Vec<Arg>, Option<TrailingCommand>) {
    let mut args = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        i += 1;
        if word == "--" {
            return (args, Some(parse_trailing(&words[i..])));
        }
        if let Some(long) = word.strip_prefix("--").filter(|l| !l.is_empty()) {
            let (name, attached) = match long.split_once('=') {
                Some((name, value)) => (format!("--{name}"), Some(value)),
                None => (word.to_owned(), None),
            };
            let Some(spec) = find_long(&name) else {
                args.push(unknown(word));
                continue;
            };
            args.push(take_value(spec, word, &name, attached, words, &mut i));
        } else if let Some(shorts) = word.strip_prefix('-').filter(|s| !s.is_empty() && !s.starts_with(|c: char| c.is_ascii_digit())) {
            let mut chars = shorts.chars();
            let first = chars.next().expect("non-empty");
            match find_short(first) {
                // `-vv`: a repeated bare short flag.
                Some(spec) if spec.takes == Nothing && chars.clone().all(|c| c == first) => {
                    args.push(Arg {
                        flag: spec.long.to_owned(),
                        spelling: word.to_owned(),
                        value: None,
                        form: Form::Bare,
                        known: true,
                        base: spec.sensitivity,
                    });
                }
                Some(spec) if spec.takes == Value => {
                    let attached = chars.as_str();
                    let attached = attached.strip_prefix('=').unwrap_or(attached);
                    let attached = (!attached.is_empty()).then_some(attached);
                    args.push(take_value(spec, word, spec.long, attached, words, &mut i));
                }
                _ => args.push(unknown(word)),
            }
        } else {
            args.push(unknown(word));
        }
    }
    (args, None)
}

fn unknown(word: &str) -> Arg {
    Arg { flag: word.to_owned(), spelling: word.to_owned(), value: None, form: Form::Bare, known: false, base: Public }
}

fn take_value(spec: &Spec, word: &str, name: &str, attached: Option<&str>, words: &[&str], i: &mut usize) -> Arg {
    let spelling = match word.split_once('=') {
        Some((flag, _)) if word.starts_with("--") => flag.to_owned(),
        _ if !word.starts_with("--") => word.chars().take(2).collect(),
        _ => word.to_owned(),
    };
    let base = spec.sensitivity;
    let flag = spec.long.to_owned();
    debug_assert!(name == spec.long || name.len() == 2 || spec.short.is_some());
    if let Some(value) = attached {
        return Arg { flag, spelling, value: Some(value.to_owned()), form: Form::Attached, known: true, base };
    }
    match spec.takes {
        Takes::Nothing => Arg { flag, spelling, value: None, form: Form::Bare, known: true, base },
        Takes::OptionalCount => match words.get(*i).filter(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())) {
            Some(count) => {
                *i += 1;
                Arg { flag, spelling, value: Some((*count).to_owned()), form: Form::Separate, known: true, base }
            }
            None => Arg { flag, spelling, value: None, form: Form::Bare, known: true, base },
        },
        Takes::Value => match words.get(*i).filter(|w| **w != "--" && !looks_like_flag(w)) {
            Some(value) => {
                *i += 1;
                Arg { flag, spelling, value: Some((*value).to_owned()), form: Form::Separate, known: true, base }
            }
            None => Arg { flag, spelling, value: None, form: Form::Missing, known: true, base },
        },
    }
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !name.as_bytes()[0].is_ascii_digit()
    })
}

fn parse_trailing(words: &[&str]) -> TrailingCommand {
    let is_env = words.first().is_some_and(|w| *w == "env" || w.ends_with("/env"));
    if !is_env {
        return TrailingCommand { wrapper: None, argv: words.iter().map(|w| (*w).to_owned()).collect() };
    }
    let mut i = 1;
    let mut options = Vec::new();
    while i < words.len() && words[i].starts_with('-') && !is_assignment(words[i]) {
        options.push(words[i].to_owned());
        // `-u NAME` and `-C DIR` take the next word.
        if matches!(words[i], "-u" | "--unset" | "-C" | "--chdir" | "-S" | "--split-string") && i + 1 < words.len() {
            options.push(words[i + 1].to_owned());
            i += 1;
        }
        i += 1;
        if options.last().is_some_and(|o| o == "--") {
            break;
        }
    }
    let mut assignments = Vec::new();
    while i < words.len() && is_assignment(words[i]) {
        let (name, value) = words[i].split_once('=').expect("assignment has '='");
        assignments.push((name.to_owned(), value.to_owned()));
        i += 1;
    }
    TrailingCommand {
        wrapper: Some(EnvWrapper { env: words[0].to_owned(), options, assignments, omitted: false }),
        argv: words[i..].iter().map(|w| (*w).to_owned()).collect(),
    }
}
