//! Every corpus file is classified as its header requires. The corpus is read from the
//! repository's copy (`tests/corpus/`) and, when it exists, the shared corpus beside the
//! repository, so files added to either are picked up without code changes.

use std::path::{Path, PathBuf};

use sandbox_triage_core::{classify, Catalogue, Kind, Options, StageRules};
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

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn check(cases: &[CorpusCase]) -> Vec<String> {
    let catalogue = Catalogue::builtin().expect("built-in rules load");
    let mut failures = Vec::new();
    for case in cases {
        let rules = StageRules::new(&catalogue, case.stage());
        let diagnosis = classify(&rules, Options { exit_status: case.exit_status(), ..Options::default() }, &case.payload);
        let name = &case.name;
        let expected: Kind =
            case.expected_kind().unwrap_or_else(|| panic!("{name}: no expected kind")).parse().unwrap_or_else(|e| panic!("{name}: {e}"));
        if diagnosis.kind != expected {
            failures.push(format!("{name}: kind {} (rule {:?}), expected {expected}", diagnosis.kind, diagnosis.rule));
        }
        if let Some(uploaded) = case.get("expected-uploadedToGateway").map(|s| s == "true") {
            if diagnosis.uploaded_to_gateway != uploaded {
                failures.push(format!("{name}: uploaded_to_gateway {}, expected {uploaded}", diagnosis.uploaded_to_gateway));
            }
        }
        if let Some(expected_ref) = expected_ref(case) {
            let got = diagnosis.built_image_ref.as_ref().map_or(ExpectedRef::Absent, |r| ExpectedRef::Ref(r.to_string()));
            if got != expected_ref {
                failures.push(format!("{name}: built image {got:?}, expected {expected_ref:?}"));
            }
        }
    }
    failures
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
