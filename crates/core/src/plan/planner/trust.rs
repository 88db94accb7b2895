//! A gateway certificate the CLI no longer trusts. There is no `gateway trust` command.

use crate::command::ValueKind;

use super::{lit, Alternative, Confirm, Destructive, Part, Plan, Planner, Probe, Step, Word};

impl Planner<'_> {
    pub(super) fn tls(&mut self, plan: &mut Plan) {
        plan.headline = String::from("The CLI no longer trusts the gateway's certificate: the gateway was recreated with new PKI while the CLI kept its old client certificates. (There is no `openshell gateway trust` command.)");
        let gateway = self.gateway();
        plan.steps.push(Step::argv(Probe, "List the gateways the CLI knows", Self::openshell(&["gateway", "list"])));
        let mut certs = vec![Part::Env("HOME".to_owned()), Part::Lit("/.config/openshell/gateways/".to_owned())];
        certs.extend(gateway.0.clone());
        certs.push(Part::Lit("/mtls".to_owned()));
        if self.upload_path_exists() {
            let mut start = Self::openshell(&["gateway", "start", "--name"]);
            start.push(gateway.clone());
            plan.steps.push(Step::argv(Confirm, "Re-store the gateway's certificate bundle (OpenShell 0.0.36 and older)", start));
        } else {
            plan.steps.push(Step::advice(format!(
                "Put the gateway's current client certificates in {} (OpenShell 0.0.37 and newer do not fetch them)",
                Word(certs.clone()).display()
            )));
        }
        let mut add = Self::openshell(&["gateway", "add"]);
        add.push(self.placeholder("GATEWAY_ENDPOINT", ValueKind::Endpoint, "the gateway's address, for example https://127.0.0.1:8080"));
        add.extend([lit("--local"), lit("--name"), gateway]);
        let remove = Step::argv(
            Destructive,
            "Remove the stale client certificates (gateway add skips extraction while old ones are present)",
            vec![lit("rm"), lit("-r"), Word(certs)],
        );
        let mut steps = vec![remove, Step::argv(Confirm, "Register the gateway again", add)];
        steps.push(self.recreate(self.input.diagnosis.built_image_ref.is_some(), "Create the sandbox again"));
        plan.alternatives.push(Alternative {
            title: "Register the gateway again".to_owned(),
            conditions: vec!["when re-storing the bundle did not help".to_owned()],
            steps,
        });
        plan.steps.push(self.recreate(self.input.diagnosis.built_image_ref.is_some(), "Create the sandbox again"));
    }
}
