//! Supervising a create (`run`): the child started with our terminal or pipes
//! ([`mod@spawn`]), its output passed through and spooled for the classifier ([`spool`]),
//! its stops passed on as a shell would ([`job_control`]), a pseudo-terminal when ours
//! is one ([`pty`]), its output followed ([`mod@watch`], [`progress`]) and what happens
//! written as it happens ([`events`]). [`child`] holds the plain data they share, so
//! none of the parts depends on another.

pub(crate) mod child;
pub(crate) mod events;
pub(crate) mod job_control;
mod lines;
pub(crate) mod progress;
pub(crate) mod pty;
pub(crate) mod spawn;
#[cfg(target_os = "linux")]
mod splice;
pub(crate) mod spool;
mod terminal_line;
pub(crate) mod watch;

pub(crate) use child::Ended;
pub(crate) use events::Events;
pub(crate) use lines::Lines;
pub(crate) use progress::Progress;
pub(crate) use spawn::{spawn, SpawnError};
pub(crate) use watch::{watch, Watching};
