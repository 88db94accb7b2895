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
    let mut heading = style.paint(look, diagnosis.kind_id());
    if let Some(phase) = diagnosis.phase {
        let _ = write!(heading, " (phase: {phase})");
    }
    let _ = writeln!(out, "{heading}");
    if let Some(own) = &diagnosis.user_kind {
        out.push_str(&wrap(&format!("{} (a kind of your own rules)", own.title), style.width, "  "));
    }
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
        // The message may go on past the lines that were read (miette wraps it): a
        // status that stops mid-phrase says so, rather than end on `failed to`.
        let cut = if ends_mid_phrase(status) { " …" } else { "" };
        facts.push(("status", format!("{status}{cut}")));
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

/// Whether `text` stops in the middle of a phrase: on a colon or comma, or on a word
/// that always has more after it (`to`, `for`, `and`, …).
fn ends_mid_phrase(text: &str) -> bool {
    const GOES_ON: [&str; 16] = ["a", "an", "and", "are", "at", "by", "for", "from", "in", "is", "of", "on", "or", "the", "to", "with"];
    let text = text.trim_end();
    text.ends_with([':', ',', ';', '-'])
        || text.rsplit(' ').next().is_some_and(|word| GOES_ON.contains(&word.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::ends_mid_phrase;

    #[test]
    fn a_status_cut_mid_phrase_is_told_from_a_whole_one() {
        for cut in ["status code 500: failed to", "is not present locally and", "manifest for", "status code 500:", "x,"] {
            assert!(ends_mid_phrase(cut), "{cut}");
        }
        for whole in ["ContainerExited", "image_pull_policy=Never", "not found", "failed to pull image 'x:1'", "Too"] {
            assert!(!ends_mid_phrase(whole), "{whole}");
        }
    }
}
