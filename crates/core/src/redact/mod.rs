//! Masking secrets in the values we show. Build logs carry API keys (`-- env
//! BRAVE_API_KEY=…`), credentialed proxy URLs and tokens; none of that may leave in an
//! evidence line, a fact, a command or a report.
//!
//! Masking works on values — a line of output, one argv word — never on rendered text,
//! and only on spans it can prove are secrets: a token by its format's prefix and length,
//! an assignment when its key names a secret and its value is one, userinfo in a URL, a
//! private key block. Image references, digests, package pins, file names and prose stay
//! as they are. [`Redactor`] streams a log through it in bounded memory.

mod assignments;
mod formats;
mod keys;
mod redactor;
mod spans;

use std::borrow::Cow;

pub(crate) use keys::looks_generated;
pub use keys::secret_name;
pub use redactor::Redactor;

/// `text` with every secret masked; borrowed when there was nothing to mask. A private
/// key is masked from its `BEGIN` line to its `END` line (or the end of `text`).
#[must_use]
pub fn redact_bytes(text: &[u8]) -> Cow<'_, [u8]> {
    let mut redactor = Redactor::new();
    let mut out = Vec::new();
    redactor.push(text, &mut out);
    redactor.finish(&mut out);
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

/// [`redact_bytes`] for text.
#[must_use]
pub fn redact(text: &str) -> Cow<'_, str> {
    match redact_bytes(text.as_bytes()) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        // Masks replace whole spans with ASCII, so UTF-8 stays UTF-8.
        Cow::Owned(bytes) => Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())),
    }
}

/// Where the secrets in one line of `text` are (byte ranges, in order).
pub(crate) fn secret_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    spans::secret_spans(text.as_bytes()).into_iter().map(|span| span.range).collect()
}

/// Whether a value holds something redaction would mask.
#[must_use]
pub fn carries_secret(value: &str) -> bool {
    !spans::secret_spans(value.as_bytes()).is_empty() || spans::opens_private_key(value.as_bytes())
}

/// The literals that make a line worth a closer look (for benchmarks and docs).
#[must_use]
pub fn triggers() -> &'static [&'static str] {
    redactor::TRIGGERS
}

/// `text` masked, then clipped to `max` characters around byte `focus`: masking first,
/// so a clip can never leave part of a secret behind.
#[must_use]
pub(crate) fn mask_then_clip(text: &str, focus: usize, max: usize) -> String {
    mask_then_clip_with_focus(text, focus, max).0
}

/// `text` kept for showing later (masked then): clipped to `max` characters around byte
/// `focus` when longer, and then masked first, since the clip could leave part of a
/// secret behind; as it is (and cheaply) when it fits.
pub(crate) fn keep_clipped(text: &str, focus: usize, max: usize) -> (String, usize) {
    if text.len() <= max {
        (text.to_owned(), focus.min(text.len()))
    } else {
        mask_then_clip_with_focus(text, focus, max)
    }
}

/// [`keep_clipped`] from the text's start, into `out`: its buffer is reused when the
/// text is kept whole, as nearly all are.
pub(crate) fn keep_clipped_into(text: &str, max: usize, out: &mut String) {
    if text.len() <= max {
        text.clone_into(out);
    } else {
        *out = mask_then_clip_with_focus(text, 0, max).0;
    }
}

/// [`mask_then_clip`], with where the focus ended up.
pub(crate) fn mask_then_clip_with_focus(text: &str, focus: usize, max: usize) -> (String, usize) {
    let spans = spans::secret_spans(text.as_bytes());
    if spans.is_empty() {
        return crate::classify::terminal_text::clip_with_focus(text, focus, max);
    }
    // The focus moves with the text masked before it.
    let (removed, added) =
        spans.iter().filter(|s| s.range.end <= focus).fold((0, 0), |(r, a), s| (r + s.range.len(), a + s.replacement.len()));
    let masked = String::from_utf8(spans::apply(text.as_bytes(), &spans)).unwrap_or_default();
    let focus = (focus + added).saturating_sub(removed).min(masked.len());
    crate::classify::terminal_text::clip_with_focus(&masked, focus, max)
}

#[cfg(test)]
mod tests;
