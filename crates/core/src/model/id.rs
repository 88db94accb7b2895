//! Ids spelled once. Every enum whose values are a public contract (JSON fields, rule
//! files, NemoClaw's ids, command-line values) derives its spellings from one attribute
//! with `strum`, and refuses an unknown spelling with the same typed error.

use std::fmt;

/// A spelling that names no value of an id enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} '{id}' (expected {})", Expected(expected))]
pub struct UnknownId {
    /// What was being named: `kind`, `stage`, `phase`, …
    pub what: &'static str,
    /// The spelling given.
    pub id: String,
    /// Every accepted spelling.
    pub expected: &'static [&'static str],
}

/// `a, b or c`.
struct Expected<'a>(&'a [&'a str]);

impl fmt::Display for Expected<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, id) in self.0.iter().enumerate() {
            let separator = match i {
                0 => "",
                _ if i + 1 == self.0.len() => " or ",
                _ => ", ",
            };
            write!(f, "{separator}{id}")?;
        }
        Ok(())
    }
}

/// The rest of an id enum's contract, from its `strum` spellings: `as_str`, the typed
/// parse error, serde both ways, and a JSON Schema string enum.
macro_rules! string_id {
    ($ty:ident, $what:literal) => {
        $crate::model::id::string_id!($ty, $what, <$ty as strum::VariantNames>::VARIANTS);
    };
    // `$ids`: the spellings a user may give and a program may see, when some variant is
    // only ever shown under another name.
    ($ty:ident, $what:literal, $ids:expr) => {
        impl $ty {
            /// Every spelling accepted and shown, in order.
            pub(crate) fn ids() -> &'static [&'static str] {
                $ids
            }

            /// The id, as JSON, rule files and the command line spell it.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                self.into()
            }

            pub(crate) fn unknown(id: &str) -> $crate::model::UnknownId {
                $crate::model::UnknownId { what: $what, id: id.to_owned(), expected: Self::ids() }
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let values: &[&str] = Self::ids();
                schemars::json_schema!({ "type": "string", "enum": values })
            }
        }
    };
}
pub(crate) use string_id;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_what_was_expected() {
        let error = UnknownId { what: "shell", id: "csh".to_owned(), expected: &["sh", "fish", "json"] };
        assert_eq!(error.to_string(), "unknown shell 'csh' (expected sh, fish or json)");
    }
}
