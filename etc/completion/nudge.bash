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
	-c|--config|-d|--database|--output-dir|--plot)
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

	# Each "command sub-command" (in the order they are offered) or command
	# without sub-commands, and its options.
	local table=(
		"deal add|--account --owner --value --currency --closes"
		"deal won|--at"
		"deal lost|--at"
		"deal show|"
		"deal list|--owner --open --won --lost"
		"promise add|--owner --account --deal --due --to --strict --force"
		"promise kept|--at"
		"promise broken|"
		"promise cancel|"
		"promise show|"
		"promise list|--owner --open --overdue --kept"
		"promise renegotiate|--due --note"
		"followup add|--owner --account --deal --at --in --force"
		"followup done|--note"
		"followup snooze|--until"
		"followup cancel|"
		"followup show|"
		"followup list|--owner --done --cancelled"
		"delivery list|--dead --failing"
		"delivery show|"
		"delivery retry|--all-dead --note"
		"delivery dismiss|--note"
		"calendar url|--new"
		"calendar revoke|"
		"calendar show|"
		"link make|--ttl"
		"link rotate-key|--revoke"
		"token add|--scope"
		"token list|"
		"token revoke|"
		"db migrate|"
		"db check|"
		"db backup|"
		"config check|"
		"account pause|--until"
		"account resume|"
		"agenda|--owner --days --tz"
		"contact|--with --note --at --owner"
		"accounts|--quiet --owner --format"
		"report|--since --owner --format --plot --effect --horizon"
		"import|--accounts --deals --promises --followups --tokens --force"
		"export|--format --accounts --deals --promises --followups --tokens --output-dir"
	)
	local row key subs="" opts="--json --help"
	for row in "${table[@]}"; do
		key=${row%%|*}
		[[ $key == "$cmd "* ]] && subs+=" ${key#* }"
		[[ $key == "$cmd" || $key == "$cmd $sub" ]] && opts+=" ${row#*|}"
	done
	case $cmd in
	# import reads each kind from a FILE; export's are flags.
	import) case $prev in --accounts|--deals|--promises|--followups|--tokens)
		COMPREPLY=($(compgen -f -- "$cur")); return ;; esac ;;
	db) [[ $sub == backup && $cur != -* ]] && { COMPREPLY=($(compgen -f -- "$cur")); return; } ;;
	help) [[ -z $sub && $cur != -* ]] && { COMPREPLY=($(compgen -W "$commands" -- "$cur")); return; } ;;
	esac

	if [[ -n $subs && -z $sub ]]; then
		COMPREPLY=($(compgen -W "$subs" -- "$cur"))
	else
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	fi
}
complete -F _nudge nudge
