# fish completion for synclab.  The candidates come from the program's own
# command table (synclab __complete); nothing offered means a file name.
function __synclab_complete
	set -l words (commandline -opc) (commandline -ct)
	synclab __complete (math (count $words) - 1) $words 2>/dev/null
end
function __synclab_none
	test (count (__synclab_complete)) -eq 0
end
complete -c synclab -f -n 'not __synclab_none' -a '(__synclab_complete)'
complete -c synclab -F -n __synclab_none
