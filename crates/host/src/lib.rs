//! What sandbox-triage reads of the machine it runs on, shared by every front end (the
//! command and the Node.js package): the Dockerfile a failed build used, the host the
//! plan is for, and the command name NemoClaw runs under. The library that decides
//! (`sandbox-triage-core`) reads nothing itself.

mod dockerfile;

use sandbox_triage_core::{Arch, CreateInvocation, Frontend, Host, Os};

pub use dockerfile::place_dockerfile;

/// The host a plan is for: the OS and architecture given, else this machine's (WSL is
/// detected only then: a host named by the caller is taken as named).
#[must_use]
pub fn host(os: Option<Os>, arch: Option<Arch>) -> Host {
    Host {
        os: os.or_else(Os::current).unwrap_or(Os::Linux),
        arch: arch.or_else(Arch::current).unwrap_or(Arch::X86_64),
        wsl: os.is_none() && cfg!(target_os = "linux") && running_under_wsl(),
    }
}

/// Linux under WSL 2: its kernel says so.
fn running_under_wsl() -> bool {
    std::fs::read_to_string("/proc/sys/kernel/osrelease").is_ok_and(|r| r.to_ascii_lowercase().contains("microsoft"))
}

/// NemoClaw's branded command name, as it tells its children (`NEMOCLAW_INVOKED_AS`):
/// one of its brands, else `nemoclaw`.
#[must_use]
pub fn nemoclaw_cli() -> String {
    nemoclaw_cli_named(std::env::var("NEMOCLAW_INVOKED_AS").ok().as_deref())
}

/// NemoClaw's brands: the names it runs under, as it resolves `NEMOCLAW_INVOKED_AS`.
const NEMOCLAW_BRANDS: &[&str] = &["nemoclaw", "nemohermes", "nemo-deepagents"];

/// [`nemoclaw_cli`] for the value given: a brand NemoClaw knows, else `nemoclaw`, as
/// NemoClaw itself falls back.
#[must_use]
pub fn nemoclaw_cli_named(invoked_as: Option<&str>) -> String {
    invoked_as.filter(|name| NEMOCLAW_BRANDS.contains(name)).unwrap_or("nemoclaw").to_owned()
}

/// Who runs the create: the front end chosen (`Some(true)`: NemoClaw), else NemoClaw when
/// the create starts `nemoclaw-start`, else OpenShell by hand.
#[must_use]
pub fn frontend(nemoclaw: Option<bool>, invocation: Option<&CreateInvocation>) -> Frontend {
    let runs_nemoclaw =
        invocation.and_then(|i| i.command.as_ref()).is_some_and(|c| c.argv.first().is_some_and(|p| p.ends_with("nemoclaw-start")));
    if nemoclaw.unwrap_or(runs_nemoclaw) {
        Frontend::NemoClaw { cli: nemoclaw_cli() }
    } else {
        Frontend::OpenShell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_branded_name_is_taken_only_when_it_is_a_plain_command() {
        assert_eq!(nemoclaw_cli_named(Some("nemohermes")), "nemohermes");
        assert_eq!(nemoclaw_cli_named(Some("nemo-deepagents")), "nemo-deepagents");
        assert_eq!(nemoclaw_cli_named(Some("x;rm -rf /")), "nemoclaw");
        assert_eq!(nemoclaw_cli_named(Some("mytool")), "nemoclaw");
        assert_eq!(nemoclaw_cli_named(Some("")), "nemoclaw");
        assert_eq!(nemoclaw_cli_named(None), "nemoclaw");
    }

    #[test]
    fn a_named_host_is_taken_as_named() {
        let named = host(Some(Os::Macos), Some(Arch::Aarch64));
        assert_eq!((named.os, named.arch, named.wsl), (Os::Macos, Arch::Aarch64, false));
        let linux = host(Some(Os::Linux), None);
        assert!(!linux.wsl, "a host named by the caller is not this machine's WSL");
        assert_eq!(linux.arch, Arch::current().unwrap_or(Arch::X86_64));
        let here = host(None, None);
        assert_eq!(here.os, Os::current().unwrap_or(Os::Linux));
        // Only Linux runs under WSL.
        assert!(!here.wsl || here.os == Os::Linux);
    }

    #[test]
    fn nemoclaw_runs_the_create_when_chosen_or_when_it_starts_nemoclaw_start() {
        let starts = CreateInvocation::parse(&["--name", "a", "--", "env", "A=1", "nemoclaw-start"]).expect("argv");
        let other = CreateInvocation::parse(&["--name", "a", "--", "sleep", "1"]).expect("argv");
        let nemoclaw = |f: &Frontend| matches!(f, Frontend::NemoClaw { .. });
        assert!(nemoclaw(&frontend(None, Some(&starts))));
        assert!(!nemoclaw(&frontend(None, Some(&other))));
        assert!(!nemoclaw(&frontend(None, None)));
        assert!(nemoclaw(&frontend(Some(true), Some(&other))));
        assert!(!nemoclaw(&frontend(Some(false), Some(&starts))));
    }
}
