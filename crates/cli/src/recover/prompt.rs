//! Asking for a yes on the terminal (`/dev/tty`, so piped input is never taken for an
//! answer). Anything but yes is a no.

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Write};

pub(crate) enum Answer {
    Yes,
    No,
    NoTerminal,
}

pub(crate) fn ask(question: &str) -> Answer {
    let Ok(tty) = OpenOptions::new().read(true).write(true).open("/dev/tty") else { return Answer::NoTerminal };
    let mut writer = &tty;
    if write!(writer, "{question} [y/N] ").and_then(|()| writer.flush()).is_err() {
        return Answer::NoTerminal;
    }
    let mut answer = String::new();
    if BufReader::new(&tty).read_line(&mut answer).is_err() {
        return Answer::NoTerminal;
    }
    match answer.trim() {
        "y" | "Y" | "yes" | "YES" | "Yes" => Answer::Yes,
        _ => Answer::No,
    }
}
