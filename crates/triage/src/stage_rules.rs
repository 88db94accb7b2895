//! One stage's rules, compiled for scanning: the anchor set over all their line patterns
//! and, for each anchor, the rule patterns it can start.

use crate::anchors::AnchorSet;
use crate::catalogue::Catalogue;
use crate::kind::Stage;
use crate::rule::{Role, Rule};

/// A rule pattern reached from an anchor: (rule index, part index).
pub type PatternRef = (u32, u32);

#[derive(Debug, Clone)]
pub struct StageRules {
    stage: Stage,
    rules: Vec<Rule>,
    anchors: AnchorSet,
    by_anchor: Vec<Vec<PatternRef>>,
}

impl StageRules {
    #[must_use]
    pub fn new(catalogue: &Catalogue, stage: Stage) -> StageRules {
        let mut rules: Vec<Rule> = catalogue.for_stage(stage).cloned().collect();
        // Markers first: a line that both moves the phase and fails (`Created sandbox:`)
        // is attributed to the phase it starts.
        rules.sort_by_key(|rule| (rule.role != Role::Marker, std::cmp::Reverse(rule.priority)));
        let mut anchors: Vec<String> = Vec::new();
        let mut by_anchor: Vec<Vec<PatternRef>> = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            for (pi, pattern) in rule.line_patterns().iter().enumerate() {
                for anchor in &pattern.anchors {
                    let index = anchors.iter().position(|a| a == anchor).unwrap_or_else(|| {
                        anchors.push(anchor.clone());
                        by_anchor.push(Vec::new());
                        anchors.len() - 1
                    });
                    by_anchor[index].push((ri as u32, pi as u32));
                }
            }
        }
        StageRules { stage, rules, anchors: AnchorSet::new(anchors), by_anchor }
    }

    #[must_use]
    pub fn stage(&self) -> Stage {
        self.stage
    }

    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    #[must_use]
    pub fn anchors(&self) -> &AnchorSet {
        &self.anchors
    }

    /// The patterns a line may match, from the anchors it holds; sorted, each once.
    pub fn patterns_in(&self, lower: &[u8], out: &mut Vec<PatternRef>) {
        out.clear();
        self.anchors.each_in_line(lower, |anchor| out.extend_from_slice(&self.by_anchor[anchor]));
        out.sort_unstable();
        out.dedup();
    }
}
