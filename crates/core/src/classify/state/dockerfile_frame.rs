//! BuildKit's own place of a failed instruction: the file and line (`Dockerfile:12`), a
//! rule of dashes, the numbered lines with `>>>` on the instruction's, a closing rule.

use crate::screen::single_spaced;

/// A frame longer than this is not one.
const FRAME_LINES_MAX: usize = 40;

/// The frame as the builder printed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BuilderFrame {
    pub(crate) path: String,
    pub(crate) line: u32,
    /// Each line's number, text, and whether `>>>` marks it.
    pub(crate) lines: Vec<(u32, String, bool)>,
}

/// Frames kept: the failure's, and linter warnings' that `--debug` prints beside it.
const FRAMES_KEPT: usize = 4;

/// Reads the frames a builder prints.
#[derive(Debug, Clone, Default)]
pub(crate) struct FrameReader {
    reading: Option<(BuilderFrame, bool)>,
    /// The last frames read, in order.
    pub(crate) frames: Vec<BuilderFrame>,
}

impl FrameReader {
    /// The frame's header (`Dockerfile:12`) was seen.
    pub(crate) fn begin(&mut self, path: &str, line: u32) {
        self.reading = Some((BuilderFrame { path: path.to_owned(), line, lines: Vec::new() }, false));
    }

    /// The frame of the failed instruction: the one that marks it as the output shows
    /// it (`shown_as`), else the first (a linter's frames follow the failure's).
    pub(crate) fn of(&self, shown_as: &[String]) -> Option<&BuilderFrame> {
        let marks = |frame: &&BuilderFrame| {
            let marked: Vec<&str> = frame.lines.iter().filter(|l| l.2).map(|l| l.1.trim_end().trim_end_matches('\\')).collect();
            let marked = single_spaced(&marked.join(" "));
            shown_as.iter().map(|shown| single_spaced(shown)).any(|shown| shown == marked || shown.starts_with(&format!("{marked} ")))
        };
        // A log cut inside a frame still shows the lines it marked.
        let cut = self.reading.as_ref().map(|(frame, _)| frame).filter(|f| f.lines.iter().any(|l| l.2));
        let mut all = self.frames.iter().chain(cut);
        all.clone().find(marks).or_else(|| all.next())
    }

    /// Whether the lines after the header are wanted.
    pub(crate) fn reading(&self) -> bool {
        self.reading.is_some()
    }

    /// The next line after the header: a rule, a numbered line, or the end of what was
    /// not a frame after all.
    pub(crate) fn feed(&mut self, text: &str) {
        let Some((frame, opened)) = &mut self.reading else { return };
        let text = text.trim_end();
        // A paste may double-space the frame; BuildKit never prints an empty line in it.
        if text.trim().is_empty() {
            return;
        }
        if is_rule(text) {
            if *opened {
                if let Some((frame, _)) = self.reading.take().filter(|(f, _)| f.lines.iter().any(|l| l.2)) {
                    if self.frames.len() == FRAMES_KEPT {
                        self.frames.remove(0);
                    }
                    self.frames.push(frame);
                }
            } else {
                *opened = true;
            }
            return;
        }
        match numbered(text) {
            Some((number, text, marked)) if *opened && frame.lines.len() < FRAME_LINES_MAX => {
                frame.lines.push((number, text.to_owned(), marked));
            }
            _ => self.reading = None,
        }
    }
}

/// `--------------------`
fn is_rule(text: &str) -> bool {
    let text = text.trim();
    text.len() >= 10 && text.bytes().all(|b| b == b'-')
}

/// `  35 | >>> COPY a b` or `  34 |     RUN x`: the number, the text, and the mark.
fn numbered(text: &str) -> Option<(u32, &str, bool)> {
    let text = text.trim_start();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let number = text[..digits].parse().ok()?;
    let rest = text[digits..].strip_prefix(" |")?;
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    Some(match rest.strip_prefix(">>> ").or_else(|| rest.strip_prefix(">>>").filter(|r| r.is_empty())) {
        Some(marked) => (number, marked, true),
        None => (number, rest.strip_prefix("    ").unwrap_or(rest.trim_start()), false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(lines: &[&str]) -> Option<BuilderFrame> {
        let mut reader = FrameReader::default();
        reader.begin(".docker/Dockerfile", 35);
        for line in lines {
            reader.feed(line);
        }
        reader.frames.pop()
    }

    #[test]
    fn a_frame_is_read_with_its_marked_lines() {
        let frame = read(&[
            "--------------------",
            "  34 |     RUN rm src/hello.cpp",
            "  35 | >>> COPY ./doc/hello.cpp src/hello.cpp",
            "  36 |     ",
            "--------------------",
        ])
        .expect("a frame");
        assert_eq!(frame.path, ".docker/Dockerfile");
        assert_eq!(frame.line, 35);
        assert_eq!(
            frame.lines,
            vec![
                (34, "RUN rm src/hello.cpp".to_owned(), false),
                (35, "COPY ./doc/hello.cpp src/hello.cpp".to_owned(), true),
                (36, String::new(), false)
            ]
        );
    }

    fn frame(line: u32, marked: &str) -> BuilderFrame {
        BuilderFrame { path: "Dockerfile".to_owned(), line, lines: vec![(line, marked.to_owned(), true)] }
    }

    #[test]
    fn the_failures_frame_is_the_one_that_marks_its_instruction() {
        let reader =
            FrameReader { reading: None, frames: vec![frame(3, "ENV A=1"), frame(4, "RUN pip install ${PKG}"), frame(7, "RUN x")] };
        let shown = |s: &[&str]| s.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(reader.of(&shown(&["RUN pip install x", "RUN pip install ${PKG}"])).map(|f| f.line), Some(4));
        assert_eq!(reader.of(&shown(&["RUN   x"])).map(|f| f.line), Some(7));
        assert_eq!(reader.of(&shown(&["RUN x --more"])).map(|f| f.line), Some(7), "the marked lines may be the start");
        assert_eq!(reader.of(&shown(&["RUN xy"])).map(|f| f.line), Some(3), "none marks it: the first");
        assert!(FrameReader::default().of(&shown(&["RUN x"])).is_none());
    }

    #[test]
    fn a_frame_is_read_only_between_its_rules_and_to_a_bound() {
        let mut reader = FrameReader::default();
        assert!(!reader.reading());
        reader.begin("Dockerfile", 1);
        assert!(reader.reading());
        reader.feed("   1 | >>> RUN x");
        assert!(!reader.reading(), "a numbered line before the opening rule ends it");
        let mut reader = FrameReader::default();
        reader.begin("Dockerfile", 1);
        reader.feed("--------------------");
        for n in 1..=FRAME_LINES_MAX {
            reader.feed(&format!("  {n} | >>> RUN x"));
        }
        assert!(reader.reading());
        reader.feed("  99 | >>> RUN x");
        assert!(!reader.reading(), "one line too many");
        assert!(reader.frames.is_empty());
    }

    #[test]
    fn what_is_not_a_frame_is_dropped() {
        assert_eq!(read(&["ERROR: failed to solve", "--------------------"]), None);
        assert_eq!(read(&["--------------------", "  34 |     RUN x", "not numbered", "--------------------"]), None);
        // A frame marks the instruction; one without a mark placed nothing.
        assert_eq!(read(&["--------------------", "  34 |     RUN x", "--------------------"]), None);
    }
}
