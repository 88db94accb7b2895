//! Which command's output is classified: each stage has its own kinds and rules.

/// Which command's output is being classified.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
    strum::VariantNames,
)]
#[strum(serialize_all = "kebab-case", parse_err_ty = crate::model::UnknownId, parse_err_fn = Stage::unknown)]
#[non_exhaustive]
pub enum Stage {
    /// `openshell sandbox create` (and `nemoclaw onboard` around it).
    SandboxCreate,
    /// `openshell gateway start` or the gateway service's log.
    GatewayStart,
    /// An inference provider's validation request (HTTP status, curl status, message).
    ProviderValidation,
}

crate::model::id::string_id!(Stage, "stage");

impl Stage {
    /// Every stage, in order.
    pub fn all() -> impl Iterator<Item = Stage> {
        <Stage as strum::IntoEnumIterator>::iter()
    }
}
