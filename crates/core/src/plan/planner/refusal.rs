//! The gateway answered and refused: the CLI's credentials, or the create itself for a
//! reason it states. Both need a person: the credentials are the gateway's to give, and
//! the gateway's message is the only authority on what it wants changed.

use super::{lit, Plan, Planner, Probe, Step};

impl Planner<'_> {
    pub(super) fn gateway_auth(&mut self, plan: &mut Plan) {
        plan.headline = "The gateway answered but refused the CLI's credentials: its client certificate or token is missing, expired or another gateway's.".to_owned();
        let gateway = self.gateway();
        let mut info = Self::openshell(&["gateway", "info"]);
        info.extend([lit("-g"), gateway.clone()]);
        plan.steps.push(Step::argv(Probe, "See the gateway's endpoint and how the CLI authenticates to it", info));
        plan.steps.push(Step::advice(format!(
            "For an mTLS gateway, put its current client certificate and key in $HOME/.config/openshell/gateways/{}/mtls (ca.crt, tls.crt, tls.key); for an OIDC or edge gateway, sign in again with `openshell gateway login {}`; a plaintext endpoint is only for gateways that accept clients without authentication",
            gateway.display(),
            gateway.display()
        )));
        plan.steps.push(self.recreate(self.input.diagnosis.built_image_ref.is_some(), "Create the sandbox again"));
    }

    pub(super) fn gateway_rejected(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        plan.headline = match &d.reported_status {
            // miette may wrap the message past the two lines a match joins: its start,
            // and where the rest is.
            Some(message) => {
                format!("The gateway refused the create and said why (in full in the error that ends the output): \"{message}\".")
            }
            None => "The gateway refused the create for a reason it states in the evidence above.".to_owned(),
        };
        let own_config = d.reported_status.as_deref().is_some_and(|m| m.contains("configure"));
        if own_config {
            plan.notes.push("The message names a setting of the gateway's own TOML configuration: the gateway's operator changes it and restarts the gateway; nothing on the CLI's side helps.".to_owned());
        }
        plan.steps.push(Step::advice("Do what the gateway's message says (a setting of the gateway, or a provider, policy or value of the create), then create again"));
        plan.steps.push(self.recreate(d.built_image_ref.is_some(), "Create the sandbox again"));
    }
}
