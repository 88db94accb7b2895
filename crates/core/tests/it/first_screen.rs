//! A failed build's report answers on its first screen (24 lines at 80 columns): the
//! kind, the cause line, its hint and the Dockerfile's lines, before the evidence.

use sandbox_triage_core::{diagnosis_human, Catalogue, Options, StageSet, Style, Triage};
use sandbox_triage_testkit::CorpusCase;

use crate::corpus::workspace;

const SCREEN: usize = 24;

#[test]
fn every_failed_build_shows_its_cause_and_place_on_the_first_screen() {
    let set = StageSet::new(&Catalogue::builtin().expect("built-in rules load"));
    let cases = CorpusCase::load_dir(&workspace().join("tests/corpus")).expect("corpus");
    let style = Style { color: false, width: 80, evidence_width: Some(80) };
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in cases.iter().filter(|c| c.get("expected-cause").is_some() || c.get("expected-dockerfile").is_some()) {
        let options = Options { exit_status: case.exit_status(), ..Options::default() };
        let mut triage = Triage::new(&set, Some(case.stage()), options, None, None);
        triage.feed(&case.payload);
        let mut diagnosis = triage.finish();
        if let Some(fixture) = case.get("dockerfile-fixture") {
            let text = std::fs::read_to_string(workspace().join("tests/dockerfiles").join(fixture)).expect("fixture");
            sandbox_triage_core::place_in_dockerfile(&mut diagnosis, fixture, &text);
        }
        let report = diagnosis_human(&diagnosis, style);
        let lines: Vec<&str> = report.lines().collect();
        let screen = &lines[..lines.len().min(SCREEN)];
        let on_screen = |needle: &str| screen.iter().any(|l| l.contains(needle));
        let mut wanted = vec![diagnosis.kind.as_str().to_owned()];
        if let Some(cause) = &diagnosis.cause {
            // A long cause line loses part of its middle, never its start nor its end.
            let chars: Vec<char> = cause.text.trim_end().chars().collect();
            wanted.push(chars.iter().take(12).collect());
            wanted.push(chars[chars.len().saturating_sub(12)..].iter().collect());
            wanted.extend(cause.hint.as_ref().map(|_| "hint: ".to_owned()));
        }
        if let Some(line) = diagnosis.dockerfile.as_ref().and_then(|d| d.line) {
            wanted.push(format!(":{line}"));
            wanted.push(format!("{line:>4} │ "));
        }
        for needle in wanted.iter().filter(|n| !on_screen(n)) {
            failures.push(format!("{}: {needle:?} not on the first screen:\n{}", case.name, screen.join("\n")));
        }
        if let Some(evidence) = lines.iter().position(|l| *l == "evidence") {
            let last_wanted = wanted.iter().filter_map(|n| lines.iter().position(|l| l.contains(n.as_str()))).max().unwrap_or(0);
            if last_wanted > evidence {
                failures.push(format!("{}: the evidence comes before what it proves", case.name));
            }
        }
        // A word longer than the line (a path, a command) is alone on its line, unbroken.
        let fits = |l: &&str| l.chars().count() <= 80 || l.split_whitespace().count() == 1;
        assert!(screen.iter().all(fits), "{}: wider than 80 columns:\n{report}", case.name);
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} failed builds with a cause or a place");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
