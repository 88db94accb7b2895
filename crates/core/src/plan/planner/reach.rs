//! The create could not resolve or reach its gateway. How a gateway is started depends
//! on the releases: 0.0.36 and older start it (`openshell gateway start`); from 0.0.37
//! it is a service the operator runs, and the CLI only registers endpoints.

use super::{lit, Alternative, Confirm, Era, Plan, Planner, Probe, Step};

impl Planner<'_> {
    pub(super) fn gateway_unreachable(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        let said = d.evidence.iter().map(|e| e.text.to_ascii_lowercase()).collect::<Vec<_>>().join("\n");
        let unresolved = said.contains("no active gateway") || said.contains("unknown gateway");
        plan.headline = if unresolved {
            "The create has no gateway it knows by that name: select or register one, then create again.".to_owned()
        } else {
            "The gateway did not answer: start it (or point the CLI at the right endpoint), then create again.".to_owned()
        };
        plan.steps.push(Step::argv(Probe, "List the gateways the CLI knows, and the active one", Self::openshell(&["gateway", "list"])));
        if unresolved {
            let mut select = Self::openshell(&["gateway", "select"]);
            select.push(self.gateway());
            plan.steps.push(Step::argv(Confirm, "Make the gateway the active one", select).with_note("when `gateway list` shows it"));
            let mut add = Self::openshell(&["gateway", "add"]);
            add.push(self.placeholder("GATEWAY_ENDPOINT", "the gateway's address, for example https://127.0.0.1:8080"));
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
        plan.steps.push(self.recreate(false, "Create the sandbox again"));
        self.push_resume(&mut plan.steps);
    }

    /// `openshell gateway start --name <gw>` (0.0.36 and older).
    fn start_gateway(&mut self) -> Step {
        let mut start = Self::openshell(&["gateway", "start", "--name"]);
        start.push(self.gateway());
        Step::argv(Confirm, "Start the gateway", start)
    }
}
