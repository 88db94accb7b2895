//! The scanner's own cases: lines split, cleaned and handed over across buffer edges.

use super::*;

struct Collect {
    every: bool,
    lines: Vec<(u64, String)>,
}

impl LineSink for Collect {
    fn wants_every_line(&self) -> bool {
        self.every
    }
    fn line(&mut self, line: Line<'_>, _window: &Window<'_>) {
        self.lines.push((line.number, String::from_utf8_lossy(line.text).into_owned()));
    }
    fn finish(&mut self, _window: &Window<'_>) {}
}

fn scan(input: &[u8], capacity: usize, every: bool, piece: usize) -> Vec<(u64, String)> {
    let anchors = AnchorSet::new(vec!["needle".to_owned()]);
    let mut scanner = Scanner::with_capacity(capacity);
    let mut sink = Collect { every, lines: Vec::new() };
    for chunk in input.chunks(piece.max(1)) {
        scanner.feed(chunk, &anchors, &mut sink);
    }
    scanner.finish(&anchors, &mut sink);
    sink.lines
}

#[test]
fn hands_over_anchored_lines_with_their_numbers() {
    let input = b"a\nNEEDLE one\nb\r\nc\n\x1b[31mnee\x1b[0mdle two\r\nprogress\rneedle three\nlast needle";
    for capacity in [64, 100, 4096] {
        for piece in [1, 3, 7, 1000] {
            assert_eq!(
                scan(input, capacity, false, piece),
                vec![(2, "NEEDLE one".into()), (5, "needle two".into()), (6, "needle three".into()), (7, "last needle".into())],
                "capacity {capacity} piece {piece}"
            );
        }
    }
}

#[test]
fn every_line_mode_sees_all_lines() {
    let lines = scan(b"x\ny\n\nz", 64, true, 5);
    assert_eq!(lines, vec![(1, "x".into()), (2, "y".into()), (3, String::new()), (4, "z".into())]);
}

#[test]
fn a_line_longer_than_the_buffer_keeps_one_number() {
    let mut input = vec![b'x'; 1000];
    input.extend_from_slice(b"needle");
    input.extend(vec![b'y'; 1000]);
    input.extend_from_slice(b"\nneedle after\n");
    let lines = scan(&input, 256, false, 333);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0].0, 1);
    assert_eq!(lines[1], (2, "needle after".into()));
}

mod window_tests {
    use super::*;

    struct Windows {
        seen: Vec<(u64, Vec<(u64, String)>)>,
        tail: Vec<(u64, String)>,
    }

    fn numbered(window: &Window<'_>, after: u64) -> Vec<(u64, String)> {
        let mut bytes = Vec::new();
        let lines = window.lines(after, 1000, &mut bytes);
        lines.into_iter().map(|(n, r)| (n, String::from_utf8_lossy(&bytes[r]).into_owned())).collect()
    }

    impl LineSink for Windows {
        fn wants_every_line(&self) -> bool {
            false
        }
        fn line(&mut self, line: Line<'_>, window: &Window<'_>) {
            self.seen.push((line.number, numbered(window, 0)));
        }
        fn finish(&mut self, window: &Window<'_>) {
            self.tail = numbered(window, 0);
        }
    }

    #[test]
    fn windows_hold_the_numbered_lines_before_the_current_one() {
        let input = b"one\ntwo\nneedle three\nfour\nfive";
        for capacity in [64, 4096] {
            for piece in [1, 5, 100] {
                let anchors = AnchorSet::new(vec!["needle".to_owned()]);
                let mut scanner = Scanner::with_capacity(capacity);
                let mut sink = Windows { seen: Vec::new(), tail: Vec::new() };
                for chunk in input.chunks(piece) {
                    scanner.feed(chunk, &anchors, &mut sink);
                }
                scanner.finish(&anchors, &mut sink);
                assert_eq!(sink.seen, vec![(3, vec![(1, "one".into()), (2, "two".into())])]);
                assert_eq!(sink.tail.last(), Some(&(5, "five".into())));
                assert_eq!(sink.tail.len(), 5);
            }
        }
    }
}

mod read_ahead_tests {
    use super::*;
    use crate::classify::read_ahead::{read_ahead, read_ahead_searching, SearchAhead, Sifting};

    /// A reader that returns at most `piece` bytes a call, like a pipe.
    struct Trickle<'a> {
        data: &'a [u8],
        piece: usize,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.piece.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// Lines handed over, lines counted, bytes counted, and what `observe` saw.
    fn through_thread(
        input: &[u8],
        capacity: usize,
        every: bool,
        piece: usize,
        mode: SearchAhead,
    ) -> (Vec<(u64, String)>, u64, u64, Vec<u8>) {
        let anchors = AnchorSet::new(vec!["needle".to_owned()]);
        let mut scanner = Scanner::with_capacity(capacity);
        let mut sink = Collect { every, lines: Vec::new() };
        let mut seen = Vec::new();
        let observe = |bytes: &[u8]| seen.extend_from_slice(bytes);
        read_ahead_searching(
            Trickle { data: input, piece },
            observe,
            &mut scanner,
            Sifting { anchors: &anchors, rules: None },
            &mut sink,
            mode,
        )
        .expect("reads");
        scanner.finish(&anchors, &mut sink);
        (sink.lines, scanner.lines_seen(), scanner.bytes_seen(), seen)
    }

    #[test]
    fn reading_ahead_hands_over_what_feeding_does() {
        let mut long = vec![b'x'; 1000];
        long.extend_from_slice(b"needle\nneedle after\n\x1b[31mnee\x1b[0mdle red\nend");
        let inputs: [&[u8]; 4] = [b"a\nNEEDLE one\nb\r\nc\n\x1b[31mnee\x1b[0mdle two\r\nlast needle", b"x\ny\n\nz\n", b"", &long];
        for input in inputs {
            for capacity in [64, 100, 4096] {
                for piece in [1, 7, 1000] {
                    for (every, mode) in [false, true].into_iter().flat_map(|e| [(e, SearchAhead::Balanced), (e, SearchAhead::Always)]) {
                        let fed = scan(input, capacity, every, piece);
                        let (lines, count, bytes, seen) = through_thread(input, capacity, every, piece, mode);
                        let context =
                            format!("capacity {capacity} piece {piece} every {every} {mode:?}: {:?}", String::from_utf8_lossy(input));
                        assert_eq!(lines, fed, "{context}");
                        let mut reference = Scanner::with_capacity(capacity);
                        let anchors = AnchorSet::new(vec!["needle".to_owned()]);
                        let mut sink = Collect { every, lines: Vec::new() };
                        reference.feed(input, &anchors, &mut sink);
                        reference.finish(&anchors, &mut sink);
                        assert_eq!((count, bytes), (reference.lines_seen(), reference.bytes_seen()), "{context}");
                        assert_eq!(seen, input, "{context}");
                    }
                }
            }
        }
    }

    /// A sink whose scope moves on at a `phase` line, as a phase marker moves it.
    struct Phased {
        scope: usize,
        lines: Vec<(u64, String)>,
    }

    impl LineSink for Phased {
        fn wants_every_line(&self) -> bool {
            false
        }
        fn scope(&self) -> usize {
            self.scope
        }
        fn line(&mut self, line: Line<'_>, _window: &Window<'_>) {
            if line.lower.starts_with(b"phase") {
                self.scope = 1;
            }
            self.lines.push((line.number, String::from_utf8_lossy(line.text).into_owned()));
        }
        fn finish(&mut self, _window: &Window<'_>) {}
    }

    #[test]
    fn lines_searched_ahead_follow_the_scope_the_rules_are_in() {
        let all = vec!["needle".to_owned(), "phase".to_owned(), "haystack".to_owned()];
        let streamed: [Vec<String>; crate::rules::SCOPES] =
            std::array::from_fn(
                |scope| if scope == 0 { vec!["needle".to_owned(), "phase".to_owned()] } else { vec!["haystack".to_owned()] },
            );
        let anchors = AnchorSet::with_scopes(all, &streamed);
        // Enough chunks that the scope changes while chunks searched with the old one
        // are still on their way.
        let mut input = Vec::new();
        for i in 0..400 {
            input.extend_from_slice(format!("{i} needle\n{i} haystack\n").as_bytes());
            if i == 150 {
                input.extend_from_slice(b"phase two\n");
            }
        }
        let expected: Vec<(u64, String)> = (0..400u64)
            .flat_map(|i| {
                let line = if i <= 150 { 2 * i + 1 } else { 2 * i + 2 };
                if i <= 150 {
                    vec![(line, format!("{i} needle"))]
                } else {
                    vec![(line + 1, format!("{i} haystack"))]
                }
            })
            .chain([(303, "phase two".to_owned())])
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        for mode in [SearchAhead::Balanced, SearchAhead::Always] {
            let mut scanner = Scanner::with_capacity(256);
            let mut sink = Phased { scope: 0, lines: Vec::new() };
            read_ahead_searching(
                Trickle { data: &input, piece: 100 },
                |_: &[u8]| {},
                &mut scanner,
                Sifting { anchors: &anchors, rules: None },
                &mut sink,
                mode,
            )
            .expect("reads");
            scanner.finish(&anchors, &mut sink);
            assert_eq!(sink.lines, expected, "{mode:?}");
        }
    }

    /// Records what the rules would read of each line handed over: its patterns as
    /// found ahead, and as the rules find them themselves.
    struct Patterns<'r> {
        rules: &'r crate::rules::StageRules,
        ahead: usize,
        lines: Vec<(u64, Vec<crate::rules::PatternRef>, Vec<crate::rules::PatternRef>)>,
    }

    impl LineSink for Patterns<'_> {
        fn wants_every_line(&self) -> bool {
            false
        }
        fn line(&mut self, line: Line<'_>, _window: &Window<'_>) {
            let mut own = Vec::new();
            self.rules.patterns_in(line.text, line.lower, &mut own);
            self.ahead += usize::from(line.patterns.is_some());
            self.lines.push((line.number, line.patterns.map_or_else(|| own.clone(), <[_]>::to_vec), own));
        }
        fn finish(&mut self, _window: &Window<'_>) {}
    }

    #[test]
    fn the_patterns_found_ahead_are_the_ones_the_rules_find() {
        let catalogue = crate::rules::Catalogue::builtin().expect("built-in rules");
        let rules = crate::rules::StageRules::new(&catalogue, crate::model::Stage::SandboxCreate);
        let mut input = Vec::new();
        for i in 0..300 {
            input.extend_from_slice(format!("STEP {i}/300: RUN pip install x\n").as_bytes());
            input.extend_from_slice(format!("#5 [builder {i}/300] RUN npm ci\n").as_bytes());
            input.extend_from_slice(b"\x1b[31mError: failed to create sandbox\x1b[0m: image not found\r\nplain words\n");
        }
        // All of them ahead, or half (the other half found after).
        for (mode, least, most) in [(SearchAhead::Always, 800, 900), (SearchAhead::Half, 350, 550)] {
            let mut scanner = Scanner::with_capacity(4096);
            let mut sink = Patterns { rules: &rules, ahead: 0, lines: Vec::new() };
            let sifting = Sifting { anchors: rules.anchors(), rules: Some(&rules) };
            read_ahead_searching(Trickle { data: &input, piece: 1000 }, |_: &[u8]| {}, &mut scanner, sifting, &mut sink, mode)
                .expect("reads");
            scanner.finish(rules.anchors(), &mut sink);
            assert_eq!(sink.lines.len(), 900, "every line but the plain ones holds an anchor");
            assert!((least..=most).contains(&sink.ahead), "{mode:?}: found ahead: {}", sink.ahead);
            let differ: Vec<_> = sink.lines.iter().filter(|(_, ahead, own)| ahead != own).collect();
            assert!(differ.is_empty(), "{differ:?}");
            assert!(sink.lines.iter().all(|(_, _, own)| !own.is_empty()));
        }
    }

    #[test]
    fn a_read_error_is_returned() {
        struct Failing;
        impl std::io::Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk on fire"))
            }
        }
        let anchors = AnchorSet::new(vec!["needle".to_owned()]);
        let mut scanner = Scanner::with_capacity(64);
        let mut sink = Collect { every: false, lines: Vec::new() };
        let err =
            read_ahead(Failing, |_: &[u8]| {}, &mut scanner, Sifting { anchors: &anchors, rules: None }, &mut sink).expect_err("fails");
        assert_eq!(err.to_string(), "disk on fire");
    }
}
