//! What each subcommand's `--help` ends with: examples, then the exit statuses.

/// The exit statuses of every subcommand, for the top-level `--help` and the man page.
pub(crate) const EXIT_STATUSES: &str = "Examples:
  openshell sandbox create --from ./Dockerfile 2>&1 | tee create.log
  sandbox-triage classify create.log
  sandbox-triage plan create.log
  sandbox-triage run --recover -- \\
      openshell sandbox create --from ./Dockerfile

Exit status:
  classify, plan  0 a kind (or none) was determined, 1 the kind is unknown,
                  2 the tool failed
  run             the command's own status (128+N: killed by signal N;
                  127 not found; 126 not executable); with --recover, once
                  a recovery ran, its status
  recover         0 recovered (a dry run: the plan can be carried out),
                  1 not recognised, 2 the tool failed, 3 a probe or
                  pre-condition did not hold, 4 a step failed, 5 stopped
                  for a person, 130 interrupted
  doctor          0 every check passes, 1 a check fails, 2 the tool failed";

pub(crate) const CLASSIFY: &str = "Examples:
  openshell sandbox create --from ./Dockerfile 2>&1 | tee create.log
  sandbox-triage classify create.log
  sandbox-triage classify --format json create.log | jq .kind
  nemoclaw onboard 2>&1 | sandbox-triage classify -

Exit status:
  0  a failure kind (or none: the create succeeded) was determined
  1  the kind is unknown (the evidence found is still shown)
  2  the tool itself failed (usage, an unreadable file)";

pub(crate) const PLAN: &str = "Examples:
  sandbox-triage plan create.log
  sandbox-triage plan --engine podman --format sh create.log > recover.sh
  sandbox-triage plan --format json create.log -- \\
      --name dev --from ./Dockerfile

Exit status:
  0  a failure kind (or none) was determined and its plan printed
  1  the kind is unknown: the plan says how to find out more
  2  the tool itself failed (usage, an unreadable file)";

pub(crate) const RUN: &str = "Examples:
  sandbox-triage run -- openshell sandbox create --from ./Dockerfile
  sandbox-triage run --recover -- \\
      openshell sandbox create --from ./Dockerfile
  sandbox-triage run --quiet --events events.ndjson -- nemoclaw onboard

Exit status:
  0  the command succeeded (with --recover: or the recovery created the
     sandbox)
  N  otherwise the command's own status: 128+N when signal N killed it,
     127 not found, 126 not executable; with --recover, once a recovery
     ran, its status (see `recover --help`). A command stopped by Ctrl-C,
     SIGTERM or a hang-up is never followed by a recovery.";

pub(crate) const RECOVER: &str = "Examples:
  sandbox-triage recover create.log
  sandbox-triage recover --apply create.log -- \\
      --name dev --from ./Dockerfile
  sandbox-triage recover --apply --yes --journal recovery.ndjson create.log
  sandbox-triage recover --apply --allow-destructive \\
      --stage gateway-start \\
      --set GATEWAY_STATE_DIR=$HOME/.local/state/openshell/gateway gw.log

Values: the create's own (given after --) are used as they were; a value
nobody gave comes from --set NAME=VALUE or SANDBOX_TRIAGE_<NAME>, and is
checked as the argument it stands for. Whatever would stop the run part-way
stops it before its first change; a stop or a failure puts back what the
run changed.

Exit status:
    0  recovered (with --apply); a dry run: the plan can be carried out
    1  the failure is not recognised: there is no plan to carry out
    2  the tool itself failed (usage, unreadable input, unusable journal)
    3  a probe or a pre-condition did not hold: the machine's state and the
       next command are said
    4  a step failed (a process of it, or the check after it)
    5  stopped for a person: a confirmation, a value, a manual or
       destructive step; found before any change when it can be
  130  interrupted (Ctrl-C, at a question too): the current step's
       processes were stopped and what was changed put back";

pub(crate) const DOCTOR: &str = "Examples:
  sandbox-triage doctor
  sandbox-triage doctor --engine podman -g nemoclaw
  sandbox-triage doctor --format json | jq '.checks[] | select(.ok | not)'

Exit status:
  0  every check passes
  1  a check fails (each says its fix)
  2  the tool itself failed";

pub(crate) const RULES: &str = "Examples:
  sandbox-triage rules
  sandbox-triage rules --stage gateway-start --format json
  sandbox-triage rules --rules ./my-rules
  sandbox-triage rules test ./my-rules

Exit status:
  0  every rule passes its own cases
  2  a rule fails one of its cases (each is named), or a rule file
     does not parse";

pub(crate) const RULES_TEST: &str = "Examples:
  sandbox-triage rules test ./my-rules
  sandbox-triage rules test ./my-rules --corpus ./my-logs --format json
  sandbox-triage rules test ./my-rules --corpus ./my-logs --accept

A corpus log's answer may change only to the kind its header expects
(`# expected: KIND`); the built-in corpus's logs are all answered as
their headers expect already. --accept records the changed answers of
the --corpus logs in their headers.

Exit status:
  0  every case passes, no rule is shadowed, and every changed answer
     is the one its log's header expects
  1  something else changed or failed (each is named)
  2  a rule file or corpus directory cannot be read, or does not parse";

pub(crate) const RULES_NEW: &str = "Examples:
  sandbox-triage rules new --from create.log --kind gateway_unreachable -o ./my-rules
  sandbox-triage rules new --from create.log --kind image_transfer_reset --line 42 -o ./my-rules

The draft is refused, with the reason, when it does not decide its own log
or would decide a corpus log of another answer. Then test it:
  sandbox-triage rules test ./my-rules

Exit status:
  0  the rule file was written (its path is printed)
  1  no rule could be drafted (why is printed)
  2  the log or the directory cannot be read or written";

pub(crate) const REDACT: &str = "Examples:
  sandbox-triage redact create.log > create-shareable.log
  nemoclaw onboard 2>&1 | sandbox-triage redact | tee onboard.log

Exit status:
  0  the input was printed, masked
  2  the tool itself failed (an unreadable file)";

pub(crate) const RECREATE: &str = "Examples:
  sandbox-triage recreate --image openshell/sandbox-from:1712345678 -- \\
      openshell sandbox create --name dev --from ./Dockerfile
  sandbox-triage recreate --image openshell/sandbox-from:1712345678 \\
      --shell fish -- --name dev --from ./Dockerfile

Exit status:
  0  the command was printed
  2  the tool itself failed (usage, an argv that is not a create)";

pub(crate) const SCHEMA: &str = "Examples:
  sandbox-triage schema > plan.schema.json

Exit status:
  0  the schema was printed";

pub(crate) const COMPLETIONS: &str = "Examples:
  mkdir -p ~/.local/share/bash-completion/completions
  sandbox-triage completions bash \\
      > ~/.local/share/bash-completion/completions/sandbox-triage
  mkdir -p ~/.zfunc
  sandbox-triage completions zsh > ~/.zfunc/_sandbox-triage
  # zsh finds it with fpath=(~/.zfunc $fpath) in ~/.zshrc, before compinit
  mkdir -p ~/.config/fish/completions
  sandbox-triage completions fish \\
      > ~/.config/fish/completions/sandbox-triage.fish

Exit status:
  0  the script was printed";

pub(crate) const MAN: &str = "Examples:
  sandbox-triage man | man -l -
  sandbox-triage man run | man -l -
  sandbox-triage man --dir ~/.cargo/share/man/man1

Exit status:
  0  the page was printed, or every page written
  2  the tool itself failed (a directory it cannot write)";
