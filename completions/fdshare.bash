# bash completion for fdshare(1)                           -*- shell-script -*-
#
# Install as /usr/share/bash-completion/completions/fdshare, or source it.
# It stands alone; when the bash-completion package is loaded, its _filedir
# completes the PATH arguments.

# Event kinds of --watch (for --events).
_fdshare_events=(fork exec exit reparent zombie reaped lost)

# Columns of the fd table: the default set first, then the optional ones.
_fdshare_columns=(FD TYPE MODE CLOEXEC POS FLAGS OFD SHARED ENDPOINT TARGET PID COMMAND MNTID INO LOCKS DELETED ERROR
	VERIFIED PROCS HOLDERS)

# Finding codes (--ignore) and threshold names (--warn, --crit).
_fdshare_codes=(zombie reparented exec-leak listener-leak pipe-eof-blocked shared-offset-write
	write-clobber deleted-open fd-limit nonblock-shared lock-deadlock lock-wait lock-inherited
	deleted-mapped fd-growth)
_fdshare_thresholds=(fd-limit= zombies= deleted-size=)

# Types of --type: the fd types, then socket protocols.
_fdshare_types=(reg dir chr blk fifo pipe socket eventfd epoll signalfd timerfd inotify
	fanotify pidfd memfd anon nsfs symlink mqueue bpf-map bpf-prog bpf-link io_uring unknown
	unix tcp tcp6 udp udp6 raw raw6 netlink packet ping ping6 udplite udplite6 ptmx pts pty tun)

# _fdshare_list HEAD WORD CANDIDATE...
# Add to COMPREPLY each CANDIDATE that begins with WORD, the item being typed
# after the last comma of a list, prefixed with HEAD, the text before WORD.
# Items already present in HEAD are not offered again.
_fdshare_list()
{
	local head=$1 word=$2 c seen
	shift 2
	seen=,${head//[+=]/,},
	for c in "$@"; do
		[[ $c == "$word"* && $seen != *",$c,"* ]] && COMPREPLY+=("$head$c")
	done
}

# The command names of running processes, one per line, without repeats.
_fdshare_comms()
{
	local f c
	local -A seen=()
	for f in /proc/[0-9]*/comm; do
		{ IFS= read -r c <"$f"; } 2>/dev/null || continue
		[[ -n $c && -z ${seen[$c]+x} ]] || continue
		seen[$c]=1
		printf '%s\n' "$c"
	done
}

# Set cur, prev and prev2 (the word before prev) as if ':' were not a word
# break.  Readline splits
# "kworker/0:1" into "kworker/0" ":" "1"; pieces with no blank between them
# in the line are joined again.  Leaves cur and prev alone when the line
# does not match COMP_WORDS.
_fdshare_rejoin()
{
	local line=${COMP_LINE:0:COMP_POINT} blanks w i
	local -a words=()

	for ((i = 0; i <= COMP_CWORD; i++)); do
		blanks=${line%%[![:space:]]*}
		line=${line:${#blanks}}
		if ((i == COMP_CWORD)); then
			w=$line                 # the current word, up to the cursor
		else
			w=${COMP_WORDS[i]}
			[[ $line == "$w"* ]] || return 0
		fi
		if ((i > 0)) && [[ -z $blanks && ($w == :* || ${words[${#words[@]}-1]} == *:) ]]; then
			words[${#words[@]}-1]+=$w
		else
			words+=("$w")
		fi
		line=${line:${#w}}
	done
	((${#words[@]} >= 2)) || return 0
	cur=${words[${#words[@]}-1]}
	prev=${words[${#words[@]}-2]}
	prev2=${words[${#words[@]}-3]-}
}

# PATH arguments: file names.
_fdshare_files()
{
	if declare -F _filedir >/dev/null; then
		_filedir
	else
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	fi
}

_fdshare()
{
	local cur prev prev2="" opt="" head="" word c i
	local -a items

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	((COMP_CWORD >= 2)) && prev2=${COMP_WORDS[COMP_CWORD-2]}
	if [[ $COMP_WORDBREAKS == *:* ]]; then
		_fdshare_rejoin
	fi

	# Where is the option whose argument is being typed?
	if [[ $cur == = && $prev == --* ]]; then
		# "--output=" split at '=' (a word break by default): readline
		# replaces only the text after '=', which is empty so far.
		opt=$prev cur=""
	elif [[ $prev == = && $prev2 == --* ]]; then
		opt=$prev2                               # "--output" "=" "FD,T"
	elif [[ $cur == --*=* ]]; then
		opt=${cur%%=*} head=${cur%%=*}= cur=${cur#*=}   # '=' no word break
	elif [[ $cur == -[pucoJlrnhV]* ]]; then
		# Short options bundled in one word: "-oFD,T", "-p12", "-JoFD".
		for ((i = 1; i < ${#cur}; i++)); do
			case ${cur:i:1} in
			p | u | c | o)
				if ((i + 1 < ${#cur})); then
					opt=-${cur:i:1} head=${cur:0:i+1} cur=${cur:i+1}
				fi
				break ;;
			J | l | r | n | h | V) ;;
			*) break ;;
			esac
		done
	fi
	if [[ -z $opt ]]; then
		case $prev in
		--pid | --user | --command | --output | --events | --count | --duration | --type | \
		--format | --warn | --crit | --ignore | --min-severity | --interval | --top | \
		--path-timeout)
			opt=$prev ;;
		*)
			# "-p", or a bundle that ends in one: "-Jo".
			if [[ $prev =~ ^-[JlrnhV]*[puco]$ ]]; then
				opt=-${prev: -1}
			fi ;;
		esac
	fi

	# After "--" every word is a PATH.
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == -- ]]; then
			opt=--
			break
		fi
	done

	case $opt in
	-o | --output)
		# A comma-separated list; a leading '+' appends to the defaults.
		# Names are completed in upper case, however they were typed.
		word=${cur##*[,+]}
		_fdshare_list "$head${cur%"$word"}" "${word^^}" "${_fdshare_columns[@]}"
		compopt -o nospace 2>/dev/null
		;;
	--type)
		word=${cur##*,}
		_fdshare_list "$head${cur%"$word"}" "$word" "${_fdshare_types[@]}"
		compopt -o nospace 2>/dev/null
		;;
	--events)
		word=${cur##*,}
		_fdshare_list "$head${cur%"$word"}" "$word" "${_fdshare_events[@]}"
		compopt -o nospace 2>/dev/null
		;;
	--count | --duration | --interval | --top | --path-timeout)
		# A number: nothing to offer.
		;;
	-p | --pid)
		word=${cur##*,}
		items=()
		for c in /proc/[0-9]*; do
			items+=("${c#/proc/}")
		done
		_fdshare_list "$head${cur%"$word"}" "$word" "${items[@]}"
		compopt -o nospace 2>/dev/null
		;;
	-u | --user)
		word=${cur##*,}
		mapfile -t items < <(compgen -u -- "$word")
		_fdshare_list "$head${cur%"$word"}" "$word" "${items[@]}"
		compopt -o nospace 2>/dev/null
		;;
	--ignore)
		word=${cur##*,}
		_fdshare_list "$head${cur%"$word"}" "$word" "${_fdshare_codes[@]}"
		compopt -o nospace 2>/dev/null
		;;
	--warn | --crit)
		word=${cur##*,}
		_fdshare_list "$head${cur%"$word"}" "$word" "${_fdshare_thresholds[@]}"
		compopt -o nospace 2>/dev/null
		;;
	--format)
		mapfile -t COMPREPLY < <(compgen -P "$head" -W 'text json prometheus' -- "$cur")
		;;
	--min-severity)
		mapfile -t COMPREPLY < <(compgen -P "$head" -W 'info warning critical' -- "$cur")
		;;
	--color)
		# Only as "--color=WHEN": the value is optional, never a word of its own.
		mapfile -t COMPREPLY < <(compgen -P "$head" -W 'auto always never' -- "$cur")
		;;
	-c | --command)
		# Command names may hold blanks and shell metacharacters: quote
		# each reply so that it is inserted as one word.
		local q
		while IFS= read -r c; do
			[[ $c == "$cur"* ]] || continue
			printf -v q '%q' "$c"
			COMPREPLY+=("$head$q")
		done < <(_fdshare_comms)
		;;
	*)
		if [[ $cur == -* && $opt != -- ]]; then
			mapfile -t COMPREPLY < <(compgen -W '-p --pid -u --user
				-c --command -J --json -o --output -l --list-columns
				-r --raw -n --noheadings --findings --all-holders --color
				--no-kcmp --type --tree --ascii
				--kernel-threads --watch --events --count --duration
				--check --prometheus --format --warn --crit --ignore
				--min-severity --interval --top --path-timeout -h --help
				-V --version' -- "$cur")
		else
			_fdshare_files
		fi
		;;
	esac

	# With ':' a word break (the default), readline replaces only the
	# text after the last ':' ("kworker/0:1"): drop what precedes it.
	word=$head$cur
	if [[ $word == *:* && $COMP_WORDBREAKS == *:* ]]; then
		word=${word%"${word##*:}"}
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${COMPREPLY[i]#"$word"}
		done
	fi
	return 0
}

complete -F _fdshare fdshare
