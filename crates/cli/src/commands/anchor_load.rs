//! How often a rule's anchors occur in real-shaped build output: the scanner runs a
//! rule's regex on every line holding one of its anchors, so an anchor on many lines
//! makes the rule slow on every long build. Measured on samples of the benchmark's own
//! shapes (classic, BuildKit, buildah, dense apt/pip/npm output, compilers, NemoClaw).

use sandbox_triage_core::Rule;

#[allow(dead_code)] // The benchmark's failure and kind fields are its own.
#[path = "../../benches/shapes/mod.rs"]
mod shapes;

/// The share of a shape's lines above which an anchor is too common.
pub(crate) const TOO_COMMON: f64 = 0.05;

/// Blocks of each shape sampled: a few thousand lines each.
const BLOCKS: usize = 120;

/// An anchor too common to be fast.
#[derive(Debug, Clone)]
pub(crate) struct CommonAnchor {
    pub(crate) rule: String,
    pub(crate) file: String,
    pub(crate) anchor: String,
    /// The shape it is most common in, and the share of that shape's lines holding it.
    pub(crate) shape: &'static str,
    pub(crate) share: f64,
}

/// Each shape's sample, its lines lowercased beside them as they are.
struct Sample {
    name: &'static str,
    lines: Vec<String>,
    lowered: Vec<String>,
}

fn samples() -> Vec<Sample> {
    shapes::SHAPES
        .iter()
        .map(|shape| {
            let mut text = String::new();
            for i in 0..BLOCKS {
                (shape.block)(i, &mut text);
            }
            let lines: Vec<String> = text.lines().map(str::to_owned).collect();
            let lowered = lines.iter().map(|l| l.to_lowercase()).collect();
            Sample { name: shape.name, lines, lowered }
        })
        .collect()
}

/// The anchors of `rules` that more than [`TOO_COMMON`] of some shape's lines hold (an
/// anchor with an upper-case letter matches exactly; others ignore case, as the scanner
/// matches them).
pub(crate) fn common_anchors<'a>(rules: impl Iterator<Item = &'a Rule>) -> Vec<CommonAnchor> {
    let samples = samples();
    let mut found = Vec::new();
    for rule in rules {
        for anchor in rule.line_patterns().iter().flat_map(|p| p.anchors.iter()) {
            let exact = anchor.chars().any(char::is_uppercase);
            let lowered = anchor.to_lowercase();
            let share = |sample: &Sample| {
                let lines = if exact { &sample.lines } else { &sample.lowered };
                let needle = if exact { anchor.as_str() } else { lowered.as_str() };
                let holding = u32::try_from(lines.iter().filter(|line| line.contains(needle)).count()).unwrap_or(u32::MAX);
                f64::from(holding) / f64::from(u32::try_from(sample.lines.len().max(1)).unwrap_or(u32::MAX))
            };
            let worst = samples.iter().map(|s| (s.name, share(s))).max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((shape, share)) = worst.filter(|(_, share)| *share > TOO_COMMON) {
                found.push(CommonAnchor { rule: rule.id.clone(), file: rule.file.clone(), anchor: anchor.clone(), shape, share });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(anchors: &str) -> sandbox_triage_core::Catalogue {
        let text = format!(
            "id = 'mine.x'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = 'disk_full'\nanchors = [{anchors}]\npattern = '(?i)zscaler|install|Step'\nexplanation = 'x'\n"
        );
        sandbox_triage_core::Catalogue::with_user_files(vec![("mine/x.toml".to_owned(), text)]).expect("loads")
    }

    #[test]
    fn an_anchor_on_many_lines_of_some_shape_is_too_common() {
        let catalogue = rule("'zscaler', 'install', 'Step '");
        let mine = catalogue.rules().iter().filter(|r| r.file == "mine/x.toml");
        let found = common_anchors(mine);
        let anchors: Vec<&str> = found.iter().map(|a| a.anchor.as_str()).collect();
        // `install` is on every npm and apt line; `Step ` (exact) heads every classic step.
        assert_eq!(anchors, ["install", "Step "], "{found:?}");
        assert!(found.iter().all(|a| a.share > TOO_COMMON && a.rule == "mine.x"));
    }

    #[test]
    fn the_built_in_failure_rules_anchors_are_not_too_common() {
        let catalogue = sandbox_triage_core::Catalogue::builtin().expect("rules");
        // Markers read the build's structure (step headers): they are on many lines by design.
        let failures = catalogue.rules().iter().filter(|r| r.role_name() != "marker");
        let found = common_anchors(failures);
        assert!(found.is_empty(), "{found:#?}");
    }
}
