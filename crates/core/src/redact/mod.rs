//! Masking secrets in any text we print. Build logs carry API keys (`-- env
//! BRAVE_API_KEY=…`), credentialed proxy URLs and tokens; none of that may leave in an
//! evidence line, a fact, a command or a report. Image references and `sha256:` digests
//! are kept.
//!
//! Each masker has trigger literals; a masker's regex runs only on text that holds one
//! of its triggers, so streaming a multi-GiB log through [`Redactor`] costs a chunk-wide
//! literal search plus work on the rare lines that may hold a secret.

mod maskers;
mod redactor;

pub use maskers::{redact, redact_bytes, triggers};
pub use redactor::Redactor;
