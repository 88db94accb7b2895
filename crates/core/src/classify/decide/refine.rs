//! Answers a rule's match makes more precise with the facts around it: the same words
//! mean another kind when the facts say what the gateway was doing.

use crate::classify::state::Analysis;
use crate::model::{Era, Kind, Version};

const STILL_PULLING: &str = "The provisioning timed out while the gateway was still pulling the sandbox's image (its last progress was `Pulling image`): the pull itself failed or hangs, and the driver reports no pull error.";
const LOCAL_IMAGE_PULLED: &str = "The gateway's driver tried to pull the image this create built locally: it is not in the image store the gateway uses (the CLI built into another engine or machine), so the driver looked for it in a registry.";

/// A more precise kind than `kind`, and why, when the facts give one.
pub(super) fn refine(kind: Kind, analysis: &Analysis<'_>) -> Option<(Kind, &'static str)> {
    let facts = &analysis.facts;
    let pulling = facts.pulling.get().copied() == Some(true);
    let local = facts.sandbox_image.get().is_some_and(|image| facts.is_local_build(image));
    // `ImagePullFailed` with no image named, after this create built one (0.0.37 and
    // newer hand the gateway nothing but the tag): the image it could not find is that one.
    let tar_upload = analysis.version().map(Version::era).or(facts.era.get().copied()) == Some(Era::TarUpload);
    let built_unnamed = facts.sandbox_image.get().is_none() && facts.image().is_some() && !tar_upload;
    match kind {
        Kind::ProvisioningTimeout if pulling && local => Some((Kind::ImageNotInGatewayStore, LOCAL_IMAGE_PULLED)),
        Kind::ProvisioningTimeout if pulling => Some((Kind::SandboxImagePullFailed, STILL_PULLING)),
        Kind::SandboxImagePullFailed if local || built_unnamed => Some((Kind::ImageNotInGatewayStore, LOCAL_IMAGE_PULLED)),
        _ => None,
    }
}
