//! Reading an output on a worker thread as its chunks arrive, as the command reads a
//! file: the worker's reader cleans each chunk while the rules run on the one before.
//! The streaming `Classifier` feeds it from libuv's pool (the event loop never waits),
//! and `diagnose` on a long string from the main thread, converting the next slice
//! while the worker reads the last. At most [`QUEUED`] chunks wait: memory stays bounded.

use std::io::{self, Read};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Mutex, PoisonError};
use std::thread::JoinHandle;

use napi::bindgen_prelude::{AsyncTask, Buffer, ObjectFinalize};
use napi::{Env, Error, Result, Status, Task};
use napi_derive::napi;
use sandbox_triage_core::Triage;

use crate::diagnosed::Diagnosed;
use crate::settings::{rules, DiagnoseOptions, Reading};

/// Chunks waiting for the worker; a sender waits when this many do.
const QUEUED: usize = 4;

/// A chunk for the worker: always a copy, made on the caller's thread before it returns.
/// A Buffer kept instead could be changed, or its memory moved away (an `ArrayBuffer`
/// transferred to a worker is detached and freed), before the worker reads it.
type Chunk = Vec<u8>;

/// The chunks as one reader, in order, to its end (every sender dropped).
struct Chunks {
    receiver: Receiver<Chunk>,
    current: Option<Chunk>,
    at: usize,
}

impl Read for Chunks {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.current.as_ref().is_none_or(|c| self.at == c.len()) {
            match self.receiver.recv() {
                Ok(next) => (self.current, self.at) = (Some(next), 0),
                Err(_) => return Ok(0),
            }
        }
        let current = self.current.as_deref().unwrap_or_default();
        let n = out.len().min(current.len() - self.at);
        out[..n].copy_from_slice(&current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

type Worker = JoinHandle<io::Result<Triage<'static>>>;

/// The native memory a reader holds while it reads (the classifier's buffers), told to
/// V8 so that readers dropped unfinished are collected as their memory grows.
const HELD: i64 = 2 << 20;

/// Where the reading is: not started (no thread yet), read by its worker, or ended.
enum State {
    Waiting(Box<Triage<'static>>, Receiver<Chunk>),
    Reading(Worker),
    Ended,
}

/// One output, read on a worker thread, started by its first chunk.
#[napi(custom_finalize)]
pub struct OutputReader {
    sender: Mutex<Option<SyncSender<Chunk>>>,
    state: Mutex<State>,
    reading: Reading,
}

impl ObjectFinalize for OutputReader {
    fn finalize(self, env: Env) -> Result<()> {
        env.adjust_external_memory(-HELD)?;
        Ok(())
    }
}

fn ended() -> Error {
    Error::new(Status::GenericFailure, "the classifier has finished: start a new one for another output")
}

fn thread_failed(e: &io::Error) -> Error {
    Error::new(Status::GenericFailure, format!("cannot start a reading thread: {e}"))
}

impl OutputReader {
    /// The sender, with the worker started.
    fn sender(&self) -> Result<SyncSender<Chunk>> {
        let sender = self.sender.lock().unwrap_or_else(PoisonError::into_inner).clone().ok_or_else(ended)?;
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        *state = match std::mem::replace(&mut *state, State::Ended) {
            State::Waiting(mut triage, receiver) => State::Reading(
                std::thread::Builder::new()
                    .name("sandbox-triage-reader".to_owned())
                    .spawn(move || triage.read_from(Chunks { receiver, current: None, at: 0 }).map(|()| *triage))
                    .map_err(|e| thread_failed(&e))?,
            ),
            started => started,
        };
        Ok(sender)
    }

    /// Ends the input: what read it, handed over.
    fn close(&self) -> Result<State> {
        drop(self.sender.lock().unwrap_or_else(PoisonError::into_inner).take().ok_or_else(ended)?);
        Ok(std::mem::replace(&mut *self.state.lock().unwrap_or_else(PoisonError::into_inner), State::Ended))
    }
}

/// The answer once everything is read.
fn answer(state: State, reading: &Reading, exit_status: Option<i32>) -> Result<Diagnosed> {
    let triage = match state {
        State::Waiting(triage, _) => *triage,
        State::Reading(worker) => worker
            .join()
            .map_err(|_| Error::new(Status::GenericFailure, "the reading thread stopped"))?
            .map_err(|e| Error::new(Status::GenericFailure, format!("cannot read the output: {e}")))?,
        State::Ended => return Err(ended()),
    };
    Ok(reading.answer(triage.finish_with(exit_status.or(reading.options.exit_status))))
}

#[napi]
impl OutputReader {
    /// A reader for an output read with `options` (the exit status may wait for the end).
    #[napi(constructor)]
    pub fn new(env: Env, options: Option<DiagnoseOptions>) -> Result<OutputReader> {
        let reading = Reading::new(options)?;
        let triage = Triage::new(rules()?, reading.stage, reading.options, reading.http_status, reading.curl_status);
        let (sender, receiver) = sync_channel(QUEUED);
        env.adjust_external_memory(HELD)?;
        Ok(OutputReader { sender: Mutex::new(Some(sender)), state: Mutex::new(State::Waiting(Box::new(triage), receiver)), reading })
    }

    /// The next chunks, copied here, then handed to the worker from libuv's pool (which
    /// waits while the worker is behind); the promise settles once they are queued. The
    /// caller sends the next only then, so that order is kept.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn feed(&self, chunks: Vec<Buffer>) -> Result<AsyncTask<Feed>> {
        let chunks = chunks.iter().map(|chunk| chunk.to_vec()).collect();
        Ok(AsyncTask::new(Feed { sender: self.sender()?, chunks }))
    }

    /// The next chunk, copied, from this thread (it waits while the worker is behind).
    #[napi]
    pub fn push_copy(&self, chunk: &[u8]) -> Result<()> {
        self.sender()?.send(chunk.to_vec()).map_err(|_| ended())
    }

    /// The answer, waiting here for the worker.
    #[napi]
    pub fn finish_now(&self, exit_status: Option<i32>) -> Result<Diagnosed> {
        answer(self.close()?, &self.reading, exit_status)
    }

    /// The answer, waited for in libuv's pool.
    #[napi(ts_return_type = "Promise<Diagnosed>")]
    pub fn finish(&self, exit_status: Option<i32>) -> Result<AsyncTask<Finish>> {
        Ok(AsyncTask::new(Finish { state: Some(self.close()?), reading: self.reading.clone(), exit_status }))
    }
}

/// Chunks to hand to the worker.
pub struct Feed {
    sender: SyncSender<Chunk>,
    chunks: Vec<Chunk>,
}

impl Task for Feed {
    type Output = ();
    type JsValue = ();

    fn compute(&mut self) -> Result<()> {
        for chunk in std::mem::take(&mut self.chunks) {
            self.sender.send(chunk).map_err(|_| ended())?;
        }
        Ok(())
    }

    fn resolve(&mut self, _env: Env, (): ()) -> Result<()> {
        Ok(())
    }
}

/// The end of the input, and the answer.
pub struct Finish {
    state: Option<State>,
    reading: Reading,
    exit_status: Option<i32>,
}

impl Task for Finish {
    type Output = Diagnosed;
    type JsValue = Diagnosed;

    fn compute(&mut self) -> Result<Diagnosed> {
        answer(self.state.take().ok_or_else(ended)?, &self.reading, self.exit_status)
    }

    fn resolve(&mut self, _env: Env, diagnosed: Diagnosed) -> Result<Diagnosed> {
        Ok(diagnosed)
    }
}
