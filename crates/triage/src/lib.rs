//! Classify failed OpenShell sandbox creates (and gateway starts, and provider
//! validations) from their output.
//!
//! The pipeline is pure: bytes go into a [`Classifier`], which streams them through a
//! [`Scanner`] in bounded memory, tracks the [`Phase`] the create reached and the facts it
//! printed, and runs the [`Catalogue`]'s rules on the few lines that hold one of their
//! anchors. [`Classifier::finish`] returns a [`Diagnosis`]: the kind, the phase, the facts
//! and the evidence lines that prove it. Reading files, printing and exit codes belong to
//! the binary.
//!
//! ```
//! use sandbox_triage::{classify, Catalogue, Kind, Options, Stage, StageRules};
//!
//! let catalogue = Catalogue::builtin().unwrap();
//! let rules = StageRules::new(&catalogue, Stage::SandboxCreate);
//! let output = b"  Step 4/35 : RUN apt-get update\n  E: Failed to fetch http://deb.debian.org/x.deb  Connection reset by peer\nThe command '/bin/sh -c apt-get update' returned a non-zero code: 100\n";
//! let diagnosis = classify(&rules, Options::default(), output);
//! assert_eq!(diagnosis.kind, Kind::BuildStepNetworkFailed);
//! ```

mod analysis;
pub mod anchors;
pub mod catalogue;
mod classifier;
pub mod corpus;
pub mod correlate;
mod decide;
pub mod diagnosis;
pub mod host;
pub mod image_ref;
pub mod invocation;
pub mod kind;
pub mod phase;
pub mod plan;
pub mod plan_render;
pub mod planner;
pub mod provider;
pub mod reconstruct;
pub mod redact;
pub mod render;
pub mod rule;
pub mod rule_case;
pub mod scanner;
pub mod shell;
pub mod stage_rules;
pub mod text;

pub use catalogue::{Catalogue, CatalogueError};
pub use classifier::{classify, Classifier, Options};
pub use diagnosis::{Diagnosis, Evidence, FailedStep, SCHEMA_VERSION};
pub use host::{Arch, Os, Version};
pub use image_ref::ImageRef;
pub use kind::{Kind, Retry, Stage};
pub use phase::Phase;
pub use rule::{Engine, Rule};
pub use scanner::Scanner;
pub use stage_rules::StageRules;
