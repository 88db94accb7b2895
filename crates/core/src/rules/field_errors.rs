//! Helpers that make a rule file's errors name the field and the line: the field
//! serde's message is about, the fields a role's struct reads, the line of a TOML error.

use serde::de::DeserializeOwned;

/// The text between the first pair of backticks (serde names fields that way).
pub(super) fn backticked(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(&message[start..end])
}

/// The field names `T`'s derived `Deserialize` reads: serde hands them to
/// `deserialize_struct`, where this deserializer notes them and stops.
pub(super) fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Introspect<'a>(&'a mut &'static [&'static str]);

    impl<'de> serde::Deserializer<'de> for Introspect<'_> {
        type Error = serde::de::value::Error;

        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(serde::de::Error::custom("fields noted"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit unit_struct
            newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }

    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Introspect(&mut fields));
    fields
}

/// Where a TOML error is: the line, and the field when the line assigns one.
pub(super) fn span_hint(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let Some(span) = span else { return String::new() };
    let start = span.start.min(text.len());
    let line = text[..start].bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_text = text[line_start..].lines().next().unwrap_or_default();
    match line_text.split_once('=') {
        Some((key, _)) if !key.trim().is_empty() && !key.contains('[') => format!(" (field `{}`, line {line})", key.trim()),
        _ => format!(" (line {line})"),
    }
}
