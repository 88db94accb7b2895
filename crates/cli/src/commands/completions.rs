//! `completions SHELL`: the shell's completion script, generated from the command line's
//! own definition.

use crate::exit::Exit;
use crate::output;

/// The binary's name, as shells see it.
const BIN: &str = "sandbox-triage";

pub(crate) fn run(shell: clap_complete::Shell) -> anyhow::Result<Exit> {
    let mut command = <crate::args::Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, BIN, &mut out);
    let script = String::from_utf8_lossy(&out);
    output::print(&repaired(shell, &script))?;
    Ok(Exit::Determined)
}

/// `clap_complete`'s bash script names the subcommands' cases after the binary with its
/// hyphen made `__subcmd__` (`sandbox__subcmd__triage__subcmd__plan`), while it builds
/// the name it looks up with `__` (`sandbox__triage__subcmd__plan`): no option would
/// ever complete after a subcommand. The cases are renamed to what is looked up.
fn repaired(shell: clap_complete::Shell, script: &str) -> String {
    match shell {
        clap_complete::Shell::Bash => script.replace("sandbox__subcmd__triage", "sandbox__triage"),
        _ => script.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bash_case_is_one_the_script_looks_up() {
        let mut command = <crate::args::Cli as clap::CommandFactory>::command();
        let mut out = Vec::new();
        clap_complete::generate(clap_complete::Shell::Bash, &mut command, BIN, &mut out);
        let script = repaired(clap_complete::Shell::Bash, &String::from_utf8_lossy(&out));
        assert!(script.contains("        sandbox__triage__subcmd__plan)\n"), "the plan case");
        assert!(!script.contains("__subcmd__triage"));
    }
}
