//! The diagnosis for people: the kind and phase, the explanation, the facts, the
//! evidence lines.

use std::fmt::Write as _;

use crate::model::{Diagnosis, Era, Kind, Stage};
use crate::report::style::{Look, Style};
use crate::report::wrap::{wrap, wrap_prefixed};
use crate::screen::printable;

/// The human report: the kind and phase, the explanation, the facts, the evidence lines.
#[must_use]
pub fn diagnosis_human(diagnosis: &Diagnosis, style: Style) -> String {
    let mut out = String::new();
    let look = match diagnosis.kind {
        Kind::None => Look::Success,
        Kind::Unknown => Look::Attention,
        _ => Look::Failure,
    };
    let mut heading = style.paint(look, diagnosis.kind.as_str());
    if let Some(phase) = diagnosis.phase {
        let _ = write!(heading, " (phase: {phase})");
    }
    let _ = writeln!(out, "{heading}");
    out.push_str(&wrap(&diagnosis.explanation, style.width, "  "));
    // The line that says why, before the facts: what an operator reads first.
    if let Some(cause) = &diagnosis.cause {
        let _ = writeln!(out, "\n{}", style.paint(Look::Heading, "cause"));
        let text = printable(&cause.text);
        let digits = cause.line.to_string().len().max(4);
        let text = style.fit_line(&text, |width| width.saturating_sub(digits + 5));
        let _ = writeln!(out, "  {} │ {text}", style.paint(Look::Muted, &format!("{:>digits$}", cause.line)));
        if let Some(hint) = &cause.hint {
            out.push_str(&wrap_prefixed(hint, style.width, "  hint: ", "        ", ""));
        }
    }
    // Where the failed step is in the Dockerfile: the next thing an operator opens.
    out.push_str(&crate::report::dockerfile_human::dockerfile_block(diagnosis, style));

    out.push('\n');
    for (name, value) in facts(diagnosis) {
        // Wrapped under its own column, and the name padded before painting: the escape
        // codes take no columns.
        let column = " ".repeat(15);
        let value = wrap_prefixed(&value, style.width, &column, &column, "");
        let _ = write!(out, "  {} {}", style.paint(Look::Muted, &format!("{name:<12}")), value.get(column.len()..).unwrap_or("\n"));
    }
    if !diagnosis.evidence.is_empty() {
        let _ = writeln!(out, "\n{}", style.paint(Look::Heading, "evidence"));
        let digits = diagnosis.evidence.iter().map(|e| e.line.to_string().len()).max().unwrap_or(1).max(4);
        for evidence in &diagnosis.evidence {
            let number = format!("{:>digits$}", evidence.line);
            let text = printable(&evidence.text);
            // On a terminal, a line longer than it is clipped (the JSON keeps it whole).
            let text = style.fit_line(&text, |width| width.saturating_sub(digits + 5));
            let _ = writeln!(out, "  {} │ {text}", style.paint(Look::Muted, &number));
        }
    }
    out
}

/// The facts column: the stage, the rule, and whatever the output showed.
fn facts(diagnosis: &Diagnosis) -> Vec<(&'static str, String)> {
    let mut facts: Vec<(&'static str, String)> = vec![("stage", diagnosis.stage.to_string())];
    if let Some(rule) = &diagnosis.rule {
        facts.push(("rule", rule.clone()));
    }
    if let Some(step) = &diagnosis.failed_step {
        let number = match (step.number, step.total) {
            (Some(n), Some(t)) => Some(format!("{n}/{t}")),
            (Some(n), None) => Some(n.to_string()),
            _ => None,
        };
        let command = step.command.as_deref().map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "));
        let shown = match (number, command) {
            (Some(n), Some(c)) => format!("{n}: {c}"),
            (Some(n), None) => n,
            (None, Some(c)) => c,
            (None, None) => "unknown".to_owned(),
        };
        facts.push(("failed step", shown));
    }
    if let Some(image) = &diagnosis.built_image_ref {
        facts.push(("built image", image.to_string()));
    }
    if let Some(image) = &diagnosis.sandbox_image {
        let whose = if diagnosis.sandbox_image_local { " (built by a create)" } else { "" };
        facts.push(("image", format!("{image}{whose}")));
    }
    if let Some(gateway) = &diagnosis.gateway {
        facts.push(("gateway", gateway.clone()));
    }
    if let Some(sandbox) = &diagnosis.sandbox {
        facts.push(("sandbox", sandbox.clone()));
    }
    if let Some(status) = &diagnosis.reported_status {
        facts.push(("status", status.clone()));
    }
    if let Some(secs) = diagnosis.timeout_secs {
        facts.push(("limit", format!("{secs} s")));
    }
    if let Some(engine) = diagnosis.engine {
        facts.push(("engine", engine.as_str().to_owned()));
    }
    if let Some(mib) = diagnosis.exported_mib {
        facts.push(("exported", format!("{mib} MiB")));
    }
    if diagnosis.stage == Stage::SandboxCreate {
        let uploaded = match (diagnosis.uploaded_to_gateway, diagnosis.era) {
            (true, _) => "yes",
            (false, Some(Era::PackageManaged)) => "no (nothing is uploaded since 0.0.37)",
            (false, _) => "no",
        };
        facts.push(("uploaded", uploaded.to_owned()));
    }
    if let Some(era) = diagnosis.era {
        facts.push(("releases", era.releases().to_owned()));
    }
    if let Some(retry) = diagnosis.retry {
        facts.push(("retry", format!("{retry:?}").to_lowercase()));
    }
    facts
}
