//! Following a supervised command's output as it comes: whole lines from both streams
//! to the classifier (sifted on a second thread, [`super::lines`]), the phase it has reached, a heartbeat during silence, and (with
//! `--early`) the diagnosis as soon as one is decisive, until the command has exited
//! and its pipes are drained.

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use sandbox_triage_core::{diagnosis_human, Classifier, Kind, Phase};

use super::child::{Ended, Stream};
use super::lines::{sift, Lines, Message, Sifting};
use super::progress::Progress;
use super::spawn::{Supervised, DRAIN};
use super::terminal_line;
use crate::settings::{style_for, Destination};

/// Writes to our stderr; a stderr that is gone (a hung-up terminal) loses the text,
/// never the exit status.
pub(crate) fn say(text: &str) {
    let _writing = terminal_line::writing();
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// The heartbeat's line: on a terminal, redrawn in place while the silence lasts (a line
/// a minute would otherwise fill the screen); off one, or on one that takes no escapes
/// (`TERM=dumb`, colour turned off), a line each time.
#[derive(Default)]
struct Beat {
    /// Where the terminal's output stood when the last heartbeat was drawn.
    drawn_at: Option<u64>,
}

impl Beat {
    fn say(&mut self, text: &str, mid_line: bool) {
        let redraws =
            io::stderr().is_terminal() && style_for(Destination::Stderr).color && std::env::var_os("TERM").is_none_or(|t| t != "dumb");
        // Taken before the line is drawn: a write that comes while it is makes the next
        // heartbeat a line of its own.
        let at = terminal_line::now();
        let text = match self.drawn_at {
            // Up to the line drawn last, cleared: nothing was written after it.
            Some(drawn) if redraws && at == Some(drawn) => format!("\x1b[1A\r\x1b[K{text}\n"),
            // On a line of its own, after a line the command left unfinished.
            _ if mid_line => format!("\n{text}\n"),
            _ => format!("{text}\n"),
        };
        let _ = io::stderr().lock().write_all(text.as_bytes());
        self.drawn_at = at.filter(|_| redraws);
    }
}

/// How the watch ended.
pub(crate) struct Outcome {
    pub(crate) ended: Option<Ended>,
    /// Our stdout closed, and the child was cut off from it.
    pub(crate) stdout_closed: bool,
    /// The kind `--early` printed (its id: kinds of the user's own differ by it), if it
    /// printed one.
    pub(crate) early: Option<String>,
}

/// What the watch says while the command runs.
pub(crate) struct Watching {
    pub(crate) heartbeat: Option<Duration>,
    pub(crate) early: bool,
    /// Classify to the end even after a success (a timeline or events are wanted).
    pub(crate) to_the_end: bool,
}

/// Classifies the child's output as it comes, until it has exited and its pipes are
/// drained (or the drain's time is up): says which phase is running during silence, and
/// (with `early`) the diagnosis as soon as one is decisive. The output is cut, cleaned
/// and searched on a second thread ([`sift`]); this one hands its lines to the rules.
pub(crate) fn watch(
    supervised: &Supervised,
    classifier: &mut Classifier<'_>,
    lines: &mut Lines,
    progress: &mut Progress,
    how: &Watching,
) -> Outcome {
    // Two chunks in flight: the sifting side keeps ahead without holding much.
    let (to, from) = mpsc::sync_channel(2);
    let (stop, mid_line) = (AtomicBool::new(false), AtomicBool::new(false));
    let shared = Sifting { spool: &supervised.events, stop: &stop, mid_line: &mid_line };
    let sifter = classifier.sifter();
    std::thread::scope(|scope| {
        // Dropped first should this thread fail: the sifting side's sends fail, and it ends.
        let from = from;
        // The sender goes with the thread: the messages end when it does.
        let sifting = scope.spawn(move || sift(&shared, lines, sifter, &to));
        let outcome = follow(supervised, classifier, progress, how, &from, &mid_line);
        stop.store(true, Ordering::Relaxed);
        // The lines the sifting side still held are classified; the events after the
        // watch are past.
        for message in &from {
            if let Message::Output { sifted: Some(sifted), .. } = message {
                classifier.take(sifted);
            }
        }
        // A sifting side that failed ended the watch as if the output had: the run
        // fails as loudly as a failing classifier on this thread would.
        if let Err(panic) = sifting.join() {
            std::panic::resume_unwind(panic);
        }
        outcome
    })
}

/// The watch itself, on the messages the sifting side passes on.
fn follow(
    supervised: &Supervised,
    classifier: &mut Classifier<'_>,
    progress: &mut Progress,
    how: &Watching,
    from: &Receiver<Message>,
    mid_line: &AtomicBool,
) -> Outcome {
    let tick = how.heartbeat.map_or(Duration::from_secs(1), |h| h.min(Duration::from_secs(1)));
    let (mut last_output, mut last_beat) = (Instant::now(), Instant::now());
    let mut open = 2;
    let mut outcome = Outcome { ended: None, stdout_closed: false, early: None };
    let mut deadline: Option<Instant> = None;
    let mut beat = Beat::default();
    while open > 0 || deadline.is_none() {
        // A success needs no diagnosis: once its output has passed through, whatever
        // classification has not caught up with is left.
        if !how.early && !how.to_the_end && supervised.succeeded_and_passed_through() {
            outcome.ended = Some(Ended::Code(0));
            break;
        }
        let wait = deadline.map_or(tick, |d| d.saturating_duration_since(Instant::now()));
        match from.recv_timeout(wait) {
            Ok(Message::Output { sifted, at, caught_up }) => {
                if let Some(sifted) = sifted {
                    classifier.take(sifted);
                }
                last_output = Instant::now();
                // Caught up (live output): look at once, so each phase and step is timed
                // by the chunk that began it; behind (a burst), now and then.
                progress.after_output(classifier, at, caught_up);
                if how.early && outcome.early.is_none() {
                    outcome.early = say_early(classifier);
                }
            }
            Ok(Message::Closed(stream, ours)) => {
                open -= 1;
                outcome.stdout_closed |= ours && stream == Stream::Out;
            }
            Ok(Message::Exited(ended)) => {
                outcome.ended = Some(ended);
                deadline = Some(Instant::now() + DRAIN);
            }
            Err(RecvTimeoutError::Timeout) if deadline.is_some_and(|d| Instant::now() >= d) => break,
            Err(RecvTimeoutError::Timeout) => {
                let at = supervised.started().elapsed();
                progress.after_output(classifier, at, true);
                let silent = last_output.elapsed();
                if let Some(interval) = how.heartbeat.filter(|i| silent >= *i && last_beat.elapsed() >= *i) {
                    last_beat = Instant::now();
                    let phase = progress.phase().map_or("the command is running, before any phase it marks", Phase::description);
                    let text = format!("sandbox-triage: no output for {}s: {phase}", silent.as_secs().max(interval.as_secs()));
                    // One terminal line, or the redraw would leave its start behind.
                    let text = style_for(Destination::Stderr).cut_line(&text, |width| width.saturating_sub(1));
                    beat.say(&text, mid_line.load(Ordering::Relaxed));
                    progress.events.heartbeat(at, progress.phase(), silent);
                }
            }
            // The output is over, and everything in it was passed on.
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    outcome
}

/// Prints the diagnosis so far when it is decisive; the kind it printed.
fn say_early(classifier: &mut Classifier<'_>) -> Option<String> {
    classifier.flush_lines();
    let so_far = classifier.peek();
    if matches!(so_far.kind, Kind::Unknown | Kind::None) {
        return None;
    }
    say(&format!(
        "\nsandbox-triage: the command is failing (it has not exited yet)\n{}",
        diagnosis_human(&so_far, style_for(Destination::Stderr))
    ));
    Some(so_far.kind_id().to_owned())
}
