//! What the answers are made of: the stage classified, the failure [`Kind`], the
//! [`Phase`] a create reached, the engine, host and OpenShell version it ran with, image
//! references, and the [`Diagnosis`] that holds them. Plain data with their string ids;
//! no behaviour beyond parsing and ordering.

mod diagnosis;
mod dockerfile;
mod engine;
mod host;
pub(crate) mod id;
mod image_ref;
mod kind;
mod name;
mod phase;
mod stage;
mod timeline;
mod user_kind;
mod version;

pub use diagnosis::{Cause, Diagnosis, Evidence, FailedStep};
pub use dockerfile::{DockerfileSpot, FrameLine, PlacedBy};
pub use engine::Engine;
pub use host::{Arch, Host, Os};
pub use id::UnknownId;
pub use image_ref::{ImageRef, ImageRefError};
pub use kind::{Kind, Retry};
pub use name::is_valid_name;
pub use phase::{Phase, PhaseScope};
pub use stage::Stage;
pub use timeline::{PhaseSpan, StepSpan, Timeline, TimelineBuilder, SLOWEST_STEPS};
pub use user_kind::{RuleKind, UserKind, UserKindError};
pub use version::{Era, InvalidVersion, Version};
