//! Every corpus file is classified as its header requires. The corpus is read from the
//! repository's copy (`tests/corpus/`) and, when it exists, the shared corpus beside the
//! repository, so files added to either are picked up without code changes.

use std::path::{Path, PathBuf};

use sandbox_triage_core::{Catalogue, Diagnosis, Kind, Options, StageSet, Triage};
use sandbox_triage_testkit::CorpusCase;

#[derive(PartialEq, Eq, Debug)]
enum ExpectedRef {
    Absent,
    Ref(String),
}

fn expected_ref(case: &CorpusCase) -> Option<ExpectedRef> {
    let r = case.get("expected-improved-builtImageRef").or_else(|| case.get("expected-builtImageRef"))?;
    Some(if r == "null" { ExpectedRef::Absent } else { ExpectedRef::Ref(r.to_owned()) })
}

fn corpus_files(dir: &Path) -> Vec<CorpusCase> {
    CorpusCase::load_dir(dir).expect("readable corpus")
}

pub(crate) fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Classifies a corpus file as its header says it was produced.
fn diagnose(set: &StageSet, case: &CorpusCase) -> Diagnosis {
    let version = case.get("openshell-version").and_then(|v| v.parse().ok());
    let options = Options { exit_status: case.exit_status(), openshell_version: version, signal: None, supervised: false, failed: false };
    let mut triage = Triage::new(set, Some(case.stage()), options, case.http_status(), case.curl_status());
    triage.feed(&case.payload);
    let mut diagnosis = triage.finish();
    // A local capture's Dockerfile is kept beside the corpus: placed as the CLI places it.
    if let Some(fixture) = case.get("dockerfile-fixture") {
        let text = std::fs::read_to_string(workspace().join("tests/dockerfiles").join(fixture)).expect("the fixture is there");
        sandbox_triage_core::place_in_dockerfile(&mut diagnosis, fixture, &text);
    }
    diagnosis
}

/// Where the failed step is, as `expected-dockerfile:` states it: `PATH:LINE[-END]`, or
/// `note: <its start>` when it could not be placed, or `none`.
fn dockerfile_shown(diagnosis: &Diagnosis) -> String {
    let Some(spot) = &diagnosis.dockerfile else { return "none".to_owned() };
    match (&spot.note, spot.line, spot.end_line) {
        (Some(note), _, _) => format!("note: {note}"),
        (None, Some(line), Some(end)) => format!("{}:{line}-{end}", spot.path.as_deref().unwrap_or("?")),
        (None, Some(line), None) => format!("{}:{line}", spot.path.as_deref().unwrap_or("?")),
        (None, None, _) => "unplaced".to_owned(),
    }
}

/// Every way `diagnosis` differs from what the header of `case` requires.
fn differences(case: &CorpusCase, diagnosis: &Diagnosis) -> Vec<String> {
    let name = &case.name;
    let mut out = Vec::new();
    let expected: Kind =
        case.expected_kind().unwrap_or_else(|| panic!("{name}: no expected kind")).parse().unwrap_or_else(|e| panic!("{name}: {e}"));
    if diagnosis.kind != expected {
        out.push(format!("{name}: kind {} (rule {:?}), expected {expected}", diagnosis.kind, diagnosis.rule));
    }
    if let Some(uploaded) = case.expected("uploadedToGateway").map(|s| s == "true") {
        if diagnosis.uploaded_to_gateway != uploaded {
            out.push(format!("{name}: uploaded_to_gateway {}, expected {uploaded}", diagnosis.uploaded_to_gateway));
        }
    }
    if let Some(expected_ref) = expected_ref(case) {
        let got = diagnosis.built_image_ref.as_ref().map_or(ExpectedRef::Absent, |r| ExpectedRef::Ref(r.to_string()));
        if got != expected_ref {
            out.push(format!("{name}: built image {got:?}, expected {expected_ref:?}"));
        }
    }
    if let Some(phase) = case.expected("phase") {
        let got = diagnosis.phase.map_or("none", |p| p.as_str());
        if got != phase {
            out.push(format!("{name}: phase {got}, expected {phase}"));
        }
    }
    if let Some(step) = case.expected("failed-step") {
        let got = diagnosis.failed_step.as_ref().map(|s| match (s.number, s.total) {
            (Some(n), Some(t)) => format!("{n}/{t}"),
            (Some(n), None) => n.to_string(),
            _ => "?".to_owned(),
        });
        if got.as_deref() != Some(step) {
            out.push(format!("{name}: failed step {got:?}, expected {step}"));
        }
    }
    if let Some(cause) = case.expected("cause") {
        // The line as the log holds it; the report's text is cleaned and clipped.
        let got = diagnosis.cause.as_ref().map(|c| c.text.trim().to_owned());
        let wanted = sandbox_triage_core::printable(cause.trim());
        // A long line is reported clipped, with `…`: its start must be the cause's.
        let same = got.as_deref().is_some_and(|got| match got.strip_suffix('…') {
            Some(start) => wanted.starts_with(start),
            None => got == wanted,
        });
        if !same {
            out.push(format!("{name}: cause {got:?}, expected {wanted:?}"));
        }
    }
    out.extend(dockerfile_difference(case, diagnosis));
    if let Some(retry) = case.expected("retry") {
        let got = diagnosis.retry.map(sandbox_triage_core::Retry::as_str);
        if got != Some(retry) {
            out.push(format!("{name}: retry {got:?}, expected {retry}"));
        }
    }
    out
}

/// How the failed step's place differs from `expected-dockerfile:`.
fn dockerfile_difference(case: &CorpusCase, diagnosis: &Diagnosis) -> Option<String> {
    let wanted = case.expected("dockerfile")?;
    let got = dockerfile_shown(diagnosis);
    let same = match wanted.strip_prefix("note: ") {
        Some(start) => got.strip_prefix("note: ").is_some_and(|note| note.starts_with(start)),
        None => got == wanted,
    };
    (!same).then(|| format!("{}: dockerfile {got:?}, expected {wanted:?}", case.name))
}

fn check(cases: &[CorpusCase]) -> Vec<String> {
    let set = StageSet::new(&Catalogue::builtin().expect("built-in rules load"));
    cases.iter().flat_map(|case| differences(case, &diagnose(&set, case))).collect()
}

#[test]
fn the_repository_corpus_is_classified_as_its_headers_require() {
    let files = corpus_files(&workspace().join("tests/corpus"));
    assert!(files.len() >= 75, "the repository corpus has only {} files", files.len());
    let failures = check(&files);
    assert!(failures.is_empty(), "{} of {} corpus files wrong:\n{}", failures.len(), files.len(), failures.join("\n"));
}

#[test]
fn the_shared_corpus_is_classified_as_its_headers_require_when_present() {
    let dir = workspace().join("../shared/corpus");
    let files = corpus_files(&dir);
    if files.is_empty() {
        eprintln!("no shared corpus at {}; the repository copy is checked by the other test", dir.display());
        return;
    }
    let failures = check(&files);
    assert!(failures.is_empty(), "{} of {} shared corpus files wrong:\n{}", failures.len(), files.len(), failures.join("\n"));
}

#[test]
fn the_repository_copy_holds_every_shared_corpus_file() {
    let shared = corpus_files(&workspace().join("../shared/corpus"));
    let local = workspace().join("tests/corpus");
    let missing: Vec<String> =
        shared.iter().filter(|c| !local.join(format!("{}.log", c.name)).exists()).map(|c| c.path.display().to_string()).collect();
    assert!(missing.is_empty(), "copy these into tests/corpus/: {missing:?}");
}

/// The same answer however the output arrives: whole, read from a stream (the reading
/// thread cuts it), and with a final newline added where it had none.
#[test]
fn every_corpus_file_gets_one_answer_however_it_is_read() {
    let set = StageSet::new(&Catalogue::builtin().expect("built-in rules load"));
    let mut differ = Vec::new();
    for case in corpus_files(&workspace().join("tests/corpus")) {
        let options = Options { exit_status: case.exit_status(), openshell_version: None, signal: None, supervised: false, failed: false };
        let triage = || Triage::new(&set, Some(case.stage()), options, case.http_status(), case.curl_status());
        let mut whole = triage();
        whole.feed(&case.payload);
        let whole = whole.finish();
        let mut read = triage();
        read.read_from(case.payload.as_slice()).expect("reads");
        let read = read.finish();
        let mut ended = triage();
        ended.feed(&case.payload);
        if !case.payload.ends_with(b"\n") {
            ended.feed(b"\n");
        }
        let ended = ended.finish();
        for (how, other) in [("read from a stream", &read), ("with a final newline", &ended)] {
            if (other.kind, other.phase, &other.rule) != (whole.kind, whole.phase, &whole.rule) {
                differ.push(format!(
                    "{} {how}: {:?} {:?} {:?}, whole: {:?} {:?} {:?}",
                    case.name, other.kind, other.phase, other.rule, whole.kind, whole.phase, whole.rule
                ));
            }
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
