# Completion candidates as zsh offers them: a real interactive zsh on a pseudo-terminal
# (zpty) types the line and a Tab, and `compadd` prints what the completion function
# adds. After Valodim/zsh-capture-completion, reduced to the candidates alone.
# Usage: COMPLETIONS_DIR=DIR zsh zsh_capture.zsh "LINE" (DIR holds _sandbox-triage).
zmodload zsh/zpty || { echo 'error: missing module zsh/zpty' >&2; exit 1 }
zpty z zsh -f -i
local line
setopt rcquotes
() {
    zpty -w z source $1
    repeat 4; do
        zpty -r z line
        [[ $line == ok* ]] && return
    done
    echo 'error initializing.' >&2
    exit 2
} =( <<< '
PROMPT=
fpath=($COMPLETIONS_DIR $fpath)
autoload -U compinit
compinit -u -d $COMPLETIONS_DIR/.zcompdump
bindkey ''^M'' undefined
bindkey ''^J'' undefined
bindkey ''^I'' complete-word
null-line () { echo -E - $''\0'' }
compprefuncs=( null-line )
comppostfuncs=( null-line exit )
zstyle '':completion:*'' list-grouped false
zstyle '':completion:*'' insert-tab false
zstyle '':completion:*'' list-separator ''''
zmodload zsh/zutil
compadd () {
    if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
        builtin compadd "$@"
        return $?
    fi
    typeset -a __hits
    builtin compadd -A __hits "$@"
    [[ -n $__hits ]] || return
    for i in {1..$#__hits}; do
        echo -E - $__hits[$i]
    done
}
echo ok')
zpty -w z "$*"$'\t'
integer tog=0
while zpty -r z; do :; done | while IFS= read -r line; do
    if [[ $line == *$'\0\r' ]]; then
        (( tog++ )) && return 0 || continue
    fi
    (( tog )) && echo -E - $line
done
return 2
