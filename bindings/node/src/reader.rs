//! Reading an output on a worker thread as its chunks arrive, as the command reads a
//! file: the worker's reader cleans each chunk while the rules run on the one before.
//! The streaming `Classifier` feeds it from libuv's pool (the event loop never waits),
//! and `diagnose` on a long string from the main thread, converting the next slice
//! while the worker reads the last. At most [`QUEUED`] chunks wait: memory stays bounded.

use std::io::{self, Read};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Mutex, PoisonError};
use std::thread::JoinHandle;

use napi::bindgen_prelude::{AsyncTask, Buffer};
use napi::{Env, Error, Result, Status, Task};
use napi_derive::napi;
use sandbox_triage_core::Triage;

use crate::diagnosed::Diagnosed;
use crate::settings::{rules, DiagnoseOptions, Reading};

/// Chunks waiting for the worker; a sender waits when this many do.
const QUEUED: usize = 4;

/// A chunk for the worker: the caller's Buffer itself (kept alive until read), or a
/// copy of a buffer the caller reuses.
enum Chunk {
    Shared(Buffer),
    Copied(Vec<u8>),
}

impl Chunk {
    fn bytes(&self) -> &[u8] {
        match self {
            Chunk::Shared(buffer) => buffer,
            Chunk::Copied(bytes) => bytes,
        }
    }
}

/// The chunks as one reader, in order, to its end (every sender dropped).
struct Chunks {
    receiver: Receiver<Chunk>,
    current: Option<Chunk>,
    at: usize,
}

impl Read for Chunks {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.current.as_ref().is_none_or(|c| self.at == c.bytes().len()) {
            match self.receiver.recv() {
                Ok(next) => (self.current, self.at) = (Some(next), 0),
                Err(_) => return Ok(0),
            }
        }
        let current = self.current.as_ref().map_or(&[][..], Chunk::bytes);
        let n = out.len().min(current.len() - self.at);
        out[..n].copy_from_slice(&current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

type Worker = JoinHandle<io::Result<Triage<'static>>>;

/// One output, read on a worker thread.
#[napi]
pub struct OutputReader {
    sender: Mutex<Option<SyncSender<Chunk>>>,
    worker: Mutex<Option<Worker>>,
    reading: Reading,
}

fn ended() -> Error {
    Error::new(Status::GenericFailure, "the classifier has finished: start a new one for another output")
}

impl OutputReader {
    fn sender(&self) -> Result<SyncSender<Chunk>> {
        self.sender.lock().unwrap_or_else(PoisonError::into_inner).clone().ok_or_else(ended)
    }

    /// Ends the input: the worker finishes reading, and is handed over.
    fn close(&self) -> Result<Worker> {
        drop(self.sender.lock().unwrap_or_else(PoisonError::into_inner).take().ok_or_else(ended)?);
        self.worker.lock().unwrap_or_else(PoisonError::into_inner).take().ok_or_else(ended)
    }
}

/// The answer once the worker has read everything.
fn answer(worker: Worker, reading: &Reading, exit_status: Option<i32>) -> Result<Diagnosed> {
    let triage = worker
        .join()
        .map_err(|_| Error::new(Status::GenericFailure, "the reading thread stopped"))?
        .map_err(|e| Error::new(Status::GenericFailure, format!("cannot read the output: {e}")))?;
    Ok(reading.answer(triage.finish_with(exit_status.or(reading.options.exit_status))))
}

#[napi]
impl OutputReader {
    /// Starts the worker, for an output read with `options` (the exit status may wait
    /// for the end).
    #[napi(constructor)]
    pub fn new(options: Option<DiagnoseOptions>) -> Result<OutputReader> {
        let reading = Reading::new(options)?;
        let mut triage = Triage::new(rules()?, reading.stage, reading.options, reading.http_status, reading.curl_status);
        let (sender, receiver) = sync_channel(QUEUED);
        let worker = std::thread::Builder::new()
            .name("sandbox-triage-reader".to_owned())
            .spawn(move || triage.read_from(Chunks { receiver, current: None, at: 0 }).map(|()| triage))
            .map_err(|e| Error::new(Status::GenericFailure, format!("cannot start a reading thread: {e}")))?;
        Ok(OutputReader { sender: Mutex::new(Some(sender)), worker: Mutex::new(Some(worker)), reading })
    }

    /// The next chunks, handed to the worker from libuv's pool; the promise settles once
    /// they are queued. The caller sends the next only then, so that order is kept. The
    /// Buffers are read later: they must not change.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn feed(&self, chunks: Vec<Buffer>) -> Result<AsyncTask<Feed>> {
        Ok(AsyncTask::new(Feed { sender: self.sender()?, chunks }))
    }

    /// The next chunk, copied, from this thread (it waits while the worker is behind).
    #[napi]
    pub fn push_copy(&self, chunk: &[u8]) -> Result<()> {
        self.sender()?.send(Chunk::Copied(chunk.to_vec())).map_err(|_| ended())
    }

    /// The answer, waiting here for the worker.
    #[napi]
    pub fn finish_now(&self, exit_status: Option<i32>) -> Result<Diagnosed> {
        answer(self.close()?, &self.reading, exit_status)
    }

    /// The answer, waited for in libuv's pool.
    #[napi(ts_return_type = "Promise<Diagnosed>")]
    pub fn finish(&self, exit_status: Option<i32>) -> Result<AsyncTask<Finish>> {
        Ok(AsyncTask::new(Finish { worker: Some(self.close()?), reading: self.reading.clone(), exit_status }))
    }
}

/// Chunks to hand to the worker.
pub struct Feed {
    sender: SyncSender<Chunk>,
    chunks: Vec<Buffer>,
}

impl Task for Feed {
    type Output = ();
    type JsValue = ();

    fn compute(&mut self) -> Result<()> {
        for chunk in std::mem::take(&mut self.chunks) {
            self.sender.send(Chunk::Shared(chunk)).map_err(|_| ended())?;
        }
        Ok(())
    }

    fn resolve(&mut self, _env: Env, (): ()) -> Result<()> {
        Ok(())
    }
}

/// The end of the input, and the answer.
pub struct Finish {
    worker: Option<Worker>,
    reading: Reading,
    exit_status: Option<i32>,
}

impl Task for Finish {
    type Output = Diagnosed;
    type JsValue = Diagnosed;

    fn compute(&mut self) -> Result<Diagnosed> {
        answer(self.worker.take().ok_or_else(ended)?, &self.reading, self.exit_status)
    }

    fn resolve(&mut self, _env: Env, diagnosed: Diagnosed) -> Result<Diagnosed> {
        Ok(diagnosed)
    }
}
