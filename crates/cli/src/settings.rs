//! Settings resolved once from the raw arguments and the environment: the catalogue,
//! the host (WSL included), the OpenShell version, the engine, the front end and the
//! output style. Every command takes them from here.

use std::io::{self, IsTerminal};
use std::path::Path;

use anyhow::Context;
use sandbox_triage_core::{plan, Catalogue, CreateInvocation, Diagnosis, Engine, Host, Plan, PlanInput, Style, Version};

use crate::args::{ColorChoice, FrontendChoice, HostArgs, PlanChoiceArgs};
use crate::rule_dir::read_rule_dir;

/// Which of our outputs a report goes to: colour depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Destination {
    Stdout,
    Stderr,
}

/// Everything a command needs besides its own arguments.
pub(crate) struct Settings {
    pub(crate) catalogue: Catalogue,
    pub(crate) host: Host,
    pub(crate) openshell_version: Option<Version>,
    engine: Option<Engine>,
    frontend: Option<FrontendChoice>,
    pub(crate) style: Style,
}

impl Settings {
    /// Resolves the settings for a command that reports to `destination`.
    pub(crate) fn resolve(
        rules: Option<&Path>,
        host: Option<&HostArgs>,
        choice: Option<&PlanChoiceArgs>,
        destination: Destination,
    ) -> anyhow::Result<Settings> {
        Ok(Settings {
            catalogue: load_catalogue(rules)?,
            host: resolve_host(host),
            openshell_version: host.and_then(|h| h.openshell_version),
            engine: choice.and_then(|c| c.engine),
            frontend: choice.and_then(|c| c.frontend),
            style: style_for(destination),
        })
    }

    /// The recovery plan for `diagnosis`.
    pub(crate) fn plan(&self, diagnosis: &Diagnosis, invocation: Option<&CreateInvocation>) -> Plan {
        let nemoclaw = self.frontend.map(|f| f == FrontendChoice::Nemoclaw);
        let frontend = sandbox_triage_host::frontend(nemoclaw, invocation);
        plan(&PlanInput {
            diagnosis,
            host: self.host,
            engine: self.engine,
            openshell_version: self.openshell_version,
            frontend,
            invocation,
        })
    }
}

/// The built-in catalogue, with the user's rules when a directory is given.
fn load_catalogue(dir: Option<&Path>) -> anyhow::Result<Catalogue> {
    match dir {
        Some(dir) => Catalogue::with_user_files(read_rule_dir(dir)?).context("invalid rules"),
        None => Catalogue::builtin().context("invalid built-in rules"),
    }
}

/// The host from the arguments, else this machine (WSL detected only then).
fn resolve_host(args: Option<&HostArgs>) -> Host {
    sandbox_triage_host::host(args.and_then(|h| h.os), args.and_then(|h| h.arch))
}

/// `--color`, set once from the command line.
static COLOR: std::sync::OnceLock<ColorChoice> = std::sync::OnceLock::new();

/// Takes the command line's `--color`.
pub(crate) fn set_color(choice: ColorChoice) {
    let _ = COLOR.set(choice);
}

/// Prose is kept to at most this many columns, however wide the terminal: longer lines
/// are hard to read.
const PROSE_MAX: usize = 100;

/// The style of output to `destination`: colour, and the width of the terminal.
pub(crate) fn style_for(destination: Destination) -> Style {
    let columns = columns(destination);
    Style { color: wants_color(destination), width: columns.unwrap_or(80).clamp(20, PROSE_MAX), evidence_width: columns }
}

/// The width output to `destination` is fitted to: `COLUMNS`, else the terminal's;
/// `None` off a terminal.
fn columns(destination: Destination) -> Option<usize> {
    let set = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).filter(|&c| c > 0);
    set.or_else(|| {
        // The columns alone: a terminal whose rows are not set still has a width.
        let size = match destination {
            Destination::Stdout => rustix::termios::tcgetwinsize(io::stdout()),
            Destination::Stderr => rustix::termios::tcgetwinsize(io::stderr()),
        };
        size.ok().map(|s| usize::from(s.ws_col)).filter(|&w| w > 0)
    })
}

/// `--color always|never` decides; `auto` colours a terminal unless `NO_COLOR` is set or
/// `TERM` is `dumb`, and `CLICOLOR_FORCE` forces colour even off a terminal.
fn wants_color(destination: Destination) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match COLOR.get().copied().unwrap_or(ColorChoice::Auto) {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE") => true,
        ColorChoice::Auto => {
            let terminal = match destination {
                Destination::Stdout => io::stdout().is_terminal(),
                Destination::Stderr => io::stderr().is_terminal(),
            };
            terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}
