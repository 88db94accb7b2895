//! What a line says once terminal effects are undone: ANSI escapes removed, `\r`
//! progress rewrites resolved to what the terminal finally showed.

/// Removes ANSI escape sequences from `buf` in place and returns the new length.
/// Newlines are never removed, so line numbers do not change.
pub(crate) fn strip_ansi_in_place(buf: &mut [u8]) -> usize {
    let mut read = 0;
    let mut write = 0;
    let len = buf.len();
    while read < len {
        // Ordinary bytes up to the next escape move as one run; escapes come in
        // clusters, so the next few bytes are looked at before a vector search.
        let run = next_escape(&buf[read..len]).map_or(len, |i| read + i);
        if run > read {
            if write != read {
                buf.copy_within(read..run, write);
            }
            write += run - read;
            read = run;
            continue;
        }
        read += 1;
        match buf.get(read) {
            // CSI: parameters and intermediates, then one final byte.
            Some(b'[') => {
                read += 1;
                while read < len && (0x20..=0x3f).contains(&buf[read]) {
                    read += 1;
                }
                if read < len && (0x40..=0x7e).contains(&buf[read]) {
                    read += 1;
                }
            }
            // OSC (hyperlinks, titles), DCS, SOS, PM, APC: a string up to BEL or ESC \,
            // never past the line.
            Some(b']' | b'P' | b'X' | b'^' | b'_') => {
                read += 1;
                while read < len && buf[read] != 0x07 && buf[read] != b'\n' {
                    if buf[read] == 0x1b && buf.get(read + 1) == Some(&b'\\') {
                        read += 1;
                        break;
                    }
                    read += 1;
                }
                if read < len && buf[read] != b'\n' {
                    read += 1;
                }
            }
            Some(b'\n') | None => {}
            // nF escapes (`ESC ( B` selects a charset): intermediates, then a final byte.
            Some(0x20..=0x2f) => {
                while read < len && (0x20..=0x2f).contains(&buf[read]) {
                    read += 1;
                }
                if read < len && buf[read] != b'\n' {
                    read += 1;
                }
            }
            // Two-byte escapes (keypad modes, index, reset).
            Some(_) => read += 1,
        }
    }
    write
}

/// The first ESC in `bytes`. Escapes come in clusters a few bytes apart, where a vector
/// search costs more than it saves: the first 32 bytes are looked at a word at a time.
fn next_escape(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut at = 0;
    for chunk in bytes.chunks_exact(8).take(4) {
        let x = u64::from_ne_bytes(chunk.try_into().unwrap_or([0; 8])) ^ (ONES * 0x1b);
        if x.wrapping_sub(ONES) & !x & HIGHS != 0 {
            return chunk.iter().position(|&b| b == 0x1b).map(|i| at + i);
        }
        at += 8;
    }
    memchr::memchr(0x1b, &bytes[at..]).map(|i| at + i)
}

/// The part of a line a terminal ends up showing: a trailing `\r` (CRLF) is dropped, and
/// when a progress display rewrote the line with `\r`, the last non-empty segment is kept.
/// Returns the byte range of that part within `line`.
#[must_use]
pub(crate) fn visible_range(line: &[u8]) -> (usize, usize) {
    let mut end = line.len();
    while end > 0 && line[end - 1] == b'\r' {
        end -= 1;
    }
    // Trailing `\r`s are gone, so the segment after the last one is never empty.
    match memchr::memrchr(b'\r', &line[..end]) {
        Some(cr) => (cr + 1, end),
        None => (0, end),
    }
}

/// How many bytes at the start of `line` are a log's own prefix rather than what the
/// program printed: CI timestamps (`19:28:33 `, `2024-05-01T12:00:00.123Z `), a bracketed
/// tag (`[build] `, Podman's stage `[1/2] `), logrus levels (`INFO[0000] `), a compose
/// service (`web_1  | `), the Engine's JSON stream (`{"stream":"`). Rules anchored at the
/// start of a line then see the line as the program wrote it. Only these shapes are
/// taken, so a line's own text is never lost.
#[must_use]
pub(crate) fn log_prefix_len(line: &[u8]) -> usize {
    let mut at = 0;
    for _ in 0..3 {
        let rest = &line[at..];
        let skipped = rest.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
        let len = prefix_at(&rest[skipped..]);
        if len == 0 {
            break;
        }
        at += skipped + len;
    }
    at
}

/// Whether what follows a `[9/9] ` is BuildKit's replayed step pasted without its `> `
/// (`[9/9] RUN make:`): the numbers are the step's, not Podman's stage.
fn replayed_step(s: &[u8]) -> bool {
    let s = s.trim_ascii_end();
    s.ends_with(b":") && ["RUN ", "COPY ", "ADD ", "FROM ", "WORKDIR "].iter().any(|k| s.starts_with(k.as_bytes()))
}

/// One prefix at the start of `s`, with the spaces after it; 0 when there is none.
fn prefix_at(s: &[u8]) -> usize {
    let spaces = |from: usize| -> usize {
        let n = s[from..].iter().take_while(|b| **b == b' ' || **b == b'\t').count();
        if n == 0 && from < s.len() {
            0
        } else {
            from + n
        }
    };
    let digits = |from: usize| s[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    match s.first() {
        Some(b'0'..=b'9') => {
            let end = timestamp_len(s);
            if end > 0 && s.get(end).is_some_and(|b| *b == b' ' || *b == b'\t') {
                spaces(end)
            } else {
                0
            }
        }
        // A CI runner's tag (`[build] `) or Podman's stage (`[1/2] `), before a builder's
        // own line: OpenShell's `[progress]` and BuildKit's `[internal]` are messages.
        Some(b'[') => {
            let Some(close) = s.iter().take(34).position(|b| *b == b']') else { return 0 };
            let tag = &s[1..close];
            let stage = tag.contains(&b'/') && tag.iter().all(|b| b.is_ascii_digit() || *b == b'/');
            let word = !tag.is_empty() && tag.iter().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(b));
            let after = spaces(close + 1);
            let builder = ["STEP ", "Step ", "Successfully ", "#", "-->", "---> "].iter().any(|p| s[after..].starts_with(p.as_bytes()));
            if after > close + 1 && ((stage && !replayed_step(&s[after..])) || (word && builder)) {
                after
            } else {
                0
            }
        }
        Some(b'{') if s.starts_with(b"{\"stream\":\"") => 11,
        Some(b'A'..=b'Z') if s.len() > 6 && s[..4].iter().all(u8::is_ascii_uppercase) && s[4] == b'[' => {
            let n = digits(5);
            if n > 0 && s.get(5 + n) == Some(&b']') {
                spaces(6 + n)
            } else {
                0
            }
        }
        Some(c) if c.is_ascii_alphanumeric() => {
            let name = s.iter().take(41).take_while(|b| b.is_ascii_alphanumeric() || b"_.-".contains(b)).count();
            let pad = s[name..].iter().take_while(|b| **b == b' ').count();
            // Compose names a container `<service>_<n>` or `<service>-<n>`.
            let numbered = s[..name].iter().rposition(|b| !b.is_ascii_digit()).is_some_and(|i| i + 1 < name && matches!(s[i], b'_' | b'-'));
            if numbered && name < 41 && s.get(name + pad) == Some(&b'|') && s.get(name + pad + 1) == Some(&b' ') && pad > 0 {
                spaces(name + pad + 1)
            } else {
                0
            }
        }
        _ => 0,
    }
}

/// `HH:MM:SS[.fff]` or `YYYY-MM-DD[T ]HH:MM:SS[.fff][Z|±HH:MM]` at the start of `s`.
fn timestamp_len(s: &[u8]) -> usize {
    let digits = |from: usize| s.get(from..).map_or(0, |r| r.iter().take_while(|b| b.is_ascii_digit()).count());
    let time = |from: usize| -> usize {
        let h = digits(from);
        if !(1..=2).contains(&h) || s.get(from + h) != Some(&b':') || digits(from + h + 1) != 2 || s.get(from + h + 3) != Some(&b':') {
            return 0;
        }
        let mut end = from + h + 4;
        if digits(end) != 2 {
            return 0;
        }
        end += 2;
        if s.get(end) == Some(&b'.') || s.get(end) == Some(&b',') {
            end += 1 + digits(end + 1);
        }
        end
    };
    if digits(0) == 4
        && s.get(4) == Some(&b'-')
        && digits(5) == 2
        && s.get(7) == Some(&b'-')
        && digits(8) == 2
        && matches!(s.get(10), Some(b'T' | b' '))
    {
        let mut end = time(11);
        if end == 0 {
            return 0;
        }
        if s.get(end) == Some(&b'Z') {
            end += 1;
        } else if matches!(s.get(end), Some(b'+' | b'-')) && digits(end + 1) >= 2 {
            end += 1 + digits(end + 1);
            if s.get(end) == Some(&b':') {
                end += 1 + digits(end + 1);
            }
        }
        end
    } else {
        time(0)
    }
}

/// A line's bytes as text, invalid UTF-8 replaced: `String::from_utf8_lossy`, with the
/// standard library's faster check first (it is run on every line examined, and nearly
/// every one is valid).
pub(crate) fn lossy(line: &[u8]) -> std::borrow::Cow<'_, str> {
    std::str::from_utf8(line).map_or_else(|_| String::from_utf8_lossy(line), std::borrow::Cow::Borrowed)
}

/// The part of a line rules read: what the terminal finally showed
/// ([`visible_range`]), without the log's own prefix ([`log_prefix_len`]) and, in the
/// Engine's JSON stream, without the object's close (`\n"}`): rules anchored at the
/// line's end (`Successfully built <id>`) then see it as the builder wrote it.
#[must_use]
pub(crate) fn readable_range(line: &[u8]) -> (usize, usize) {
    let (from, to) = visible_range(line);
    let prefix = log_prefix_len(&line[from..to]);
    let start = from + prefix;
    if line[from..start].ends_with(JSON_STREAM) {
        return (start, start + json_stream_text_len(&line[start..to]));
    }
    (start, to)
}

/// How a line of the Engine's JSON stream starts (`{"stream":"Step 1/3 : …\n"}`).
const JSON_STREAM: &[u8] = b"{\"stream\":\"";

/// The length of a JSON stream line's text before its close: the string's end and the
/// object's (`"}`), after its escaped line ends (`\n`, `\r`). Text not so closed (a
/// line cut by the buffer) is kept whole.
fn json_stream_text_len(text: &[u8]) -> usize {
    let Some(mut end) = text.strip_suffix(b"\"}").map(<[u8]>::len) else { return text.len() };
    while text[..end].ends_with(b"\\n") || text[..end].ends_with(b"\\r") {
        end -= 2;
    }
    end
}

/// Shortens `text` to at most `max` characters around byte offset `focus`, marking the
/// cut with `…`. Evidence stays readable for minified or 100 MiB lines.
#[must_use]
pub(crate) fn clip_around(text: &str, focus: usize, max: usize) -> String {
    clip_with_focus(text, focus, max).0
}

/// [`clip_around`], with where the focus ended up in the clipped text.
pub(crate) fn clip_with_focus(text: &str, focus: usize, max: usize) -> (String, usize) {
    let focus = focus.min(text.len());
    if text.chars().count() <= max {
        return (text.to_owned(), focus);
    }
    let before = max / 3;
    let mut start = focus.saturating_sub(before * 4);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let head: Vec<(usize, char)> = text[start..focus.max(start)].char_indices().collect();
    let skip = head.len().saturating_sub(before);
    let start = head.get(skip).map_or(focus, |(i, _)| start + i);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let new_focus = out.len() + focus.saturating_sub(start);
    let mut end = start;
    for (i, c) in text[start..].char_indices().take(max) {
        out.push(c);
        end = start + i + c.len_utf8();
    }
    if end < text.len() {
        out.push('…');
    }
    let new_focus = new_focus.min(out.len());
    (out, new_focus)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lossy_text_is_what_the_standard_library_makes() {
        for line in [&b"plain ascii"[..], "caf\u{e9} \u{2713}".as_bytes(), b"bad \xff\xfe byte", b"cut \xe2\x9c", b""] {
            assert_eq!(lossy(line), String::from_utf8_lossy(line));
        }
        assert!(matches!(lossy(b"valid"), std::borrow::Cow::Borrowed("valid")));
    }

    #[test]
    fn strips_colour_and_hyperlinks_but_not_newlines() {
        let mut s = b"\x1b[1;31mError:\x1b[0m boom\n\x1b]8;;http://x\x07link\x1b]8;;\x07\n\x1b(Bok\x1b".to_vec();
        let n = strip_ansi_in_place(&mut s);
        assert_eq!(&s[..n], b"Error: boom\nlink\nok");
    }

    #[test]
    fn log_prefixes_are_recognised_and_nothing_else() {
        fn strip(line: &str) -> &str {
            &line[log_prefix_len(line.as_bytes())..]
        }
        assert_eq!(strip("19:28:33 Step 2/48 : FROM x"), "Step 2/48 : FROM x");
        assert_eq!(strip("2024-05-01T12:00:00.1234567Z Step 1/2 : RUN x"), "Step 1/2 : RUN x");
        assert_eq!(strip("[1/2] STEP 6/10: RUN npm ci"), "STEP 6/10: RUN npm ci");
        assert_eq!(strip("[build]   STEP 1/3: FROM x"), "STEP 1/3: FROM x");
        assert_eq!(
            strip("INFO[0000] The command [/bin/sh -c x] returned a non-zero code: 1"),
            "The command [/bin/sh -c x] returned a non-zero code: 1"
        );
        assert_eq!(strip("web_1  | Step 1/2 : RUN x"), "Step 1/2 : RUN x");
        assert_eq!(strip("{\"stream\":\"Step 2 : RUN cat x\\n\"}"), "Step 2 : RUN cat x\\n\"}");
        let read = |line: &str| {
            let (from, to) = readable_range(line.as_bytes());
            line[from..to].to_owned()
        };
        assert_eq!(read("{\"stream\":\"Successfully built 3f2e1d0c9b8a\\n\"}"), "Successfully built 3f2e1d0c9b8a");
        assert_eq!(read("2024-05-01T12:00:00Z {\"stream\":\"Step 2 : RUN x\\r\\n\"}\r"), "Step 2 : RUN x");
        assert_eq!(read("{\"stream\":\"cut by the buffer"), "cut by the buffer");
        assert_eq!(read("  Built image a/b:1 \\n\"}"), "  Built image a/b:1 \\n\"}");
        for kept in [
            "Step 1/2 : RUN x",
            "  Built image a/b:1",
            "[progress] Exported 12 MiB",
            "12 packages installed",
            "#5 [2/3] RUN x",
            "a | b",
            "[internal] load",
        ] {
            assert_eq!(strip(kept), kept, "{kept}");
        }
    }

    #[test]
    fn resolves_carriage_return_rewrites() {
        let line = b"10%\r50%\r100% done\r";
        let (s, e) = visible_range(line);
        assert_eq!(&line[s..e], b"100% done");
        let line = b"progress\rError: x\r\r";
        let (s, e) = visible_range(line);
        assert_eq!(&line[s..e], b"Error: x");
        let line = b"plain";
        assert_eq!(visible_range(line), (0, 5));
        let line = b"\r\r";
        assert_eq!(visible_range(line), (0, 0));
    }

    #[test]
    fn clips_long_lines_around_the_focus() {
        let text = format!("{}needle{}", "a".repeat(5000), "b".repeat(5000));
        let clipped = clip_around(&text, 5000, 60);
        assert!(clipped.contains("needle"));
        assert!(clipped.starts_with('…') && clipped.ends_with('…'));
        assert!(clipped.chars().count() <= 62);
        assert_eq!(clip_around("short", 0, 60), "short");
    }
}
