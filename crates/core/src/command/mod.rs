//! Safe commands: the create invocation as typed data ([`CreateInvocation`]), rebuilt to
//! create from an image ([`reconstruct()`]) with [`Placeholders`] for what must not be
//! printed, and every command rendered for a shell with each [`Word`] quoted
//! ([`render`]), so nothing in the input can inject a command.

mod flags;
mod from_source;
mod invocation;
mod placeholder;
mod reconstruct;
mod shell;
mod value_kind;
mod word;

pub use flags::Sensitivity;
pub use from_source::{FromSource, PathKind};
pub use invocation::{Arg, CreateInvocation, EnvWrapper, Form, InvocationError, TrailingCommand};
pub use placeholder::{variable, Carried, Placeholder, Placeholders, Spec, VARIABLE_PREFIX};
pub use reconstruct::{reconstruct, reconstruct_among, Reconstruction};
pub use shell::{render, render_bytes, render_pipeline, RenderError, Shell};
pub use value_kind::{InvalidValue, ValueKind};
pub use word::{words, Part, Word};
