# bash completion for nudge(1).  Installed as
# $(DATADIR)/bash-completion/completions/nudge; tests/integration/
# test_completion.sh checks that each sub-command offers exactly the
# options of its table in cli/cmd-*.c (as `nudge help COMMAND` lists them).

_nudge() {
	local cur prev words cword
	_init_completion 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	}

	local commands="account accounts agenda calendar config contact db deal delivery export followup help import link notify-test promise report status token"
	local global="-c --config -d --database --json -h --help -V --version"

	case $prev in
	-c|--config|-d|--database|--accounts|--deals|--promises|--followups|--tokens|--output-dir|--plot)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--format)
		COMPREPLY=($(compgen -W "text csv json" -- "$cur"))
		return ;;
	--scope)
		COMPREPLY=($(compgen -W "read write" -- "$cur"))
		return ;;
	--owner|--account|--deal|--due|--at|--in|--until|--since|--to|--value|--currency|--closes|--note|--days|--tz|--with)
		return ;;
	esac

	# The command and sub-command, skipping global options and their values.
	local i cmd="" sub="" skip=0
	for ((i = 1; i < cword; i++)); do
		if ((skip)); then skip=0; continue; fi
		case ${words[i]} in
		-c|--config|-d|--database) skip=1 ;;
		-*) ;;
		*) if [[ -z $cmd ]]; then cmd=${words[i]}
		   elif [[ -z $sub ]]; then sub=${words[i]}; fi ;;
		esac
	done

	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$commands $global" -- "$cur"))
		return
	fi

	local subs="" opts="--json --help"
	case $cmd in
	deal) subs="add won lost show list"
		case $sub in
		add) opts+=" --account --owner --value --currency --closes" ;;
		won|lost) opts+=" --at" ;;
		list) opts+=" --owner --open --won --lost" ;;
		esac ;;
	promise) subs="add kept broken cancel show list renegotiate"
		case $sub in
		add) opts+=" --owner --account --deal --due --to --strict --force" ;;
		kept) opts+=" --at" ;;
		renegotiate) opts+=" --due --note" ;;
		list) opts+=" --owner --open --overdue --kept" ;;
		esac ;;
	followup) subs="add done snooze cancel show list"
		case $sub in
		add) opts+=" --owner --account --deal --at --in --force" ;;
		done) opts+=" --note" ;;
		snooze) opts+=" --until" ;;
		list) opts+=" --owner --done --cancelled" ;;
		esac ;;
	delivery) subs="list show retry dismiss"
		case $sub in
		list) opts+=" --dead --failing" ;;
		retry) opts+=" --all-dead --note" ;;
		dismiss) opts+=" --note" ;;
		esac ;;
	calendar) subs="url revoke show"
		[[ $sub == url ]] && opts+=" --new" ;;
	link) subs="make rotate-key"
		case $sub in
		make) opts+=" --ttl" ;;
		rotate-key) opts+=" --revoke" ;;
		esac ;;
	token) subs="add list revoke"
		[[ $sub == add ]] && opts+=" --scope" ;;
	db) subs="migrate check backup"
		[[ $sub == backup && $cur != -* ]] && { COMPREPLY=($(compgen -f -- "$cur")); return; } ;;
	config) subs="check" ;;
	help) [[ -z $sub && $cur != -* ]] && { COMPREPLY=($(compgen -W "$commands" -- "$cur")); return; } ;;
	agenda) opts+=" --owner --days --tz" ;;
	contact) opts+=" --with --note --at --owner" ;;
	account) subs="pause resume"
		[[ $sub == pause ]] && opts+=" --until" ;;
	accounts) opts+=" --quiet --owner --format" ;;
	report) opts+=" --since --owner --format --plot --effect --horizon" ;;
	import) opts+=" --accounts --deals --promises --followups --tokens --force" ;;
	export) opts+=" --format --accounts --deals --promises --followups --tokens --output-dir" ;;
	esac

	if [[ -n $subs && -z $sub ]]; then
		COMPREPLY=($(compgen -W "$subs" -- "$cur"))
	else
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	fi
}
complete -F _nudge nudge
