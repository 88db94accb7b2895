//! Rendering a diagnosis for people and for programs. Pure: the caller decides where it
//! goes and whether the terminal takes colour.

use std::fmt::Write as _;

use crate::diagnosis::Diagnosis;
use crate::kind::Kind;

/// How human output is styled.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Prose is wrapped to this many columns; evidence lines are never wrapped.
    pub width: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style { color: false, width: 80 }
    }
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";

fn paint(style: Style, codes: &str, text: &str) -> String {
    if style.color {
        format!("{codes}{text}{RESET}")
    } else {
        text.to_owned()
    }
}

/// Wraps `text` to `width` columns, each line after `indent`.
pub(crate) fn wrap(text: &str, width: usize, indent: &str) -> String {
    wrap_prefixed(text, width, indent, indent, "")
}

/// Wraps `text` to `width` columns: `first` before the first line, `rest` before the
/// others, `end` after the last. Empty text gives nothing.
pub(crate) fn wrap_prefixed(text: &str, width: usize, first: &str, rest: &str, end: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let mut prefix = first;
    for word in text.split_whitespace() {
        if !line.is_empty() && prefix.chars().count() + line.chars().count() + 1 + word.chars().count() > width {
            let _ = writeln!(out, "{prefix}{line}");
            line.clear();
            prefix = rest;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{prefix}{line}{end}");
    }
    out
}

/// The human report: the kind and phase, the explanation, the facts, the evidence lines.
#[must_use]
pub fn human(diagnosis: &Diagnosis, style: Style) -> String {
    let mut out = String::new();
    let colour = match diagnosis.kind {
        Kind::None => GREEN,
        Kind::Unknown => YELLOW,
        _ => RED,
    };
    let mut heading = paint(style, &format!("{BOLD}{colour}"), diagnosis.kind.as_str());
    if let Some(phase) = diagnosis.phase {
        let _ = write!(heading, " (phase: {phase})");
    }
    let _ = writeln!(out, "{heading}");
    out.push_str(&wrap(&diagnosis.explanation, style.width, "  "));

    let mut facts: Vec<(&str, String)> = vec![("stage", diagnosis.stage.to_string())];
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
    if let Some(gateway) = &diagnosis.gateway {
        facts.push(("gateway", gateway.clone()));
    }
    if let Some(engine) = diagnosis.engine {
        facts.push(("engine", engine.as_str().to_owned()));
    }
    if let Some(mib) = diagnosis.exported_mib {
        facts.push(("exported", format!("{mib} MiB")));
    }
    if diagnosis.stage == crate::kind::Stage::SandboxCreate {
        facts.push(("uploaded", if diagnosis.uploaded_to_gateway { "yes" } else { "no" }.to_owned()));
    }
    if let Some(retry) = diagnosis.retry {
        facts.push(("retry", format!("{retry:?}").to_lowercase()));
    }
    out.push('\n');
    for (name, value) in facts {
        let _ = writeln!(out, "  {:<12} {value}", paint(style, DIM, name));
    }
    if !diagnosis.evidence.is_empty() {
        let _ = writeln!(out, "\n{}", paint(style, BOLD, "evidence"));
        let digits = diagnosis.evidence.iter().map(|e| e.line.to_string().len()).max().unwrap_or(1).max(4);
        for evidence in &diagnosis.evidence {
            let number = format!("{:>digits$}", evidence.line);
            let _ = writeln!(out, "  {} │ {}", paint(style, DIM, &number), evidence.text);
        }
    }
    out
}

/// The JSON object (one line, no trailing newline).
#[must_use]
pub fn json(diagnosis: &Diagnosis) -> String {
    serde_json::to_string(diagnosis).expect("a diagnosis always serialises")
}
