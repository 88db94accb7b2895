//! The sandbox-triage engine as a Node.js addon. It has no logic of its own: every
//! answer comes from `sandbox-triage-core`, the library the command uses, and every file
//! it reads is read by `sandbox-triage-host`, as the command reads it. `index.js` gives
//! it NemoClaw's names and JavaScript's input coercion.

// napi-rs hands every JavaScript argument over as an owned value.
#![allow(clippy::needless_pass_by_value)]

mod diagnosed;
mod nemoclaw;
mod reader;
mod settings;

pub use diagnosed::{diagnose, plan, redact, Diagnosed};
pub use nemoclaw::{classify_validation, nemoclaw_hints, reconstruct_image_ref_create_command};
pub use reader::OutputReader;
