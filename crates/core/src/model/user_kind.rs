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

/// The kind a rule decides: the catalogue's, or one of the user's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleKind {
    /// A kind of the catalogue.
    Catalogue(Kind),
    /// A kind of the user's own, with its title and fix.
    Own(UserKind),
}

impl RuleKind {
    /// The kind `id` names: the catalogue's when no title or fix is given, else one of
    /// the user's own (a rule file's `kind`, `title` and `fix`; `rules new`'s flags).
    ///
    /// # Errors
    ///
    /// The field that is not valid, and why: an unknown catalogue id says a kind of one's
    /// own needs a title and fix when the id could be one.
    pub fn named(id: &str, title: Option<&str>, fix: Option<&str>) -> Result<RuleKind, UserKindError> {
        if title.is_some() || fix.is_some() {
            return UserKind::new(id, title.unwrap_or_default(), fix.unwrap_or_default()).map(RuleKind::Own);
        }
        id.parse().map(RuleKind::Catalogue).map_err(|unknown| {
            let hint = if UserKind::is_id(id) && id != Kind::UserKind.as_str() {
                ": for a kind of your own, give its title and fix too"
            } else {
                ""
            };
            UserKindError { field: "kind", message: format!("{unknown}{hint}") }
        })
    }
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
    /// Checks a user's kind; the title and fix are masked, since they are shown as they
    /// are, and their lengths are those of the masked text (what the rule file then holds).
    ///
    /// # Errors
    ///
    /// The field that is not valid, and why.
    pub fn new(id: &str, title: &str, fix: &str) -> Result<UserKind, UserKindError> {
        let error = |field, message: String| Err(UserKindError { field, message });
        if id.parse::<Kind>().is_ok() {
            return error("kind", format!("'{id}' is a built-in kind: it has its own title and plan, so give no `title` or `fix`"));
        }
        if id == Kind::UserKind.as_str() {
            return error("kind", format!("'{id}' is reserved: name the kind after the failure"));
        }
        if !UserKind::is_id(id) {
            return error(
                "kind",
                format!("'{id}' is not a kind: a kind of your own is an id of lowercase letters, digits and '_', starting with a letter, at most {ID_MAX} bytes"),
            );
        }
        let title = redact(title.trim()).into_owned();
        if title.is_empty() {
            return error("title", "missing: a kind of your own needs a one-line `title` saying what failed".to_owned());
        }
        if title.len() > TITLE_MAX || title.chars().any(|c| c.is_control() || hidden(c)) {
            return error("title", format!("must be one line of visible text, at most {TITLE_MAX} bytes (secrets masked): what failed"));
        }
        let fix = redact(fix.trim()).into_owned();
        if fix.is_empty() {
            return error("fix", "missing: a kind of your own needs a `fix` saying what the operator does about it".to_owned());
        }
        if fix.len() > FIX_MAX || fix.chars().any(|c| (c.is_control() && c != '\n') || hidden(c)) {
            return error(
                "fix",
                format!("must be visible text, at most {FIX_MAX} bytes (secrets masked): what the operator does about it"),
            );
        }
        Ok(UserKind { id: id.to_owned(), title, fix })
    }

    /// Whether `id` has the form of a kind's id (it may still be the catalogue's).
    #[must_use]
    pub fn is_id(id: &str) -> bool {
        id.starts_with(|c: char| c.is_ascii_lowercase())
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && id.len() <= ID_MAX
    }
}

/// Characters a terminal shows as nothing, or that reorder the text around them (bidi
/// controls): text holding them can read other than it is.
fn hidden(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{061c}' | '\u{feff}' | '\u{00ad}')
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
        assert!(UserKind::new("user_kind", "t", "f").unwrap_err().message.contains("reserved"));
        for id in ["", "Quota", "quota-refused", "9lives", "_x", &"a".repeat(ID_MAX + 1)] {
            assert_eq!(refused(id, "t", "f"), "kind", "{id}");
        }
        assert!(UserKind::new(&"a".repeat(ID_MAX), "t", "f").is_ok());
    }

    #[test]
    fn refuses_a_title_that_is_not_one_line_and_an_empty_or_huge_fix() {
        assert_eq!(
            UserKind::new("x", " ", "f").unwrap_err().message,
            "missing: a kind of your own needs a one-line `title` saying what failed"
        );
        assert_eq!(refused("x", "t", ""), "fix");
        assert_eq!(refused("x", "a\u{202e}b", "f"), "title");
        assert_eq!(refused("x", "t", "a\u{200b}b"), "fix");
        assert_eq!(refused("x", "a\nb", "f"), "title");
        assert_eq!(refused("x", &"t".repeat(TITLE_MAX + 1), "f"), "title");
        assert!(UserKind::new("x", &"t".repeat(TITLE_MAX), "f").is_ok());
        assert_eq!(refused("x", "t", "\n"), "fix");
        assert_eq!(refused("x", "t", "a\u{1b}[31m"), "fix");
        assert_eq!(refused("x", "t", &"f".repeat(FIX_MAX + 1)), "fix");
        assert!(UserKind::new("x", "t", &"f".repeat(FIX_MAX)).is_ok());
    }

    #[test]
    fn the_limits_are_the_masked_texts_so_a_written_kind_reads_back() {
        // Masking lengthens `PASSWORD=a`: the limit is checked on what is kept.
        let title = format!("{} PASSWORD=a", "t".repeat(TITLE_MAX - 11));
        assert_eq!(title.len(), TITLE_MAX);
        assert_eq!(refused("x", &title, "f"), "title");
        let kept = UserKind::new("x", &format!("{} PASSWORD=a", "t".repeat(TITLE_MAX - 14)), "f").unwrap();
        assert_eq!(UserKind::new("x", &kept.title, &kept.fix), Ok(kept));
    }

    #[test]
    fn a_kind_is_the_catalogues_without_a_title_or_fix_and_ones_own_with_them() {
        assert_eq!(RuleKind::named("disk_full", None, None), Ok(RuleKind::Catalogue(Kind::DiskFull)));
        let own = RuleKind::named("quota_refused", Some("Refused"), Some("Ask.")).unwrap();
        assert!(matches!(own, RuleKind::Own(k) if k.id == "quota_refused"));
        assert_eq!(RuleKind::named("quota_refused", Some("Refused"), None).unwrap_err().field, "fix");
        let hinted = RuleKind::named("quota_refused", None, None).unwrap_err();
        assert_eq!((hinted.field, hinted.message.ends_with(": for a kind of your own, give its title and fix too")), ("kind", true));
        // No hint where no title and fix would help.
        for id in ["user_kind", "Quota-Refused"] {
            assert!(!RuleKind::named(id, None, None).unwrap_err().message.contains("title"), "{id}");
        }
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
