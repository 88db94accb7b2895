//! Does an npm network failure belong to the plugin install that failed?
//!
//! NemoClaw tests whether a package name is a *substring* of the npm errors, so
//! `@openclaw/brave` "matches" `@openclaw%2fbrave-plugin`, and it reads packages from the
//! whole `RUN` block, so a second `npm install` in it is misattributed. Here packages are
//! compared exactly. When the failed command runs no npm client besides the plugin
//! installs, the plugin install is the only thing that can have made the request (npm
//! fetches a plugin's dependencies too), so any npm network error in the step counts.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;

fn package_pattern() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| Regex::new(r"(?i)@openclaw(?:/|%2f)[a-z0-9._-]+").expect("valid regex"))
}

fn plugin_install() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| Regex::new(r"(?i)openclaw\s+plugins\s+install[^;&|\n]*").expect("valid regex"))
}

fn npm_client() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| Regex::new(r"(?i)(?:^|[\s;&|(`/])(?:npm|npx|pnpm|yarn|corepack)(?:\s|$)").expect("valid regex"))
}

/// The `@openclaw/…` packages named in `text`, lowercased, `%2f` decoded, without the
/// `npm:` prefix or a version suffix.
#[must_use]
pub(super) fn openclaw_packages(text: &str) -> BTreeSet<String> {
    package_pattern().find_iter(text).map(|m| m.as_str().to_ascii_lowercase().replace("%2f", "/")).collect()
}

/// Whether the npm error lines of a failed step concern the plugins its command installs.
#[must_use]
pub(super) fn plugin_failure_correlates(command: &str, npm_lines: &[&str]) -> bool {
    let installs = openclaw_packages(&plugin_install().find_iter(command).map(|m| m.as_str()).collect::<Vec<_>>().join("\n"));
    let rest = plugin_install().replace_all(command, " ");
    if !npm_client().is_match(&rest) {
        return true;
    }
    let named: BTreeSet<String> = npm_lines.iter().flat_map(|line| openclaw_packages(line)).collect();
    !installs.is_disjoint(&named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_are_exact_and_decoded() {
        let found = openclaw_packages("npm:@openclaw/brave-plugin@2026.5.27 and https://r/@openclaw%2Fdiagnostics-otel");
        assert_eq!(found.into_iter().collect::<Vec<_>>(), vec!["@openclaw/brave-plugin", "@openclaw/diagnostics-otel"]);
    }

    #[test]
    fn a_command_that_only_installs_plugins_owns_every_npm_error() {
        assert!(plugin_failure_correlates(
            "/bin/sh -c openclaw plugins install npm:@openclaw/brave --pin",
            &["npm error network request to https://registry.npmjs.org/@openclaw%2fbrave-plugin failed"]
        ));
        assert!(plugin_failure_correlates(
            "/bin/bash -c openclaw plugins install npm:@openclaw/x --pin",
            &["npm error network request to https://registry.npmjs.org failed"]
        ));
    }

    #[test]
    fn with_another_npm_client_the_package_must_match_exactly() {
        let command = "set -eu; openclaw plugins install npm:@openclaw/brave --pin; npm install @openclaw/tools";
        assert!(!plugin_failure_correlates(command, &["npm error network request to https://registry.npmjs.org/@openclaw%2ftools failed"]));
        assert!(!plugin_failure_correlates(
            command,
            &["npm error network request to https://registry.npmjs.org/@openclaw%2fbrave-plugin failed"]
        ));
        assert!(plugin_failure_correlates(command, &["npm error network request to https://registry.npmjs.org/@openclaw%2fbrave failed"]));
    }
}
