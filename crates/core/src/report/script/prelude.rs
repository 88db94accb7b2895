//! The functions every script starts with.

/// Arguments, the terminal, stops with what is put back, and the checks' helpers.
pub(super) const PRELUDE: &str = r#"set -u
# The script's own output, for the last command of a pipeline (fd 1 carries statuses).
exec 3>&1

# --yes answers yes to every confirmation (not to a step only a person may allow);
# --allow-destructive lets destructive steps run.
assume_yes=
allow_destructive=
for arg in "$@"; do
  case "$arg" in
    -y | --yes) assume_yes=1 ;;
    --allow-destructive) allow_destructive=1 ;;
    *) echo "usage: $0 [--yes] [--allow-destructive]" >&2; exit 2 ;;
  esac
done

# A check's standard error, kept to read why it failed.
errs=$(mktemp) || exit 2
# What puts back the changes made so far, newest first.
undo_list=

# Whether a person can be asked.
has_terminal() {
  ( : </dev/tty ) 2>/dev/null
}

# Asks on the terminal; only yes goes on. No terminal is a no.
ask() {
  printf '%s [y/N] ' "$1" >&2
  answer=
  read -r answer </dev/tty 2>/dev/null || answer=
  case "$answer" in
    y | Y | yes | YES) return 0 ;;
    *) return 1 ;;
  esac
}

confirm() {
  [ -n "$assume_yes" ] && return 0
  ask "$1"
}

# Puts back what this run changed, newest first; a failure leaves the rest as it is.
put_back() {
  [ -n "$undo_list" ] || return 0
  echo 'putting back what this run changed' >&2
  for undo in $undo_list; do
    if ! "$undo"; then
      echo "could not put back ($undo): the rest is left as this run left it" >&2
      break
    fi
  done
  undo_list=
}

# Stops the script: a message on stderr, what was changed put back, an exit status.
stop() {
  trap - INT TERM HUP
  echo "stopped: $2" >&2
  put_back
  rm -f "$errs"
  exit "$1"
}
trap 'stop 130 "interrupted"' INT TERM HUP

# Runs a check: its output in $out, its standard error in "$errs", its status in $check_status.
run_check() {
  out=$("$@" 2>"$errs")
  check_status=$?
  return 0
}

# Colour codes are not part of a line.
plain() {
  sed "s/$(printf '\033')\[[0-9;]*[A-Za-z]//g"
}

# The check exited 0 and printed a line exactly "$1".
holds_line() {
  [ "$check_status" -eq 0 ] && printf '%s\n' "$out" | plain | grep -Fqx -- "$1"
}

# The check exited 0 and printed a row whose first column is "$1" and last is "$2".
holds_row() {
  [ "$check_status" -eq 0 ] && printf '%s\n' "$out" | plain |
    awk -v first="$1" -v last="$2" '$1 == first && $NF == last { found = 1 } END { exit !found }'
}

# The check exited 0 and no row's first column is "$1".
holds_no_row() {
  [ "$check_status" -eq 0 ] && printf '%s\n' "$out" | plain |
    awk -v first="$1" '$1 == first { found = 1 } END { exit found }'
}

# The check's output or error says "$1" (any case).
said() {
  { printf '%s\n' "$out"; cat "$errs"; } | grep -Fqi -- "$1"
}

# Says what a failed check showed: the machine's state, the next command, advice.
found() {
  echo "the machine: $1" >&2
  [ -z "$2" ] || echo "next: $2" >&2
  [ -z "$3" ] || echo "$3" >&2
}

# The first line a failed check printed.
first_words() {
  { cat "$errs"; printf '%s\n' "$out"; } | sed -n '/./{p;q;}' | cut -c1-200
}
"#;
