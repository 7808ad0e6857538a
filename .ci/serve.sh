# Sourced by the CI steps that drive a live server: starts the release server on a free
# loopback port with a fresh demo organization in "$work" (which the caller made), waits
# until it is ready, and sets `base`, `admin` and `service` (the demo's tokens) and
# `server` (its pid). `stop_server` stops it and removes "$work".

server=""
stop_server() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}

start_server() {
  env -u EASEL_POSTGRES_URL -u EASEL_CONFIG \
    target/release/easel serve --listen 127.0.0.1:0 --data "$work/data" \
    >"$work/banner" 2>"$work/server.log" </dev/null &
  server=$!

  # The banner ends with three `curl` lines once the demo's tokens are printed.
  for _ in $(seq 1 600); do
    [ "$(grep -c '^ *curl ' "$work/banner" || true)" -ge 3 ] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  base="$(sed -n 's/^Easel is listening on //p' "$work/banner")"
  admin="$(sed -n 's/^ *admin token ([^)]*): *//p' "$work/banner")"
  service="$(sed -n 's/^ *service token ([^)]*): *//p' "$work/banner")"
  operator="$(sed -n 's/^ *operator token: *//p' "$work/banner")"
  scim="$(sed -n 's/^ *scim token ([^)]*): *//p' "$work/banner")"
  if [ -z "$base" ] || [ -z "$admin" ] || [ -z "$service" ]; then
    echo "the server printed no address or tokens:" >&2
    cat "$work/banner" "$work/server.log" >&2
    return 1
  fi
  local ready=""
  for _ in $(seq 1 100); do
    if curl -fsS "$base/readyz" >/dev/null 2>&1; then
      ready=yes
      break
    fi
    sleep 0.1
  done
  if [ -z "$ready" ]; then
    echo "the server at $base never became ready:" >&2
    cat "$work/server.log" >&2
    return 1
  fi
}

# Fails the step when the server panicked while driven.
check_no_panic() {
  if grep -q 'panicked' "$work/server.log"; then
    echo "the server panicked:" >&2
    grep -A5 'panicked' "$work/server.log" >&2
    return 1
  fi
}
