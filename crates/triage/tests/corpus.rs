//! Every corpus file is classified as its header requires. The corpus is read from the
//! repository's copy (`tests/corpus/`) and, when it exists, the shared corpus beside the
//! repository, so files added to either are picked up without code changes.

use std::fs;
use std::path::{Path, PathBuf};

use sandbox_triage::{classify, Catalogue, Kind, Options, Stage, StageRules};

#[derive(PartialEq, Eq, Debug)]
enum ExpectedRef {
    Absent,
    Ref(String),
}

struct Case {
    name: String,
    kind: String,
    stage: Stage,
    exit_status: Option<i32>,
    uploaded: Option<bool>,
    /// What the header says of the built image, when it says anything.
    built_image_ref: Option<ExpectedRef>,
    payload: Vec<u8>,
}

fn parse(path: &Path) -> Case {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = String::from_utf8_lossy(&bytes);
    let mut header = Vec::new();
    let mut offset = 0;
    // The header ends at the first line that is exactly `# ---`; payload lines may
    // start with `#` themselves (BuildKit's `#5 [...]`).
    for line in text.split_inclusive('\n') {
        offset += line.len();
        let line = line.trim_end_matches('\n');
        if line == "# ---" {
            break;
        }
        header.push(line.to_owned());
    }
    let get = |key: &str| header.iter().find_map(|l| l.strip_prefix(&format!("# {key}: ")).map(str::trim).map(str::to_owned));
    let mut payload = bytes[offset.min(bytes.len())..].to_vec();
    if payload.last() == Some(&b'\n') {
        payload.pop();
    }
    let stage = match get("classifier").as_deref() {
        Some("gateway-start") => Stage::GatewayStart,
        Some("provider-validation") => Stage::ProviderValidation,
        _ => Stage::SandboxCreate,
    };
    let refs = get("expected-improved-builtImageRef").or_else(|| get("expected-builtImageRef"));
    let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
    Case {
        kind: get("expected-improved").or_else(|| get("expected")).unwrap_or_else(|| panic!("{name}: no expected kind")),
        name,
        stage,
        exit_status: get("exit-status").map(|s| s.parse().expect("numeric exit-status")),
        uploaded: get("expected-uploadedToGateway").map(|s| s == "true"),
        built_image_ref: refs.map(|r| if r == "null" { ExpectedRef::Absent } else { ExpectedRef::Ref(r) }),
        payload,
    }
}

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "log")).collect();
    files.sort();
    files
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn check(files: &[PathBuf]) -> Vec<String> {
    let catalogue = Catalogue::builtin().expect("built-in rules load");
    let mut failures = Vec::new();
    for path in files {
        let case = parse(path);
        let rules = StageRules::new(&catalogue, case.stage);
        let diagnosis = classify(&rules, Options { exit_status: case.exit_status, ..Options::default() }, &case.payload);
        let name = &case.name;
        let expected: Kind = case.kind.parse().unwrap_or_else(|e| panic!("{name}: {e}"));
        if diagnosis.kind != expected {
            failures.push(format!("{name}: kind {} (rule {:?}), expected {expected}", diagnosis.kind, diagnosis.rule));
        }
        if let Some(uploaded) = case.uploaded {
            if diagnosis.uploaded_to_gateway != uploaded {
                failures.push(format!("{name}: uploaded_to_gateway {}, expected {uploaded}", diagnosis.uploaded_to_gateway));
            }
        }
        if let Some(expected_ref) = &case.built_image_ref {
            let got = diagnosis.built_image_ref.as_ref().map_or(ExpectedRef::Absent, |r| ExpectedRef::Ref(r.to_string()));
            if &got != expected_ref {
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
        shared.iter().filter(|p| !local.join(p.file_name().unwrap_or_default()).exists()).map(|p| p.display().to_string()).collect();
    assert!(missing.is_empty(), "copy these into tests/corpus/: {missing:?}");
}
