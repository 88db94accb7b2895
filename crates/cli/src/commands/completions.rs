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
///
/// And after `--` the words are a command's own (`run`'s, the create's): they complete
/// as that command does (bash-completion's `_command_offset`, else command names then
/// file names), never with our options.
fn repaired(shell: clap_complete::Shell, script: &str) -> String {
    match shell {
        clap_complete::Shell::Bash => script.replace("sandbox__subcmd__triage", "sandbox__triage").replacen(
            "    opts=\"\"\n",
            &format!("    opts=\"\"\n{AFTER_DASHES}"),
            1,
        ),
        _ => script.to_owned(),
    }
}

/// What bash does with the words after `--`.
const AFTER_DASHES: &str = r#"    local __dashes
    for ((__dashes = 1; __dashes < COMP_CWORD; __dashes++)); do
        if [[ "${COMP_WORDS[__dashes]}" == "--" ]]; then
            if declare -F _command_offset >/dev/null; then
                _command_offset $((__dashes + 1))
            elif [[ $((__dashes + 1)) -eq ${COMP_CWORD} ]]; then
                COMPREPLY=( $(compgen -c -- "${cur}") )
            else
                COMPREPLY=( $(compgen -f -- "${cur}") )
            fi
            return 0
        fi
    done
"#;

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
        assert_eq!(script.matches("_command_offset $((__dashes + 1))").count(), 1, "the words after `--`");
    }
}
