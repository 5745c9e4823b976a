#!/usr/bin/env bash
# 70-real-nginx: fdshare on a real nginx (Debian's nginx-light): a master
# with two workers on 127.0.0.1 (a free port chosen now), with its own
# prefix, configuration, pid file and logs in this case's temp dir, run in
# this case's pid namespace (never the system's service or default site).
# fdshare must be silent (no finding at all) through start, reload (HUP)
# and binary upgrade (USR2, then WINCH to the old master); and flag the
# broken twin: an upgrade whose new binary never serves (it runs sleep):
# the listeners it inherited are a listener-leak.
. "$TESTS/lib.sh"
. "$TESTS/lib_findings.sh"
. "$TESTS/lib_real.sh"

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$NGINX" ]; then
	fail "nginx is installed (apt-get install nginx-light, as the README's test command does)"
	exit 1
fi


# A port nothing listens on now (in this network namespace).
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		grep -qi ":$(printf '%04X' "$p") 00000000:0000 0A" /proc/net/tcp || break
	done
	echo "$p"
}

# children PID: the pids of its children, comma-separated.
children() { pgrep -d, -P "$1"; }
count_children() { [ "$(pgrep -c -P "$1")" = "$2" ]; }
pid_file_is() { [ -s "$1" ] && [ "$(cat "$1")" != "${2-}" ]; }

# start_nginx DIR BINARY: a master with 2 workers; sets MASTER and PORT.
# nginx daemonizes as on a real host (adopted by this namespace's init,
# us): it takes a binary upgrade only from a master whose parent changed
# since it started.
start_nginx() {
	local try
	N=$1
	WAIT_LOG=$N/error.log
	mkdir -p "$N/www" "$N/tmp"
	echo hello >"$N/www/index.html"
	chmod -R a+rX "$N"
	for try in 1 2 3 4 5; do
		PORT=$(free_port)
		cat >"$N/nginx.conf" <<EOF
worker_processes 2;
pid $N/nginx.pid;
error_log $N/error.log;
events { worker_connections 64; }
http {
	access_log $N/access.log;
	client_body_temp_path $N/tmp/body;
	proxy_temp_path $N/tmp/proxy;
	fastcgi_temp_path $N/tmp/fastcgi;
	uwsgi_temp_path $N/tmp/uwsgi;
	scgi_temp_path $N/tmp/scgi;
	server { listen 127.0.0.1:$PORT; root $N/www; }
}
EOF
		if "$2" -p "$N/" -c "$N/nginx.conf" -e "$N/error.log" </dev/null >"$N/stdout" 2>&1 &&
			wait_for "nginx to write its pid file" pid_file_is "$N/nginx.pid"; then
			break
		fi
		# the port was taken meanwhile: try another
	done
	MASTER=$(cat "$N/nginx.pid")
	wait_for "2 workers of $MASTER" count_children "$MASTER" 2
}

# http_get: a response from nginx on PORT (bash's /dev/tcp).
http_get() {
	local reply
	exec {c}<>"/dev/tcp/127.0.0.1/$PORT" || return 1
	printf 'GET /index.html HTTP/1.0\r\nHost: x\r\n\r\n' >&"$c"
	reply=$(cat <&"$c")
	exec {c}>&-
	[[ $reply == HTTP/1.1\ * ]]
}

# quiet WHAT PIDS: fdshare has no finding at all about PIDS, --check is OK.
quiet() {
	local what=$1 pids=$2
	if fds_json -p "$pids"; then
		jnone "$what: no finding about nginx ($pids)" \
			'.findings[] | "\(.severity) \(.code): \(.message)"'
		jcheck "$what: fdshare saw the listener shared by $pids" \
			'[.processes[] | .fds[] | select(.type == "socket" and .shared)] | length > 0'
	fi
	fds_text --check -p "$pids"
	rc_is "$what: --check OK" 0
}

chmod 711 "$T_DIR"   # nginx's workers run as nobody
start_nginx "$T_DIR/good" "$NGINX"
check "start: nginx answers on 127.0.0.1:$PORT" http_get
workers=$(children "$MASTER")
quiet "start" "$MASTER,$workers"

kill -HUP "$MASTER"
wait_for "new workers after HUP" bash -c '[ "$(pgrep -d, -P "$1")" != "$2" ] && [ "$(pgrep -c -P "$1")" = 2 ]' \
	_ "$MASTER" "$workers"
workers=$(children "$MASTER")
check "reload: nginx answers" http_get
quiet "reload (HUP)" "$MASTER,$workers"

old=$MASTER
kill -USR2 "$old"
wait_for "the old pid file" test -s "$N/nginx.pid.oldbin"
wait_for "the new master's pid file" pid_file_is "$N/nginx.pid" "$old"
new=$(cat "$N/nginx.pid")
wait_for "2 workers of the new master $new" count_children "$new" 2
new_workers=$(children "$new")
check "upgrade: the new master $new is a child of the old $old" \
	test "$(ps -o ppid= -p "$new" | tr -d ' ')" = "$old"
quiet "binary upgrade (USR2)" "$old,$(children "$old"),$new_workers"
kill -WINCH "$old"
wait_for "the old master's workers to end" count_children "$old" 1
check "after WINCH: nginx answers (the new workers)" http_get
quiet "binary upgrade, old workers gone (WINCH)" "$old,$new,$new_workers"
kill -QUIT "$old" "$new"
wait_for "the old and new masters to end" bash -c '! kill -0 "$1" && ! kill -0 "$2"' _ "$old" "$new"

# The broken twin: the same upgrade to a "new binary" that never serves.
mkdir -p "$T_DIR/bad/sbin"
cp "$NGINX" "$T_DIR/bad/sbin/nginx"
start_nginx "$T_DIR/bad" "$T_DIR/bad/sbin/nginx"
check "broken twin: nginx answers" http_get
printf '#!/bin/sh\nexec sleep 300\n' >"$T_DIR/bad/sbin/nginx.new"
chmod +x "$T_DIR/bad/sbin/nginx.new"
mv "$T_DIR/bad/sbin/nginx.new" "$T_DIR/bad/sbin/nginx"
kill -USR2 "$MASTER"
wait_for "the broken new binary to run sleep" bash -c 'pgrep -x -P "$1" sleep' _ "$MASTER"
hang=$(pgrep -x -P "$MASTER" sleep)
fired listener-leak warning "$MASTER,$hang"
if fds_json -p "$hang"; then
	jcheck "broken twin: the idle holder is the hung new binary (sleep), port $PORT" \
		'.findings[] | select(.code == "listener-leak") | .evidence.port == $port
		 and .evidence.idle_holders == 1 and any(.fds[]; .pid == $h)' \
		--argjson port "$PORT" --argjson h "$hang"
	jcheck "broken twin: the hint is about a program run by exec (a failed upgrade), not a forked handler" \
		'.findings[] | select(.code == "listener-leak") | .hint | startswith("\($h) (sleep) runs another program")' \
		--argjson h "$hang"
fi
kill -TERM "$hang"
kill -QUIT "$MASTER"
wait_for "the broken twin's master to end" bash -c '! kill -0 "$1"' _ "$MASTER"
