//! The sandbox request reached the gateway and then could not finish: the name is
//! taken, or the sandbox was not ready in time.

use super::{with_env, Alternative, Confirm, Plan, Planner, Probe, Step};

/// A longer provisioning limit than the one that ran out.
fn longer_limit(secs: Option<u64>) -> u64 {
    secs.map_or(900, |s| s.saturating_mul(3).max(900))
}

impl Planner<'_> {
    pub(super) fn already_exists(&mut self, plan: &mut Plan) {
        plan.headline = "A sandbox of that name already exists: use it, delete it, or create under another name.".to_owned();
        plan.steps.push(
            Step::argv(Probe, "See the sandbox's phase", Self::openshell(&["sandbox", "list"]))
                .with_note("Ready: connect to it; Error or Provisioning: delete it first"),
        );
        let mut connect = Self::openshell(&["sandbox", "connect"]);
        connect.push(self.sandbox_name());
        plan.steps.push(Step::argv(Confirm, "Connect to it when it is Ready (nothing to create)", connect));
        plan.steps.push(self.delete_sandbox("Delete it (its files go with it)"));
        plan.steps.push(self.recreate(self.input.diagnosis.built_image_ref.is_some(), "Create the sandbox again"));
        let renamed = self.recreate_renamed("Create under another name");
        plan.alternatives.push(Alternative {
            title: "Keep the existing sandbox".to_owned(),
            conditions: vec!["when the existing sandbox is still wanted".to_owned()],
            steps: vec![renamed],
        });
    }

    pub(super) fn provisioning_timeout(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        let status = d.reported_status.clone().unwrap_or_default();
        let said = d.evidence.iter().map(|e| e.text.to_ascii_lowercase()).collect::<Vec<_>>().join("\n") + &status.to_ascii_lowercase();
        let limit = d.timeout_secs.map_or_else(|| "its limit".to_owned(), |s| format!("{s} s"));
        plan.headline = format!("The sandbox was created but not ready within {limit}: see where it stopped, then delete it and create again (with more time when it was still making progress).");
        if !status.is_empty() {
            plan.notes.push(format!("The gateway last reported: {status}."));
        }
        if said.contains("supervisornotconnected") || said.contains("supervisor session") {
            plan.notes.push("The container started but OpenShell's supervisor never connected: an image whose ENTRYPOINT or CMD replaces the supervisor, or one without it, never becomes ready.".to_owned());
        }
        let gpu = said.contains("gpu is already in use");
        plan.steps.push(Step::argv(Probe, "See the sandbox's phase (and which sandboxes exist)", Self::openshell(&["sandbox", "list"])));
        if gpu {
            plan.steps.push(Step::advice("Find the sandbox that holds the GPU in the list; delete it only if it is no longer needed"));
        }
        plan.steps
            .push(self.delete_sandbox("Delete the sandbox that timed out (creating again under the same name answers AlreadyExists)"));
        let again = self.recreate(
            d.built_image_ref.is_some(),
            "Create the sandbox again with a longer provisioning limit (seconds; a large image's first pull takes minutes)",
        );
        plan.steps.push(with_env(again, &[("OPENSHELL_PROVISION_TIMEOUT", longer_limit(d.timeout_secs).to_string())]));
    }
}
