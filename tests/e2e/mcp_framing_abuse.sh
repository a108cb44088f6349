#!/usr/bin/env bash
# Framing abuse against `crashpilot mcp`: a 10 MB line, invalid UTF-8, a batch array, id null, a
# notification with an id, broken JSON, an unknown method, a client response, blank lines. Each
# gets the right JSON-RPC error (notifications none), the server keeps serving (ping after each),
# stdout holds nothing but JSON-RPC lines, and end of input exits 0.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/mcp_lib.bash"
command -v jq >/dev/null || skip "jq is not installed"
make_workspace
start_mcp

pings=0
still_serving() {
  pings=$((pings + 1))
  call "{\"jsonrpc\":\"2.0\",\"id\":\"ping-$pings\",\"method\":\"ping\"}"
  [ "$(jq -r .id <<<"$reply")" = "ping-$pings" ] || fail "after $1 the next reply is not the ping's: $reply"
}
expect_error() { # expect_error CODE ID WHAT
  [ "$(jq .error.code <<<"$reply")" = "$1" ] || fail "$3: expected error $1, got $reply"
  [ "$(jq -c .id <<<"$reply")" = "$2" ] || fail "$3: expected id $2, got $reply"
}

# A 10 MB message (over the 8 MiB cap): skipped without being kept, answered -32600 with id null.
{
  printf '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"'
  head -c $((10 * 1024 * 1024)) /dev/zero | tr '\0' 'a'
  printf '"}}\n'
} >&"$mcp_in"
recv
expect_error -32600 null "10 MB line"
jq -r .error.message <<<"$reply" | grep -qF "8388608" || fail "oversize message: $reply"
still_serving "the 10 MB line"

# Invalid UTF-8 inside a string: -32700.
printf '{"jsonrpc":"2.0","id":2,"method":"ping","params":{"x":"\xff\xfe"}}\n' >&"$mcp_in"
recv
expect_error -32700 null "invalid UTF-8"
still_serving "invalid UTF-8"

send '[{"jsonrpc":"2.0","id":3,"method":"ping"},{"jsonrpc":"2.0","id":4,"method":"ping"}]'
recv
expect_error -32600 null "batch array"
still_serving "a batch"

send '{"jsonrpc":"2.0","id":null,"method":"ping"}'
recv
expect_error -32600 null "id null"
still_serving "id null"

send '{"jsonrpc":"2.0","id":5,"method":"notifications/initialized"}'
recv
expect_error -32600 5 "notification with an id"
still_serving "a notification with an id"

send '{"jsonrpc":"2.0","id":6,"method":"ping"'
recv
expect_error -32700 null "truncated JSON"
still_serving "truncated JSON"

send '{"jsonrpc":"2.0","id":7,"method":"tools/destroy"}'
recv
expect_error -32601 7 "unknown method"
still_serving "an unknown method"

send '{"jsonrpc":"2.0","id":8,"method":"ping","params":[1,2]}'
recv
[ "$(jq -r .id <<<"$reply")" = 8 ] || fail "array params: $reply"
still_serving "array params"

# Never answered: notifications (known, unknown, failing), a client's response, blank lines.
send '{"jsonrpc":"2.0","method":"notifications/initialized"}'
send '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":99}}'
send '{"jsonrpc":"2.0","method":"tools/call","params":{"name":"claim_crash"}}'
send '{"jsonrpc":"2.0","method":"no/such/notification"}'
send '{"jsonrpc":"2.0","id":42,"result":{}}'
send ''
send '   '
still_serving "notifications and responses"
# The notification did not claim anything.
[ -f "$scratch/q/requests/request_$request_id.json" ] || fail "a notification ran a tool"

# End of input: exit 0, and stdout was protocol only (every line is a JSON-RPC response).
exec {mcp_in}>&-
rest=$(cat <&"$mcp_out")
[ -z "$rest" ] || fail "unexpected output after the last reply: ${rest:0:300}"
wait "$mcp_pid" && rc=0 || rc=$?
[ "$rc" -eq 0 ] || fail "exit $rc on EOF; stderr: $(cat "$scratch/mcp.err")"
jq -e -s 'all(.jsonrpc == "2.0" and has("id") and (has("result") or has("error")))' \
  "$scratch/replies.jsonl" >/dev/null || fail "a reply line is not a JSON-RPC response"
[ "$(wc -l <"$scratch/replies.jsonl")" -eq $((pings + 8)) ] ||
  fail "expected $((pings + 8)) replies, got $(wc -l <"$scratch/replies.jsonl")"
