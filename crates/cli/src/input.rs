//! Opening the input: a file, or stdin for `-` and for nothing.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use std::ffi::OsString;

use anyhow::{anyhow, Context};

/// The reader and the name to use in errors.
pub(crate) fn open(path: Option<&Path>) -> anyhow::Result<(Box<dyn Read + Send>, String)> {
    match path {
        None => Ok((Box::new(io::stdin()), "stdin".to_owned())),
        Some(path) if path == Path::new("-") => Ok((Box::new(io::stdin()), "stdin".to_owned())),
        Some(path) => {
            let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
            Ok((Box::new(file), path.display().to_string()))
        }
    }
}

/// A create argv as text: the commands that rebuild it need UTF-8. A whole command
/// pasted as one quoted word (`-- "openshell sandbox create --name x …"`) is split as a
/// POSIX shell would split it, and said so on stderr.
pub(crate) fn utf8_argv(argv: &[OsString]) -> anyhow::Result<Vec<String>> {
    let words: Vec<String> = argv
        .iter()
        .enumerate()
        .map(|(i, a)| a.to_str().map(str::to_owned).ok_or_else(|| anyhow!("create argument {} is not valid UTF-8", i + 1)))
        .collect::<anyhow::Result<_>>()?;
    match words.as_slice() {
        [one] if one.trim_start().contains(char::is_whitespace) => {
            let split = shell_words::split(one).map_err(|e| anyhow!("the create command given as one word cannot be split: {e}"))?;
            eprintln!("sandbox-triage: the create command was given as one word; split as a POSIX shell would, into {} words", split.len());
            Ok(split)
        }
        _ => Ok(words),
    }
}
