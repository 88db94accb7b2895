//! One stage's rules, compiled for scanning: the anchor set over all their line patterns
//! and, for each anchor, the rule patterns it can start.

use crate::model::Stage;
use crate::rules::anchors::{scope_index, AnchorSet, SCOPES};
use crate::rules::scan_literals::{distinct_count, SLIM_MAX};
use crate::rules::{Catalogue, Role, Rule};

/// A rule pattern reached from an anchor: (rule index, part index).
pub(crate) type PatternRef = (u32, u32);

/// A rule pattern an anchor leads to, and the anchor's exact spelling when it must
/// match case-sensitively (it has upper-case letters: `STEP ` is buildah's, `Step ` the
/// classic builder's).
#[derive(Debug, Clone)]
struct Target {
    pattern: PatternRef,
    exact: Option<memchr::memmem::Finder<'static>>,
}

/// One stage's rules, compiled for scanning.
#[derive(Debug, Clone)]
pub struct StageRules {
    stage: Stage,
    rules: Vec<Rule>,
    anchors: AnchorSet,
    by_anchor: Vec<Vec<Target>>,
    /// Matches count whatever the phase: a rule's own cases check what it matches, not
    /// where its matches count.
    ignore_scope: bool,
    /// A user's file removed a built-in rule ([`Catalogue::users_disabled`]).
    users_disabled: bool,
}

/// The scope index of a rule's phase scope.
fn scope_index_of(scope: crate::model::PhaseScope) -> usize {
    match scope {
        crate::model::PhaseScope::Unmarked => scope_index(None),
        crate::model::PhaseScope::In(phase) => scope_index(Some(phase)),
    }
}

impl StageRules {
    /// The rules of `stage`, with the anchors streamed that keep the scan fast.
    #[must_use]
    pub fn new(catalogue: &Catalogue, stage: Stage) -> StageRules {
        let mut rules = StageRules::compile(catalogue.for_stage(stage).cloned().collect(), stage);
        rules.users_disabled = catalogue.users_disabled();
        rules
    }

    /// Whether a user's file removed a built-in rule.
    #[must_use]
    pub fn users_disabled(&self) -> bool {
        self.users_disabled
    }

    /// One rule alone, matched in every phase, with every anchor streamed: what the
    /// self-check runs a rule's cases through.
    #[must_use]
    pub(crate) fn probe(rule: &Rule) -> StageRules {
        let mut rules = StageRules::compile(vec![rule.clone()], rule.stage);
        let anchors = rules.anchors.anchors().to_vec();
        rules.anchors = AnchorSet::with_streamed(anchors.clone(), &anchors);
        rules.ignore_scope = true;
        rules
    }

    fn compile(mut rules: Vec<Rule>, stage: Stage) -> StageRules {
        // Markers first: a line that both moves the phase and fails (`Created sandbox:`)
        // is attributed to the phase it starts.
        rules.sort_by_key(|rule| (!matches!(rule.role, Role::Marker(_)), std::cmp::Reverse(rule.priority)));
        let mut anchors: Vec<String> = Vec::new();
        let mut by_anchor: Vec<Vec<Target>> = Vec::new();
        let mut index_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (ri, rule) in rules.iter().enumerate() {
            for (pi, pattern) in rule.line_patterns().iter().enumerate() {
                for anchor in &pattern.anchors {
                    let lower = anchor.to_ascii_lowercase();
                    let index = *index_of.entry(lower.clone()).or_insert_with(|| {
                        anchors.push(lower.clone());
                        by_anchor.push(Vec::new());
                        anchors.len() - 1
                    });
                    let exact = (*anchor != lower).then(|| memchr::memmem::Finder::new(anchor.as_bytes()).into_owned());
                    by_anchor[index].push(Target { pattern: (ri as u32, pi as u32), exact });
                }
            }
        }
        // Searching every chunk for every anchor is fastest with few literals. When the
        // stage has more than the fast searcher's share, only the anchors of markers and
        // build summaries are searched while streaming, and of markers only those that
        // count in the scope the output is in (a build's long output is searched for the
        // build's markers, not the sandbox's); the other rules run on the lines before each
        // build summary and on the final lines of the output, where the error that stopped
        // the run is.
        let streamed: [Vec<String>; SCOPES] = if distinct_count(&anchors) <= SLIM_MAX {
            std::array::from_fn(|_| anchors.clone())
        } else {
            std::array::from_fn(|scope| {
                let in_scope = |r: &&Rule| match &r.role {
                    Role::Marker(m) => m.streamed && (m.phases.is_empty() || m.phases.iter().any(|p| scope_index_of(*p) == scope)),
                    Role::BuildSummary(_) => true,
                    _ => false,
                };
                let mut streamed: Vec<String> = rules
                    .iter()
                    .filter(in_scope)
                    .flat_map(Rule::line_patterns)
                    .flat_map(|p| p.anchors.iter().map(|a| a.to_ascii_lowercase()))
                    .collect();
                streamed.sort();
                streamed.dedup();
                streamed
            })
        };
        StageRules {
            stage,
            rules,
            anchors: AnchorSet::with_scopes(anchors, &streamed),
            by_anchor,
            ignore_scope: false,
            users_disabled: false,
        }
    }

    /// The rules with every anchor searched while streaming: for live output, where
    /// speed does not matter and a failure should be seen the moment it is printed.
    #[must_use]
    pub fn streaming_all(catalogue: &Catalogue, stage: Stage) -> StageRules {
        let mut rules = StageRules::new(catalogue, stage);
        let anchors = rules.anchors.anchors().to_vec();
        rules.anchors = AnchorSet::with_streamed(anchors.clone(), &anchors);
        rules
    }

    /// The stage these rules read.
    #[must_use]
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// The rules, markers first, then by priority.
    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Every anchor the rules name, lowercase: the phrases a plain search would need.
    #[must_use]
    pub fn anchor_phrases(&self) -> &[String] {
        self.anchors.anchors()
    }

    pub(crate) fn anchors(&self) -> &AnchorSet {
        &self.anchors
    }

    /// Whether `rule` counts a match in `phase` (always, when probing a rule alone).
    pub(crate) fn in_scope(&self, rule: &Rule, phase: Option<crate::model::Phase>) -> bool {
        self.ignore_scope || rule.in_scope(phase)
    }

    /// The patterns a line may match, from the anchors it holds (`lower` is `text`
    /// lowercased); sorted, each once.
    pub(crate) fn patterns_in(&self, text: &[u8], lower: &[u8], out: &mut Vec<PatternRef>) {
        out.clear();
        // Anchors are gathered in `out` first (as `(anchor, MAX)`), so no line allocates.
        self.anchors.each_in_line(lower, |anchor| out.push((anchor as u32, u32::MAX)));
        self.patterns_of_anchors(text, out);
    }

    /// [`StageRules::patterns_in`] for two lines at once (`first` and `second`, each
    /// its text and the same lowercased), into `outs`.
    pub(crate) fn patterns_in_two(&self, first: (&[u8], &[u8]), second: (&[u8], &[u8]), outs: [&mut Vec<PatternRef>; 2]) {
        let [one, two] = outs;
        one.clear();
        two.clear();
        self.anchors.each_in_two_lines(first.1, second.1, |which, anchor| {
            if which == 0 { &mut *one } else { &mut *two }.push((anchor as u32, u32::MAX));
        });
        self.patterns_of_anchors(first.0, one);
        self.patterns_of_anchors(second.0, two);
    }

    /// Turns the anchors gathered in `out` into the patterns they stand for on a line
    /// whose text is `text`: each anchor once, however often the line repeats it, and an
    /// exact-case check searches the whole line.
    fn patterns_of_anchors(&self, text: &[u8], out: &mut Vec<PatternRef>) {
        out.sort_unstable();
        out.dedup();
        let found = out.len();
        for i in 0..found {
            let anchor = out[i].0 as usize;
            for target in &self.by_anchor[anchor] {
                if target.exact.as_ref().is_none_or(|exact| exact.find(text).is_some()) {
                    out.push(target.pattern);
                }
            }
        }
        out.drain(..found);
        out.sort_unstable();
        out.dedup();
    }
}
