//! The streaming classifier: chunks as a child process writes them, classified on
//! libuv's worker threads (the event loop never waits on a large chunk), in the bounded
//! memory the engine keeps; the answer when the exit status is known.

use std::sync::{Arc, Mutex, PoisonError};

use napi::bindgen_prelude::{AsyncTask, Buffer};
use napi::{Env, Error, Result, Status, Task};
use napi_derive::napi;
use sandbox_triage_core::Triage;

use crate::diagnosed::Diagnosed;
use crate::settings::{rules, DiagnoseOptions, Reading};

/// The classification under way; `None` once finished.
type Shared = Arc<Mutex<Option<Triage<'static>>>>;

/// Classifies an output as it is produced.
#[napi]
pub struct StreamClassifier {
    triage: Shared,
    reading: Reading,
}

fn finished() -> Error {
    Error::new(Status::GenericFailure, "the classifier has finished: start a new one for another output")
}

#[napi]
impl StreamClassifier {
    /// A classifier for one output, read with `options` (the exit status may wait for
    /// [`StreamClassifier::finish`]).
    #[napi(constructor)]
    pub fn new(options: Option<DiagnoseOptions>) -> Result<StreamClassifier> {
        let reading = Reading::new(options)?;
        let triage = Triage::new(rules()?, reading.stage, reading.options, reading.http_status, reading.curl_status);
        Ok(StreamClassifier { triage: Arc::new(Mutex::new(Some(triage))), reading })
    }

    /// Classifies `chunks`, in order, off the event loop; the promise settles when they
    /// are read. The caller sends the next chunks only then, so that order is kept.
    #[napi(ts_return_type = "Promise<void>")]
    #[must_use]
    pub fn feed(&self, chunks: Vec<Buffer>) -> AsyncTask<Feed> {
        AsyncTask::new(Feed { triage: Arc::clone(&self.triage), chunks })
    }

    /// The answer, once the output has ended: `exit_status` is the command's, when
    /// known. Chunks still being fed must have settled first.
    #[napi]
    pub fn finish(&self, exit_status: Option<i32>) -> Result<Diagnosed> {
        let triage = self.triage.lock().unwrap_or_else(PoisonError::into_inner).take().ok_or_else(finished)?;
        let exit_status = exit_status.or(self.reading.options.exit_status);
        Ok(self.reading.answer(triage.finish_with(exit_status)))
    }
}

/// Chunks to classify on a worker thread.
pub struct Feed {
    triage: Shared,
    chunks: Vec<Buffer>,
}

impl Task for Feed {
    type Output = ();
    type JsValue = ();

    fn compute(&mut self) -> Result<()> {
        let mut guard = self.triage.lock().unwrap_or_else(PoisonError::into_inner);
        let triage = guard.as_mut().ok_or_else(finished)?;
        for chunk in &self.chunks {
            triage.feed(chunk);
        }
        Ok(())
    }

    fn resolve(&mut self, _env: Env, (): ()) -> Result<()> {
        Ok(())
    }
}
