# fish completion for fdshare(1).
# Install as fdshare.fish in a directory of $fish_complete_path, for example
# /usr/share/fish/vendor_completions.d/.

# Read candidates ("value" or "value<TAB>description") on stdin and print
# them as completions of the last item of a comma-separated list: each one
# prefixed with the items typed before it, leaving out items already there.
function __fdshare_complete_list
    set -l tok (commandline -ct)
    # An option glued to its value: "--output=FD,T", "-oFD,T", "-JoFD,T".
    set tok (string replace -r -- '^--[a-z-]+=|^-[JlrnhV]*[puco]' '' $tok)
    set -l head (string match -r -- '^.*[,+]' $tok)
    set -l seen (string split , -- (string replace -a + '' -- "$head"))
    while read -l line
        set -l value (string split -m 1 \t -- $line)[1]
        contains -- $value $seen
        and continue
        printf '%s%s\n' "$head" $line
    end
end

function __fdshare_columns
    printf '%s\n' \
        FD\t'file descriptor number' \
        TYPE\t'kind of file' \
        MODE\t'access mode: r, w, rw or path' \
        CLOEXEC\t'close-on-exec flag of this fd' \
        POS\t'file offset' \
        FLAGS\t'file status flags of the description' \
        OFD\t'open file description id' \
        SHARED\t'other fds sharing the description' \
        ENDPOINT\t'the other end: its holders, or what the fd watches' \
        TARGET\t'what the fd refers to' \
        PID\t'process id of the holder' \
        COMMAND\t'command name of the holder' \
        MNTID\t'mount id' \
        INO\t'inode number' \
        LOCKS\t'locks of the description or owned through the fd' \
        DELETED\t'file deleted while open' \
        ERROR\t'error reading this fd' \
        VERIFIED\t'the sharing was proven by kcmp' \
        PROCS\t'how many processes hold the description' \
        HOLDERS\t'every holder of the description'
end

# Types of --type: fd types, then socket protocols.
function __fdshare_types
    printf '%s\n' reg dir chr blk fifo pipe socket eventfd epoll signalfd timerfd \
        inotify fanotify pidfd memfd anon nsfs symlink mqueue bpf-map bpf-prog bpf-link io_uring unknown \
        unix tcp tcp6 udp udp6 raw raw6 netlink packet ping ping6 udplite udplite6 ptmx pts pty tun
end

function __fdshare_events
    printf '%s\n' \
        fork\t'a new process' \
        exec\t'a process ran a new program' \
        exit\t'a process ended' \
        reparent\t'an orphan got a new parent' \
        zombie\t'an exited process not reaped yet' \
        reaped\t'a zombie was reaped' \
        lost\t'events were lost'
end

# Command names (comm) of running processes.
# (fish globs have no character classes: keep the numeric names.)
function __fdshare_comms
    cat (string match -r -- '^/proc/[0-9]+$' /proc/*)/comm 2>/dev/null | sort -u
end

complete -c fdshare -s p -l pid -x -a '(__fish_complete_pids | __fdshare_complete_list)' -d 'Detailed listing of these processes'
complete -c fdshare -s u -l user -x -a '(__fish_complete_users | __fdshare_complete_list)' -d 'Processes whose real uid is USER'
complete -c fdshare -s c -l command -x -a '(__fdshare_comms)' -d 'Processes whose command name begins with PREFIX'
complete -c fdshare -s J -l json -d 'JSON output, schema 1'
complete -c fdshare -s o -l output -x -a '(__fdshare_columns | __fdshare_complete_list)' -d 'Columns of the fd table (+LIST appends)'
complete -c fdshare -s l -l list-columns -d 'Print the available columns and exit'
complete -c fdshare -s r -l raw -d 'Raw output, one space between columns'
complete -c fdshare -s n -l noheadings -d 'No header line'
complete -c fdshare -l findings -d 'Only the findings'
complete -c fdshare -l all-holders -d 'With -p/-u/-c, also processes sharing only /dev/null or a terminal'
complete -c fdshare -l color -d 'Colour: --color=auto, always or never'
# --color's value is optional, so only "--color=WHEN" carries one.
complete -c fdshare -f -n 'string match -q -- "--color=*" (commandline -ct)' -a '--color=auto --color=always --color=never'
complete -c fdshare -l no-kcmp -d 'Never call kcmp(2), mark sharing unverified'
complete -c fdshare -l type -x -a '(__fdshare_types | __fdshare_complete_list)' -d 'Only fds of these types'
complete -c fdshare -l tree -d 'Process tree, zombies by parent and why'
complete -c fdshare -l ascii -d 'Draw the tree in ASCII'
complete -c fdshare -l kernel-threads -d 'Show kernel threads in the tree'
complete -c fdshare -l watch -d 'Print process events as they happen'
complete -c fdshare -l events -x -a '(__fdshare_events | __fdshare_complete_list)' -d 'Only these event kinds'
complete -c fdshare -l count -x -d 'End --watch after N events; N scans with --interval'
complete -c fdshare -l interval -x -d 'Scan twice, SECONDS apart: fd counts over time'
complete -c fdshare -l top -x -d 'With --prometheus: fd counts of the N processes holding the most'
complete -c fdshare -l path-timeout -x -d 'Give up resolving a PATH after SECONDS'
complete -c fdshare -l duration -x -d 'End --watch after SECONDS'
complete -c fdshare -l check -d 'One status line, monitoring plugin exit codes'
complete -c fdshare -l prometheus -d 'Metrics in the Prometheus text format'
complete -c fdshare -l format -x -a 'text json prometheus' -d 'Output format'
complete -c fdshare -l warn -x -a '(printf "%s\n" fd-limit= zombies= deleted-size= | __fdshare_complete_list)' -d 'Warning thresholds NAME=VALUE'
complete -c fdshare -l crit -x -a '(printf "%s\n" fd-limit= zombies= deleted-size= | __fdshare_complete_list)' -d 'Critical thresholds NAME=VALUE'
complete -c fdshare -l ignore -x -a '(printf "%s\n" zombie reparented exec-leak listener-leak pipe-eof-blocked shared-offset-write write-clobber deleted-open fd-limit nonblock-shared lock-deadlock lock-wait lock-inherited deleted-mapped fd-growth | __fdshare_complete_list)' -d 'Leave these finding codes out'
complete -c fdshare -l min-severity -x -a 'info warning critical' -d 'Report findings of this severity or above'
complete -c fdshare -s h -l help -d 'Print usage and exit'
complete -c fdshare -s V -l version -d 'Print the version and exit'
