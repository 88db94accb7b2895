//! Output pushed in pieces to a [`Sifter`] on one thread, its chunks taken by the
//! classifier on another (how `run` follows a command), gets the answer the same bytes
//! get fed on one thread: the same diagnosis, evidence and line numbers, and the same
//! phases and steps begun.

use std::sync::mpsc;

use sandbox_triage_core::{Catalogue, Classifier, Diagnosis, Options, Stage, StageRules};
use sandbox_triage_testkit::CorpusCase;

use crate::corpus::workspace;

/// Classifies `payload` through a sifter on a second thread, pushed in pieces whose sizes
/// cycle through `pieces`, with the complete lines flushed after every `flush_every`th.
fn sifted<'r>(
    rules: &'r StageRules,
    options: Options,
    capacity: usize,
    payload: &[u8],
    pieces: &[usize],
    flush_every: usize,
) -> Classifier<'r> {
    let mut classifier = Classifier::with_buffer(rules, options, capacity);
    let mut sifter = classifier.sifter();
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut send = |s| tx.send(s).expect("the classifier takes every chunk");
            let mut rest = payload;
            for (i, size) in pieces.iter().cycle().enumerate() {
                if rest.is_empty() {
                    break;
                }
                let (piece, after) = rest.split_at((*size).min(rest.len()));
                sifter.push(piece, &mut send);
                if (i + 1) % flush_every == 0 {
                    sifter.flush(&mut send);
                }
                rest = after;
            }
            sifter.finish(&mut send);
        });
        for chunk in rx {
            classifier.take(chunk);
        }
    });
    classifier
}

fn fed<'r>(rules: &'r StageRules, options: Options, capacity: usize, payload: &[u8]) -> Classifier<'r> {
    let mut classifier = Classifier::with_buffer(rules, options, capacity);
    classifier.feed(payload);
    classifier
}

#[test]
fn every_corpus_file_gets_one_answer_sifted_on_a_second_thread() {
    let catalogue = Catalogue::builtin().expect("built-in rules load");
    let cases = CorpusCase::load_dir(&workspace().join("tests/corpus")).expect("readable corpus");
    assert!(cases.len() > 50, "the corpus is there");
    let mut differ = Vec::new();
    let stages: Vec<StageRules> = [Stage::SandboxCreate, Stage::GatewayStart, Stage::ProviderValidation]
        .into_iter()
        .map(|stage| StageRules::new(&catalogue, stage))
        .collect();
    for (n, case) in cases.iter().enumerate() {
        let rules = stages.iter().find(|rules| rules.stage() == case.stage()).expect("every stage has rules");
        let options = Options { exit_status: case.exit_status(), supervised: true, ..Options::default() };
        // The usual buffer, flushed now and then; a small one that pieces fill many times
        // over between flushes; and, for every fifth file, one never flushed at all.
        let mut ways = vec![(256 << 10, &[4096, 1][..], 3), (512, &[1, 7, 300, 5000, 64][..], 2)];
        if n % 5 == 0 {
            ways.push((777, &[13][..], 1000));
        }
        for (capacity, pieces, flush_every) in ways {
            let fed = fed(rules, options, capacity, &case.payload);
            let sifted = sifted(rules, options, capacity, &case.payload, pieces, flush_every);
            // What began, once the last line is scanned too.
            let mut ended = self::fed(rules, options, capacity, &case.payload);
            ended.feed(b"\n");
            ended.flush_lines();
            let begun = (ended.begun_after(0), sifted.begun_after(0));
            let (fed, sifted): (Diagnosis, Diagnosis) = (fed.finish(), sifted.finish());
            if fed != sifted || begun.0 != begun.1 {
                differ.push(format!(
                    "{} (buffer {capacity}, pieces {pieces:?}):\n  fed    {:?} {fed:?}\n  sifted {:?} {sifted:?}",
                    case.name, begun.0, begun.1
                ));
            }
        }
    }
    assert!(differ.is_empty(), "{} differ:\n{}", differ.len(), differ.join("\n"));
}

/// Fed output classified after the sifted output comes after it, as `run` feeds a
/// sandbox container's own log once the command has ended.
#[test]
fn output_fed_after_the_sifted_output_follows_it() {
    let catalogue = Catalogue::builtin().expect("built-in rules load");
    let rules = StageRules::new(&catalogue, Stage::SandboxCreate);
    let first = b"#5 [2/3] RUN make\n#5 0.31 building\n";
    let then = b"Error: sandbox container exited: OCI runtime create failed: exec format error\n";
    let mut whole = first.to_vec();
    whole.extend_from_slice(then);
    let expected = fed(&rules, Options::default(), 4096, &whole).finish();
    let mut classifier = sifted(&rules, Options::default(), 4096, first, &[5], 2);
    classifier.feed(then);
    assert_eq!(classifier.finish(), expected);
    assert_ne!(expected.kind, sandbox_triage_core::Kind::Unknown, "the log is one the classifier decides");
}

/// A chunk dropped untaken still gives its buffers back: the sifter, which keeps only a
/// few, never waits for them for ever.
#[test]
fn chunks_dropped_untaken_do_not_hold_the_sifter_up() {
    // Leaked, so a sifter held up for ever fails the test rather than hanging it.
    let catalogue = Box::leak(Box::new(Catalogue::builtin().expect("built-in rules load")));
    let rules = Box::leak(Box::new(StageRules::new(catalogue, Stage::SandboxCreate)));
    let classifier = Classifier::with_buffer(rules, Options::default(), 4096);
    let mut sifter = classifier.sifter();
    let line = b"#7 12.5 Collecting requests>=2.0 (from -r requirements.txt (line 3))\n";
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::spawn(move || {
        let mut send = |s| {
            let _ = tx.send(Some(s));
        };
        for _ in 0..2_000 {
            sifter.push(line, &mut send);
        }
        sifter.finish(&mut send);
        let _ = tx.send(None);
    });
    let mut chunks = 0;
    loop {
        match rx.recv_timeout(std::time::Duration::from_secs(10)) {
            Ok(Some(chunk)) => {
                drop(chunk);
                chunks += 1;
            }
            Ok(None) => break,
            Err(e) => panic!("the sifter is held up after {chunks} chunks: {e}"),
        }
    }
    // Far more chunks than buffers: each was given back.
    assert!(chunks > 20, "{chunks} chunks");
}

/// Chunks sifted for other rules (another classifier's sifter) are searched again by the
/// classifier that takes them: the answer is its own rules', never a pattern of the others.
#[test]
fn chunks_sifted_for_other_rules_are_searched_again() {
    let catalogue = Catalogue::builtin().expect("built-in rules load");
    let others = StageRules::new(&catalogue, Stage::GatewayStart);
    let rules = StageRules::new(&catalogue, Stage::SandboxCreate);
    let cases = CorpusCase::load_dir(&workspace().join("tests/corpus")).expect("readable corpus");
    let mut checked = 0;
    for case in cases.iter().filter(|case| case.stage() == Stage::SandboxCreate).take(40) {
        let expected = fed(&rules, Options::default(), 4096, &case.payload).finish();
        let mut classifier = Classifier::with_buffer(&rules, Options::default(), 4096);
        let mut sifter = Classifier::with_buffer(&others, Options::default(), 4096).sifter();
        let (tx, rx) = mpsc::channel();
        sifter.push(&case.payload, &mut |s| tx.send(s).expect("received"));
        sifter.finish(&mut |s| tx.send(s).expect("received"));
        drop(tx);
        for chunk in rx {
            classifier.take(chunk);
        }
        assert_eq!(classifier.finish(), expected, "{}", case.name);
        checked += 1;
    }
    assert_eq!(checked, 40);
}
