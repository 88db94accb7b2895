//! Reading an output on a worker thread as its chunks arrive, as the command reads a
//! file: the worker's reader cleans each chunk while the rules run on the one before.
//! Nothing here waits on the event loop's thread or in libuv's pool: the streaming
//! `Classifier` offers each chunk (refused while [`QUEUED`] wait, and offered again a
//! moment later) and asks whether the worker is done before taking the answer; `diagnose`
//! on a long string pushes slices from the main thread, which waits for room, as a
//! synchronous call does. An output of at most [`SMALL`] bytes needs no thread at all.

use std::io::{self, Read};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Mutex, PoisonError};
use std::thread::JoinHandle;

use napi::bindgen_prelude::{Buffer, ObjectFinalize};
use napi::{Env, Error, Result, Status};
use napi_derive::napi;
use sandbox_triage_core::Triage;

use crate::diagnosed::Diagnosed;
use crate::settings::{rules, DiagnoseOptions, Reading};

/// Chunks waiting for the worker; an offer is refused while this many do.
const QUEUED: usize = 16;

/// An output up to this size is read without a thread, when it ends: most are this
/// small, and a classifier dropped unfinished then holds no thread.
const SMALL: usize = 1 << 20;

/// The native memory a reader holds, told to V8 so that readers dropped unfinished are
/// collected as it grows: the output kept, then the classifier and its worker's buffers.
const HELD_IDLE: i64 = 1 << 20;
const HELD_READING: i64 = 2 << 20;

/// A chunk for the worker: always a copy, made before the call returns. A Buffer kept
/// instead could be changed, or its memory moved away (an `ArrayBuffer` transferred to
/// a worker is detached and freed), before the worker reads it.
type Chunk = Vec<u8>;

/// The chunks as one reader, in order, to its end (the sender dropped).
struct Chunks {
    receiver: Receiver<Chunk>,
    current: Chunk,
    at: usize,
}

impl Read for Chunks {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at == self.current.len() {
            match self.receiver.recv() {
                Ok(next) => (self.current, self.at) = (next, 0),
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.current.len() - self.at);
        out[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

type Worker = JoinHandle<io::Result<Triage<'static>>>;

/// Where the reading is: not started (the output so far kept; no classifier, no thread
/// yet), read by its worker (the sender feeds it; gone once the input ended), or ended.
enum State {
    Waiting(Vec<u8>),
    Reading(Option<SyncSender<Chunk>>, Worker),
    Ended,
}

/// One output, read on a worker thread once it is more than 1 MiB.
#[napi(custom_finalize)]
pub struct OutputReader {
    state: Mutex<State>,
    reading: Reading,
    /// What was told to V8.
    held: AtomicI64,
}

impl ObjectFinalize for OutputReader {
    fn finalize(self, env: Env) -> Result<()> {
        env.adjust_external_memory(-self.held.load(Ordering::Relaxed))?;
        Ok(())
    }
}

fn ended() -> Error {
    Error::new(Status::GenericFailure, "the classifier has finished: start a new one for another output")
}

fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(Status::GenericFailure, format!("{what}: {e}"))
}

impl OutputReader {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts the worker with the output kept so far.
    fn start(&self, env: Env, kept: Vec<u8>) -> Result<State> {
        let (sender, receiver) = sync_channel(QUEUED);
        let mut triage = self.reading.triage()?;
        let worker = std::thread::Builder::new()
            .name("sandbox-triage-reader".to_owned())
            .spawn(move || triage.read_from(Chunks { receiver, current: kept, at: 0 }).map(|()| triage))
            .map_err(|e| failed("cannot start a reading thread", e))?;
        env.adjust_external_memory(HELD_READING)?;
        self.held.fetch_add(HELD_READING, Ordering::Relaxed);
        Ok(State::Reading(Some(sender), worker))
    }

    /// Takes `chunk` if there is room, waiting for room when `wait`.
    fn take(&self, env: Env, chunk: &[u8], wait: bool) -> Result<bool> {
        let mut state = self.state();
        if let State::Waiting(kept) = &mut *state {
            if kept.len() + chunk.len() <= SMALL {
                kept.extend_from_slice(chunk);
                return Ok(true);
            }
            let kept = std::mem::take(kept);
            *state = self.start(env, kept)?;
        }
        let State::Reading(Some(sender), _) = &*state else { return Err(ended()) };
        if wait {
            return sender.send(chunk.to_vec()).map(|()| true).map_err(|_| ended());
        }
        match sender.try_send(chunk.to_vec()) {
            Ok(()) => Ok(true),
            Err(TrySendError::Full(_)) => Ok(false),
            Err(TrySendError::Disconnected(_)) => Err(ended()),
        }
    }
}

#[napi]
impl OutputReader {
    /// A reader for an output read with `options` (the exit status may wait for the end).
    #[napi(constructor)]
    pub fn new(env: Env, options: Option<DiagnoseOptions>) -> Result<OutputReader> {
        let reading = Reading::new(options)?;
        rules()?;
        env.adjust_external_memory(HELD_IDLE)?;
        Ok(OutputReader { state: Mutex::new(State::Waiting(Vec::new())), reading, held: AtomicI64::new(HELD_IDLE) })
    }

    /// Offers the next chunk: taken (copied) when there is room, else false, and the
    /// caller offers it again a moment later. Never waits.
    #[napi]
    pub fn offer(&self, env: Env, chunk: Buffer) -> Result<bool> {
        self.take(env, &chunk, false)
    }

    /// The next chunk, copied, waiting here while the worker is behind (a synchronous
    /// caller's).
    #[napi]
    pub fn push_copy(&self, env: Env, chunk: &[u8]) -> Result<()> {
        self.take(env, chunk, true).map(|_| ())
    }

    /// Ends the input; true once everything is read and [`OutputReader::answer`] will
    /// not wait.
    #[napi]
    pub fn done(&self) -> bool {
        let mut state = self.state();
        match &mut *state {
            State::Reading(sender, worker) => {
                sender.take();
                worker.is_finished()
            }
            State::Waiting(_) | State::Ended => true,
        }
    }

    /// The answer: `exit_status` is the command's, when known. Waits for the worker
    /// when it has not read everything yet.
    #[napi]
    pub fn answer(&self, exit_status: Option<i32>) -> Result<Diagnosed> {
        let triage = match std::mem::replace(&mut *self.state(), State::Ended) {
            State::Waiting(kept) => {
                let mut triage = self.reading.triage()?;
                triage.feed(&kept);
                triage
            }
            State::Reading(sender, worker) => {
                drop(sender);
                worker
                    .join()
                    .map_err(|_| failed("the reading thread stopped", "it panicked"))?
                    .map_err(|e| failed("cannot read the output", e))?
            }
            State::Ended => return Err(ended()),
        };
        Ok(self.reading.answer(triage.finish_with(exit_status.or(self.reading.options.exit_status))))
    }

    /// Drops what was read and stops the worker: the classifier was destroyed.
    #[napi]
    pub fn abort(&self) {
        // The worker sees its input end and stops; its answer is never asked for.
        *self.state() = State::Ended;
    }
}
