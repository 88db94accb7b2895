//! A line too long for the terminal, cut in its middle: its start says what printed it,
//! its end why it failed, and a quoted name in it (a container, an image, a path) is
//! usually what it is about. All three are kept when they fit; the cut is made between
//! words. Linear in the line's length.

use unicode_width::UnicodeWidthChar;

/// No more of a line's start is given up to keep a name whole.
const HEAD_KEPT: usize = 12;
/// Nor more of its end than to keep this much.
const TAIL_KEPT: usize = 12;
/// Two cuts around a name only when this much is left beside it.
const BESIDE_NAME: usize = 20;
/// How far a cut grows to reach the end of a word: before it, after it.
const WORD_BACK: usize = 10;
const WORD_ON: usize = 20;

/// `text` cut to `columns` display columns by taking out part of its middle, marked `…`.
pub(crate) fn clip_middle(text: &str, columns: usize) -> String {
    // Padding at the end (BuildKit's) is not worth a column; a tab is as wide as the
    // terminal makes it.
    let text = without_tabs(text.trim_end());
    let line = Line::new(&text);
    if line.width() <= columns {
        return line.text.to_owned();
    }
    if columns == 0 {
        return "…".to_owned();
    }
    // Columns to take out, the marker's included.
    let excess = line.width() - columns + 1;
    let head = columns / 3;
    let default = line.windows(excess).find(|&(from, _)| line.starts[from + 1] > head);
    // The cut nearest the default one that spares every name and most of the start.
    let spares = |&(from, to): &(usize, usize)| {
        let kept = line.starts[from] >= head.min(HEAD_KEPT) && line.width() - line.starts[to] >= TAIL_KEPT.min(columns / 3);
        line.clear(from, to) && (kept || Some((from, to)) == default)
    };
    if let Some(window) = line.windows(excess).filter(spares).min_by_key(|&(from, _)| line.starts[from].abs_diff(head)) {
        return line.cut(line.whole_words(window, true));
    }
    if let Some(cut) = line.around_its_name(columns, default) {
        return cut;
    }
    default.map_or_else(|| "…".to_owned(), |window| line.cut(line.whole_words(window, false)))
}

/// `text` with each tab made the spaces a terminal shows for it (to the next multiple of
/// eight columns).
fn without_tabs(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\t') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut column = 0;
    for c in text.chars() {
        if c == '\t' {
            let spaces = 8 - column % 8;
            out.extend(std::iter::repeat_n(' ', spaces));
            column += spaces;
        } else {
            out.push(c);
            column += c.width().unwrap_or(0);
        }
    }
    out.into()
}

/// A line's characters, their columns, and its quoted names.
struct Line<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
    /// `starts[i]`: the columns before char `i`; `starts[len]`: the whole width.
    starts: Vec<usize>,
    names: Vec<(usize, usize)>,
}

impl<'a> Line<'a> {
    fn new(text: &'a str) -> Line<'a> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut starts = Vec::with_capacity(chars.len() + 1);
        let mut used = 0;
        for (_, c) in &chars {
            starts.push(used);
            used += c.width().unwrap_or(0);
        }
        starts.push(used);
        let names = quoted_names(&chars);
        Line { text, chars, starts, names }
    }

    fn width(&self) -> usize {
        self.starts[self.chars.len()]
    }

    /// Every shortest window `[from, to)` of chars at least `excess` columns wide, by
    /// its start (two pointers: linear).
    fn windows(&self, excess: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut to = 0;
        (0..self.chars.len()).map_while(move |from| {
            to = to.max(from);
            while to <= self.chars.len() && self.starts[to] - self.starts[from] < excess {
                to += 1;
            }
            (to <= self.chars.len()).then_some((from, to))
        })
    }

    /// Whether taking out `[from, to)` leaves every name whole.
    fn clear(&self, from: usize, to: usize) -> bool {
        !self.names.iter().any(|&(a, b)| from < b && a < to)
    }

    /// The window grown to whole words on both sides, a little, where it can (and, when
    /// `sparing`, without reaching a name; an end inside a name stays: part of a name
    /// is better than none).
    fn whole_words(&self, (from, to): (usize, usize), sparing: bool) -> (usize, usize) {
        let space = |i: usize| self.chars[i].1 == ' ';
        let inside = |i: usize| i > 0 && i < self.chars.len() && !space(i - 1) && !space(i);
        // Grown, the start would move back into a name that ends at or after it; the end
        // forward into one that starts at or before it.
        let name_before = |i: usize| self.names.iter().any(|&(a, b)| a < i && i <= b);
        let name_after = |i: usize| self.names.iter().any(|&(a, b)| a <= i && i < b);
        let allowed = |from: usize, to: usize| !sparing || self.clear(from, to);
        let from = if inside(from) && !name_before(from) {
            (1..from).rev().take(WORD_BACK).find(|&i| space(i - 1)).filter(|&i| allowed(i, to)).unwrap_or(from)
        } else {
            from
        };
        let to = if inside(to) && !name_after(to) {
            (to..self.chars.len()).take(WORD_ON).find(|&j| space(j) && allowed(from, j)).unwrap_or(to)
        } else {
            to
        };
        (from, to)
    }

    fn byte(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |&(b, _)| b)
    }

    fn cut(&self, (from, to): (usize, usize)) -> String {
        format!("{}…{}", &self.text[..self.byte(from)], &self.text[self.byte(to)..])
    }

    /// Two cuts around the line's one name, when no single cut spares it: a little of
    /// the start, the name, the end. Of several names, none is sure to be the one.
    fn around_its_name(&self, columns: usize, default: Option<(usize, usize)>) -> Option<String> {
        let (from, to) = default?;
        let &[(a, b)] = self.names.as_slice() else { return None };
        let name = self.starts[b] - self.starts[a];
        if !(from < b && a < to) || name + 2 + BESIDE_NAME > columns {
            return None;
        }
        let room = columns - name - 2;
        let head_end = (0..a).take_while(|&i| self.starts[i + 1] <= (room - HEAD_KEPT).min(columns / 6)).count();
        // A whole word or none: half a word reads as a different one.
        let head_end = (0..head_end).rev().find(|&i| self.chars[i].1 == ' ').map_or(0, |i| i + 1);
        let left = room - self.starts[head_end];
        let tail = (b..=self.chars.len()).find(|&i| self.width() - self.starts[i] <= left).unwrap_or(self.chars.len());
        let gap = if tail > b { "…" } else { "" };
        let (head, name, rest) = (&self.text[..self.byte(head_end)], &self.text[self.byte(a)..self.byte(b)], &self.text[self.byte(tail)..]);
        Some(format!("{head}…{name}{gap}{rest}"))
    }
}

/// The char ranges of the quoted names in a line: `"…"`, `'…'` and `` `…` ``, quotes
/// included, each one word of at most 60 characters (a longer one, or one with spaces,
/// is a sentence or a command, not a name).
fn quoted_names(chars: &[(usize, char)]) -> Vec<(usize, usize)> {
    let mut names = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, &(_, c)) in chars.iter().enumerate() {
        match open {
            Some((start, quote)) if c == quote => {
                if i - start < 60 && !chars[start..i].iter().any(|&(_, c)| c.is_whitespace()) {
                    names.push((start, i + 1));
                }
                open = None;
            }
            None if matches!(c, '"' | '\'' | '`') => open = Some((i, c)),
            _ => {}
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use unicode_width::UnicodeWidthStr;

    use super::*;

    #[test]
    fn a_line_clipped_in_the_middle_keeps_its_end_and_the_name_it_quotes() {
        assert_eq!(clip_middle("short", 10), "short");
        assert_eq!(clip_middle("0123456789abc", 10), "012…789abc");
        assert_eq!(clip_middle("anything", 0), "…");
        let line = "  ╰─▶ Docker responded with status code 404: the container does not exist: \
                    no container with name or ID \"openshell-cluster-nemoclaw\" found: no such container";
        for columns in [40, 52, 60, 72, 100] {
            let clipped = clip_middle(line, columns);
            assert!(clipped.width() <= columns, "{columns}: {clipped:?}");
            assert!(columns < 60 || clipped.ends_with("no such container"), "{columns}: {clipped:?}");
            assert!(clipped.contains('…'), "{columns}: {clipped:?}");
            assert!(columns < 51 || clipped.contains("\"openshell-cluster-nemoclaw\""), "{columns}: {clipped:?}");
        }
        // Too narrow for the name and the end in one piece: both, cut around the name.
        assert_eq!(clip_middle(line, 51), "  ╰─▶ …\"openshell-cluster-nemoclaw\"… such container");
        assert_eq!(clip_middle(line, 72), "  ╰─▶ Docker …\"openshell-cluster-nemoclaw\" found: no such container");
        // Wide characters count twice.
        assert_eq!(clip_middle("日本語日本語日本語", 9), "日…日本語");
    }

    #[test]
    fn the_cut_spares_a_name_keeps_the_start_and_falls_between_words() {
        let cases: &[(&str, usize, &str)] = &[
            // After the name: the cut moves past it.
            (
                "pull access denied for \"example/private-image\": repository does not exist or may require login",
                60,
                "pull access denied for \"example/private-image\"…require login",
            ),
            // A name too long to spare: part of it, rather than none.
            (
                "the file 'a/very/long/path/that/names/the/thing.txt' could not be opened by the loader",
                50,
                "the file 'a/very…could not be opened by the loader",
            ),
            // Two names, neither sure to matter: between words, where it falls.
            (
                "unable to find image `alpha:1` or `beta:2` in the local store, and pulling failed",
                40,
                "unable to … store, and pulling failed",
            ),
            // Quoted words with spaces are a command, not a name.
            (
                "error: the command \"make all install\" failed with exit status 2 after a long time",
                40,
                "error: the …status 2 after a long time",
            ),
            // One long word: cut inside it (nothing else to do).
            ("abcdefghijklmnopqrstuvwxyz0123456789", 20, "abcdef…xyz0123456789"),
            // Words: the cut grows to their ends.
            ("abcdefghij klmnopqrst uvwxyz0123 4567890abc defghijklm", 30, "abcdefghij… defghijklm"),
            // Padding at the end is dropped before anything.
            ("short line      ", 12, "short line"),
        ];
        for (text, columns, clipped) in cases {
            assert_eq!(clip_middle(text, *columns), *clipped, "{text:?} at {columns}");
        }
    }

    #[test]
    fn a_cut_grows_to_whole_words_but_never_into_a_name() {
        let line = Line::new("one \"two\"three four five six");
        assert_eq!(line.names, [(4, 9)]);
        // A start just after a name stays there; one inside a plain word goes back.
        assert_eq!(line.whole_words((9, 16), false), (9, 19));
        assert_eq!(line.whole_words((2, 6), true).0, 2);
        assert_eq!(line.whole_words((16, 22), false), (15, 24));
        // An end just after a name, outside it, grows over the word that follows.
        assert_eq!(line.whole_words((2, 9), false), (2, 14));
        // An end just before a name stays there; a start at one grows back.
        let line = Line::new("one x\"two\" four");
        assert_eq!(line.whole_words((2, 5), false), (2, 5));
        assert_eq!(line.whole_words((5, 12), false), (4, 12));
        assert_eq!(line.whole_words((1, 3), false), (1, 3));
        // Sparing: never grown over a name, even where the word ends beyond it.
        let line = Line::new("abc def\"g\"h ijk");
        assert_eq!(line.whole_words((5, 6), true), (4, 6));
    }

    #[test]
    fn a_tab_takes_the_columns_a_terminal_gives_it() {
        assert_eq!(without_tabs("\tab\tc"), "        ab      c");
        assert_eq!(without_tabs("no tab"), "no tab");
        assert_eq!(without_tabs("a\t\tb"), format!("a{}b", " ".repeat(15)));
        let clipped = clip_middle("\t\t\tError: failed to upload image tar into container", 40);
        assert!(clipped.width() <= 40 && !clipped.contains('\t') && clipped.ends_with("into container"), "{clipped:?}");
    }

    #[test]
    fn names_are_single_quoted_words_of_at_most_sixty_characters() {
        let names = |text: &str| {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            quoted_names(&chars).iter().map(|&(a, b)| chars[a..b].iter().map(|&(_, c)| c).collect::<String>()).collect::<Vec<_>>()
        };
        assert_eq!(names("a \"b\" 'c' `d` \"e f\" 'g"), ["\"b\"", "'c'", "`d`"]);
        let long = format!("\"{}\" and \"{}\"", "x".repeat(58), "y".repeat(59));
        assert_eq!(names(&long), [format!("\"{}\"", "x".repeat(58))]);
    }

    #[test]
    fn two_cuts_keep_the_lines_one_name_with_a_little_of_the_start_and_the_end() {
        let text = "starting the gateway failed: container \"openshell-cluster-nemoclaw\" is not running, so nothing was sent";
        let line = Line::new(text);
        let cases: &[(usize, Option<&str>)] = &[
            // The name and twenty columns beside it, or nothing.
            (49, None),
            (50, Some("…\"openshell-cluster-nemoclaw\"… so nothing was sent")),
            (60, Some("starting …\"openshell-cluster-nemoclaw\"…, so nothing was sent")),
            (90, Some("starting the …\"openshell-cluster-nemoclaw\" is not running, so nothing was sent")),
        ];
        for &(columns, cut) in cases {
            let excess = line.width() - columns + 1;
            let default = line.windows(excess).find(|&(from, _)| line.starts[from + 1] > columns / 3);
            assert_eq!(line.around_its_name(columns, default).as_deref(), cut, "at {columns}");
        }
        // A default cut that does not reach the name needs no second one.
        assert_eq!(line.around_its_name(60, Some((0, 30))), None);
        assert_eq!(line.around_its_name(60, Some((10, 39))), None);
        assert_eq!(line.around_its_name(60, Some((67, 90))), None);
        assert_eq!(line.around_its_name(60, None), None);
        // All of the end fits: one marker only.
        let line = Line::new("prefix words here \"openshell-cluster-nemoclaw\" gone");
        assert_eq!(line.around_its_name(52, Some((10, 30))).as_deref(), Some("prefix …\"openshell-cluster-nemoclaw\" gone"));
        // Two names: neither is sure to matter.
        assert_eq!(Line::new("a \"b\" c \"d\" e f g h i j k l m n o p q r s t u v").around_its_name(40, Some((2, 9))), None);
    }

    #[test]
    fn a_cut_after_the_name_leaves_some_of_the_end() {
        // Cut after the name, the end would be two letters: both cut around it instead.
        let text = "starting the gateway failed: container \"openshell-cluster-nemoclaw\" is not running, so nothing was sent";
        assert_eq!(clip_middle(text, 70), "starting …\"openshell-cluster-nemoclaw\"…ot running, so nothing was sent");
    }

    #[test]
    fn on_a_narrow_terminal_the_end_kept_beside_a_name_is_a_third_of_it() {
        // Twelve columns of the end are asked for only where a third of the width is more.
        assert_eq!(clip_middle("xyz \"abcdefghij\" one two three four fivefive", 25), "xyz \"abcdefghij\"…fivefive");
        assert_eq!(clip_middle("one \"abcdefghijklmn\" two three four five sixsix", 32), "one \"abcdefghijklmn\"…five sixsix");
    }

    #[test]
    fn the_start_kept_before_a_name_leaves_the_end_its_share() {
        let name = "a".repeat(38);
        let text = format!("to start \"{name}\" failed since the engine never answered at all today");
        let cut = Line::new(&text).around_its_name(62, Some((5, 60)));
        assert_eq!(cut, Some(format!("to …\"{name}\"…ered at all today")));
    }

    proptest::proptest! {
        #[test]
        fn a_clipped_line_always_fits_and_says_it_was_cut(text in "[a-z \"'`é日]{0,120}", columns in 0usize..100) {
            let clipped = clip_middle(&text, columns);
            proptest::prop_assert!(clipped.width() <= columns.max(1), "{:?} at {}: {:?}", text, columns, clipped);
            let text = text.trim_end();
            if text.width() <= columns {
                proptest::prop_assert_eq!(clipped, text);
            } else if columns > 1 {
                proptest::prop_assert!(clipped.contains('…'));
            }
        }
    }
}
