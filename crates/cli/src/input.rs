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

/// A create argv as text: the commands that rebuild it need UTF-8.
pub(crate) fn utf8_argv(argv: &[OsString]) -> anyhow::Result<Vec<String>> {
    argv.iter()
        .enumerate()
        .map(|(i, a)| a.to_str().map(str::to_owned).ok_or_else(|| anyhow!("create argument {} is not valid UTF-8", i + 1)))
        .collect()
}
