//! The container engine a create ran against: its wording and its commands differ.

/// A container engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display, strum::EnumString, strum::IntoStaticStr, strum::VariantNames)]
#[strum(serialize_all = "lowercase", parse_err_ty = crate::model::UnknownId, parse_err_fn = Engine::unknown)]
#[non_exhaustive]
pub enum Engine {
    /// Docker Engine (Docker Desktop, Colima).
    Docker,
    /// Podman (its Docker-compatible API).
    Podman,
}

crate::model::id::string_id!(Engine, "engine");
