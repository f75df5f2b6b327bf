# Sourced by the serve_*.sh tests: start_server ARGS… runs `inkpack serve ARGS… --bind 127.0.0.1
# --port 0` in the background and sets $url (the address it prints), $server (its pid) and
# $out/$err (its standard output and error). Needs $B (inkpack) and a scratch directory as cwd.
export no_proxy="127.0.0.1,localhost" NO_PROXY="127.0.0.1,localhost"
start_server() {
  "$B" serve "$@" --bind 127.0.0.1 --port 0 >serve.out 2>serve.err &
  server=$!
  url=
  for _ in $(seq 100); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/[^ ]*' serve.out | head -1)
    [ -n "$url" ] && return 0
    kill -0 "$server" 2>/dev/null || break
    sleep 0.05
  done
  echo "FAIL: the server printed no address: $(cat serve.out serve.err)"
  exit 1
}
stop_server() { kill -INT "$server" 2>/dev/null; wait "$server"; }
