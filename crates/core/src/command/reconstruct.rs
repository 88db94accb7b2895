//! The create command again, from an image instead of a Dockerfile: the original
//! invocation with `--from` swapped for the built image, and placeholders for what must
//! not be shown (credentials) or cannot be reproduced (a temporary policy file, the
//! driver configuration with host paths and GPU ids, the runtime environment).

use crate::command::invocation::{Arg, CreateInvocation, EnvWrapper, Form, TrailingCommand};
use crate::command::{Part, Placeholders, Sensitivity, Spec, ValueKind, Word};
use crate::redact::{carries_secret, looks_generated, secret_name};

/// Why a runtime environment left out of the argv is asked for.
const RUNTIME_ENV_OMITTED: &str =
    "NemoClaw's runtime environment (dashboard port, proxies) is never passed on: replace this word, quotes included, with its NAME=value assignments (set as the variable, it would be one assignment)";

/// The reconstructed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconstruction {
    /// The command's words.
    pub words: Vec<Word>,
    /// The placeholders they read.
    pub placeholders: Placeholders,
}

impl Reconstruction {
    /// Whether the command can run as printed (no placeholder to fill in).
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.placeholders.is_empty()
    }
}

/// A flag whose value is a credential: `-p VALUE`, and any long flag whose name names a
/// secret (`--password`, `--registry-password`, `--hf-token`, `--secret-key`).
pub(crate) fn is_secret_flag(word: &str) -> bool {
    word == "-p" || (word.starts_with("--") && !word.contains('=') && secret_name(word))
}

/// `-pPASS`: a password attached to `-p` (`mysql`, `docker login`); a port (`-p8080`) or
/// a short option cluster of letters (`-pr`) is not one.
pub(crate) fn attached_password(word: &str) -> bool {
    word.strip_prefix("-p").is_some_and(|rest| !rest.starts_with('-') && looks_generated(rest.as_bytes(), 4))
}

/// Whether `word`, after the secret flag `flag` (its name without dashes), is its value:
/// a password may begin with `-` (`--db-password -Xy7…`); only a long option after it is
/// a flag of its own. After `-p` a short option is one too (`mysql -p -h db`).
pub(crate) fn value_after_secret_flag(flag: &str, word: &str) -> bool {
    let a_flag_of_its_own = word.starts_with("--") || (flag == "p" && word.starts_with('-'));
    !a_flag_of_its_own
}

/// A credential the create carried.
fn secret(value: &str) -> Spec<'static> {
    Spec::carried(ValueKind::Text, Sensitivity::Secret, value, "it holds a credential, which is never printed")
}

/// A temporary file: deleted after a failed create, so it cannot be reused.
fn is_temporary(path: &str) -> bool {
    ["/tmp/", "/var/tmp/", "/var/folders/", "/private/var/folders/", "/private/tmp/"].iter().any(|p| path.starts_with(p))
        || path.contains("/T/")
        || path.rsplit('/').next().is_some_and(|name| name.contains("nemoclaw-") || name.starts_with("tmp"))
}

struct Builder {
    words: Vec<Word>,
    placeholders: Placeholders,
    /// The previous word was a flag whose value is a credential (`--password`): its name.
    secret_flag: Option<String>,
}

impl Builder {
    fn placeholder(&mut self, hint: &str, spec: Spec<'_>) -> Part {
        self.placeholders.fresh(hint, spec)
    }

    /// A literal, unless it carries a credential. The value of a secret flag is named
    /// after the flag (`--hf-token` gives `HF_TOKEN`).
    fn literal(&mut self, text: &str, hint: &str) -> Word {
        let secret_flag = std::mem::replace(&mut self.secret_flag, is_secret_flag(text).then(|| text.trim_start_matches('-').to_owned()));
        let flag_value = secret_flag.filter(|flag| value_after_secret_flag(flag, text));
        if flag_value.is_none() && attached_password(text) {
            let var = self.placeholder("PASSWORD", secret(&text[2..]));
            return Word(vec![Part::Lit("-p".to_owned()), var]);
        }
        if carries_secret(text) || flag_value.is_some() {
            let hint = flag_value.filter(|flag| flag.len() > 1).unwrap_or_else(|| hint.to_owned());
            Word(vec![self.placeholder(&hint, secret(text))])
        } else {
            Word::lit(text)
        }
    }

    /// The value of a flag, as it should appear again.
    fn value(&mut self, arg: &Arg, value: &str) -> Word {
        let hint = arg.flag.trim_start_matches('-');
        match arg.flag.as_str() {
            "--policy" if is_temporary(value) => Word(vec![self.placeholder(
                "POLICY_FILE",
                Spec::temporary(ValueKind::File, value, "a temporary file: NemoClaw deletes its own after a failure"),
            )]),
            "--driver-config-json" => Word(vec![self.placeholder(
                "DRIVER_CONFIG_JSON",
                Spec::carried(ValueKind::Text, Sensitivity::HostSpecific, value, "the driver configuration holds host paths and GPU ids"),
            )]),
            "--env" | "--label" if arg.sensitivity() == Sensitivity::Secret => match value.split_once('=') {
                Some((key, inner)) => {
                    let var = self.placeholder(key, secret(inner));
                    Word(vec![Part::Lit(format!("{key}=")), var])
                }
                None => self.literal(value, hint),
            },
            _ => self.literal(value, hint),
        }
    }
}

/// Rebuilds `invocation` to create from `image` (an image reference, or a placeholder
/// for one); with no image, the original source is kept (a temporary build directory
/// becomes a placeholder).
#[must_use]
pub fn reconstruct(invocation: &CreateInvocation, image: Option<&Word>) -> Reconstruction {
    reconstruct_among(invocation, image, &Placeholders::default())
}

/// [`reconstruct`] beside placeholders a plan already has: a value of the create's
/// under a name the plan already uses for another value gets a name of its own, and
/// the returned placeholders are all of them.
#[must_use]
pub fn reconstruct_among(invocation: &CreateInvocation, image: Option<&Word>, known: &Placeholders) -> Reconstruction {
    let mut b = Builder { words: Vec::new(), placeholders: known.clone(), secret_flag: None };
    let program = invocation.program.clone().unwrap_or_else(|| "openshell".to_owned());
    b.words.extend([Word::lit(program), Word::lit("sandbox"), Word::lit("create")]);
    let mut from_seen = false;
    for arg in &invocation.args {
        if arg.flag == "--from" {
            from_seen = true;
            b.source(image, arg.value.as_deref());
            continue;
        }
        b.arg(arg);
    }
    if let (false, Some(image)) = (from_seen, image) {
        b.words.extend([Word::lit("--from"), image.clone()]);
    }
    if let Some(command) = &invocation.command {
        b.trailing(command);
    }
    Reconstruction { words: b.words, placeholders: b.placeholders }
}

impl Builder {
    /// `--from`: the image, else the original source.
    fn source(&mut self, image: Option<&Word>, source: Option<&str>) {
        match (image, source) {
            (Some(image), _) => self.words.extend([Word::lit("--from"), image.clone()]),
            (None, Some(source)) if is_temporary(source) => {
                let var = self.placeholder(
                    "BUILD_SOURCE",
                    Spec::temporary(ValueKind::Path, source, "a temporary directory: NemoClaw deletes its own after a failure"),
                );
                self.words.extend([Word::lit("--from"), Word(vec![var])]);
            }
            (None, Some(source)) => {
                self.words.push(Word::lit("--from"));
                let word = self.literal(source, "FROM");
                self.words.push(word);
            }
            (None, None) => self.words.push(Word::lit("--from")),
        }
    }

    /// Any other flag, as written, its value masked when it must be.
    fn arg(&mut self, arg: &Arg) {
        let b = self;
        match (&arg.form, &arg.value) {
            (Form::Attached, Some(value)) => {
                let mut word = b.value(arg, value);
                let joiner = if arg.spelling.starts_with("--") { "=" } else { "" };
                word.0.insert(0, Part::Lit(format!("{}{joiner}", arg.spelling)));
                b.words.push(word);
            }
            (Form::Separate, Some(value)) => {
                b.words.push(Word::lit(&arg.spelling));
                let word = b.value(arg, value);
                b.words.push(word);
            }
            _ => {
                let word = b.literal(&arg.spelling, "ARGUMENT");
                b.words.push(word);
            }
        }
    }

    /// What follows `--`: the runtime environment never echoed.
    fn trailing(&mut self, command: &TrailingCommand) {
        let b = self;
        b.words.push(Word::lit("--"));
        if let Some(wrapper) = &command.wrapper {
            b.words.push(Word::lit(&wrapper.env));
            for option in &wrapper.options {
                let word = b.literal(option, "ENV_OPTION");
                b.words.push(word);
            }
            for (name, value) in &wrapper.assignments {
                // The runtime environment (proxies, keys) is never echoed: each value is
                // the create's own, kept with its placeholder.
                let spec = Spec::carried(
                    ValueKind::Text,
                    EnvWrapper::sensitivity(name, value),
                    value,
                    "the sandbox's runtime environment is not echoed",
                );
                let var = b.placeholder(name, spec);
                b.words.push(Word(vec![Part::Lit(format!("{name}=")), var]));
            }
            if wrapper.omitted {
                // Asked for, never guessed: it may hold proxy credentials, so it is masked
                // wherever a value given for it would show.
                let spec = Spec { kind: ValueKind::Text, sensitivity: Sensitivity::Secret, carried: None, reason: RUNTIME_ENV_OMITTED };
                let var = b.placeholder("RUNTIME_ENV", spec);
                b.words.push(Word(vec![var]));
            }
        }
        for word in &command.argv {
            let word = b.literal(word, "COMMAND_ARGUMENT");
            b.words.push(word);
        }
    }
}
