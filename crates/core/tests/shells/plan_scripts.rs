//! Every corpus file's plan as a script parses in real shells, and every command in it
//! passes its words through them unchanged.

use std::collections::BTreeSet;
use std::process::Command;

use sandbox_triage_core::{plan_script, render, Shell, Word};

use crate::corpus_plans::{corpus, literal, plans};

fn shell_ok(shell: &str, script: &str) -> Result<(), String> {
    let out = Command::new(shell).arg("-n").arg("-c").arg(script).output().map_err(|e| format!("{shell}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn every_script_parses_in_bash_and_dash() {
    for case in corpus() {
        for (label, plan) in plans(case) {
            let script = plan_script(&case.diagnosis, &plan);
            for shell in ["bash", "dash"] {
                if let Err(e) = shell_ok(shell, &script) {
                    panic!("{label}: {shell} -n failed: {e}\n{script}");
                }
            }
        }
    }
}

#[test]
fn every_command_round_trips_through_real_shells() {
    let mut seen = BTreeSet::new();
    for case in corpus() {
        for (label, plan) in plans(case) {
            for step in plan.all_steps() {
                for command in step.commands() {
                    if !seen.insert(literal(command)) {
                        continue;
                    }
                    let mut probe = vec![Word::lit("/usr/bin/printf"), Word::lit("%s\\0")];
                    probe.extend(command.iter().cloned());
                    let script = render(&probe, Shell::Posix).expect("renders");
                    // Each placeholder reads its variable: set it to its own display form.
                    let mut vars: Vec<(String, String)> =
                        plan.placeholders.iter().map(|p| (p.variable(), format!("<{}>", p.name))).collect();
                    // Session variables show as `$NAME`; give them that value to compare.
                    vars.extend(["HOME", "USER"].map(|v| (v.to_owned(), format!("${v}"))));
                    for shell in ["bash", "dash"] {
                        let out =
                            Command::new(shell).arg("-c").arg(&script).envs(vars.iter().map(|(k, v)| (k, v))).output().expect("shell");
                        assert!(out.status.success(), "{label}: {shell} failed on {script}: {}", String::from_utf8_lossy(&out.stderr));
                        let mut words: Vec<String> = String::from_utf8(out.stdout).expect("utf-8").split('\0').map(str::to_owned).collect();
                        words.pop();
                        assert_eq!(words, literal(command), "{label}: {shell} ran {script}");
                    }
                }
            }
        }
    }
    assert!(seen.len() > 30, "only {} distinct commands", seen.len());
}
