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
        TARGET\t'what the fd refers to' \
        PID\t'process id of the holder' \
        COMMAND\t'command name of the holder' \
        MNTID\t'mount id' \
        INO\t'inode number' \
        DELETED\t'file deleted while open' \
        ERROR\t'error reading this fd'
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
complete -c fdshare -l no-kcmp -d 'Never call kcmp(2), mark sharing unverified'
complete -c fdshare -s h -l help -d 'Print usage and exit'
complete -c fdshare -s V -l version -d 'Print the version and exit'
