//! The create could not resolve or reach its gateway. How a gateway is started depends
//! on the releases: 0.0.36 and older start it (`openshell gateway start`); from 0.0.37
//! it is a service the operator runs, and the CLI only registers endpoints.

use crate::command::ValueKind;

use super::{lit, Action, Alternative, Confirm, Era, Plan, Planner, Probe, Step, Word};

impl Planner<'_> {
    pub(super) fn gateway_unreachable(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        let said = d.evidence.iter().map(|e| e.text.to_ascii_lowercase()).collect::<Vec<_>>().join("\n");
        let unknown_name = said.contains("unknown gateway");
        let unresolved = said.contains("no active gateway") || unknown_name;
        plan.headline = if unresolved {
            "The create has no gateway it knows by that name: select or register one, then create again.".to_owned()
        } else {
            "The gateway did not answer: start it (or point the CLI at the right endpoint), then create again.".to_owned()
        };
        plan.steps.push(Step::argv(Probe, "List the gateways the CLI knows, and the active one", Self::openshell(&["gateway", "list"])));
        if unknown_name {
            self.unknown_gateway(plan);
            return;
        }
        if unresolved {
            let mut select = Self::openshell(&["gateway", "select"]);
            select.push(self.gateway());
            plan.steps.push(Step::argv(Confirm, "Make the gateway the active one", select).with_note("when `gateway list` shows it"));
            let mut add = Self::openshell(&["gateway", "add"]);
            add.push(self.placeholder(
                "GATEWAY_ENDPOINT",
                ValueKind::Endpoint,
                "the gateway's address, for example https://127.0.0.1:8080",
            ));
            add.extend([lit("--name"), self.gateway()]);
            plan.steps.push(Step::argv(Confirm, "Register the gateway when the list lacks it", add));
        } else {
            let mut info = Self::openshell(&["gateway", "info"]);
            if self.era() == Some(Era::TarUpload) {
                info.extend([lit("--name"), self.gateway()]);
            } else {
                info.extend([lit("-g"), self.gateway()]);
            }
            plan.steps.push(Step::argv(Probe, "See the gateway's endpoint", info));
            match self.era() {
                Some(Era::TarUpload) => plan.steps.push(self.start_gateway()),
                _ => {
                    plan.steps.push(Step::advice("Start the gateway service the way it was installed (its package's systemd unit, `brew services`, the container, or the Helm release)"));
                    if self.era().is_none() {
                        let start = self.start_gateway();
                        plan.alternatives.push(Alternative {
                            title: "OpenShell 0.0.36 and older".to_owned(),
                            conditions: vec!["`openshell --version` is 0.0.36 or older: the CLI starts the gateway itself".to_owned()],
                            steps: vec![start],
                        });
                    }
                }
            }
        }
        // An image built before the gateway went away is reused: no rebuild.
        plan.steps.push(self.recreate(self.input.diagnosis.built_image_ref.is_some(), "Create the sandbox again"));
        self.push_resume(&mut plan.steps);
    }

    /// A gateway name the CLI has no record of is most often misspelt: create again with
    /// one the list shows; registering it is for a gateway this machine never saw.
    fn unknown_gateway(&mut self, plan: &mut Plan) {
        plan.headline = "The create names a gateway this machine has no record of (often a misspelt name): create again with a name `gateway list` shows, or register the gateway first.".to_owned();
        let again = self.recreate(false, "Create the sandbox again, naming a gateway `gateway list` shows");
        let known = self.placeholder("GATEWAY", ValueKind::Name, "a gateway name `openshell gateway list` shows");
        plan.steps.push(naming_gateway(again, known));
        let mut add = Self::openshell(&["gateway", "add"]);
        add.push(self.placeholder("GATEWAY_ENDPOINT", ValueKind::Endpoint, "the gateway's address, for example https://127.0.0.1:8080"));
        add.extend([lit("--name"), self.gateway()]);
        let steps = vec![
            Step::argv(Confirm, "Register the gateway under the name the create used", add),
            self.recreate(false, "Create the sandbox again"),
        ];
        plan.alternatives.push(Alternative {
            title: "The gateway exists, but this machine has not registered it".to_owned(),
            conditions: vec!["the name is right and `gateway list` lacks it".to_owned()],
            steps,
        });
        self.push_resume(&mut plan.steps);
    }

    /// `openshell gateway start --name <gw>` (0.0.36 and older).
    fn start_gateway(&mut self) -> Step {
        let mut start = Self::openshell(&["gateway", "start", "--name"]);
        start.push(self.gateway());
        Step::argv(Confirm, "Start the gateway", start)
    }
}

/// `step`'s create with its gateway (`-g`, `--gateway`, `--gateway=`) replaced by
/// `gateway`, or given it before any trailing command when it named none.
fn naming_gateway(step: Step, gateway: Word) -> Step {
    let Action::Argv(mut words) = step.action else { return step };
    let shown: Vec<String> = words.iter().map(Word::display).collect();
    if let Some(i) = shown.iter().position(|w| w == "-g" || w == "--gateway").filter(|i| i + 1 < words.len()) {
        words[i + 1] = gateway;
    } else if let Some(i) = shown.iter().position(|w| w.starts_with("--gateway=") || (w.starts_with("-g") && w.len() > 2)) {
        words.splice(i..=i, [lit("-g"), gateway]);
    } else {
        let at = shown.iter().position(|w| w == "--").unwrap_or(words.len());
        words.splice(at..at, [lit("-g"), gateway]);
    }
    let mut renamed = Step::argv(step.applicability, step.purpose, words);
    renamed.note = step.note;
    renamed
}
