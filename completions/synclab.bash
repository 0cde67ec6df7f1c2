# bash completion for synclab.  The candidates come from the program's own
# command table (synclab __complete), so new commands and options complete
# without changing this file.  Nothing offered: the shell completes file
# names (-o default).
_synclab()
{
	local IFS=$'\n'
	COMPREPLY=($(synclab __complete "$COMP_CWORD" "${COMP_WORDS[@]:0:COMP_CWORD+1}" 2>/dev/null))
}
complete -o default -F _synclab synclab
