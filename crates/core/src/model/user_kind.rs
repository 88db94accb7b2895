//! A kind of the user's own: a failure nobody here has met, named in a user's rule file
//! with a title and the fix a person carries out. It is reported under its own id; its
//! plan is its fix, shown and never run.

use serde::Serialize;

use crate::model::Kind;
use crate::redact::redact;

/// The longest id.
const ID_MAX: usize = 64;
/// The longest title.
const TITLE_MAX: usize = 200;
/// The longest fix.
const FIX_MAX: usize = 4096;

/// A user's kind, checked, its title and fix masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct UserKind {
    /// The id (lowercase letters, digits and `_`), never one of the catalogue's.
    pub id: String,
    /// One line: what failed.
    pub title: String,
    /// What a person does about it (shown, never run).
    pub fix: String,
}

/// What is wrong with a user's kind: the field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserKindError {
    /// `kind`, `title` or `fix`.
    pub field: &'static str,
    /// Why.
    pub message: String,
}

impl UserKind {
    /// Checks a user's kind; the title and fix are masked, since they are shown as they are.
    ///
    /// # Errors
    ///
    /// The field that is not valid, and why.
    pub fn new(id: &str, title: &str, fix: &str) -> Result<UserKind, UserKindError> {
        let error = |field, message: String| Err(UserKindError { field, message });
        if id.parse::<Kind>().is_ok() {
            return error("kind", format!("'{id}' is a built-in kind: it has its own title and plan, so give no `title` or `fix`"));
        }
        let snake = id.starts_with(|c: char| c.is_ascii_lowercase())
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && id.len() <= ID_MAX;
        if !snake || id == Kind::UserKind.as_str() {
            return error(
                "kind",
                format!("'{id}' is not a kind: a kind of your own is a snake_case id (lowercase letters, digits, '_'; at most {ID_MAX} bytes) the catalogue lacks"),
            );
        }
        let title = title.trim();
        if title.is_empty() || title.len() > TITLE_MAX || title.chars().any(char::is_control) {
            return error("title", format!("must be one line of text, at most {TITLE_MAX} bytes: what failed"));
        }
        let fix = fix.trim();
        if fix.is_empty() || fix.len() > FIX_MAX || fix.chars().any(|c| c.is_control() && c != '\n') {
            return error("fix", format!("must be text, at most {FIX_MAX} bytes: what the operator does about it"));
        }
        Ok(UserKind { id: id.to_owned(), title: redact(title).into_owned(), fix: redact(fix).into_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(id: &str, title: &str, fix: &str) -> &'static str {
        UserKind::new(id, title, fix).unwrap_err().field
    }

    #[test]
    fn takes_a_new_snake_case_id_with_a_title_and_a_fix() {
        let kind = UserKind::new("quota_refused", " The quota service refused ", "Ask for more.\nThen create again.").unwrap();
        assert_eq!(
            (kind.id.as_str(), kind.title.as_str(), kind.fix.as_str()),
            ("quota_refused", "The quota service refused", "Ask for more.\nThen create again.")
        );
    }

    #[test]
    fn refuses_built_in_reserved_and_malformed_ids() {
        assert_eq!(refused("disk_full", "t", "f"), "kind");
        assert_eq!(refused("user_kind", "t", "f"), "kind");
        for id in ["", "Quota", "quota-refused", "9lives", "_x", &"a".repeat(ID_MAX + 1)] {
            assert_eq!(refused(id, "t", "f"), "kind", "{id}");
        }
        assert!(UserKind::new(&"a".repeat(ID_MAX), "t", "f").is_ok());
    }

    #[test]
    fn refuses_a_title_that_is_not_one_line_and_an_empty_or_huge_fix() {
        assert_eq!(refused("x", " ", "f"), "title");
        assert_eq!(refused("x", "a\nb", "f"), "title");
        assert_eq!(refused("x", &"t".repeat(TITLE_MAX + 1), "f"), "title");
        assert!(UserKind::new("x", &"t".repeat(TITLE_MAX), "f").is_ok());
        assert_eq!(refused("x", "t", "\n"), "fix");
        assert_eq!(refused("x", "t", "a\u{1b}[31m"), "fix");
        assert_eq!(refused("x", "t", &"f".repeat(FIX_MAX + 1)), "fix");
        assert!(UserKind::new("x", "t", &"f".repeat(FIX_MAX)).is_ok());
    }

    #[test]
    fn masks_a_secret_in_the_title_and_the_fix() {
        let kind = UserKind::new(
            "x",
            "token ghp_abcdefghijklmnopqrstuvwxyz0123456789 refused",
            "export HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz0123",
        )
        .unwrap();
        assert!(!kind.title.contains("ghp_abcdefghij") && !kind.fix.contains("hf_abcdefghij"), "{kind:?}");
    }
}
