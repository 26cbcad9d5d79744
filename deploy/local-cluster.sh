#!/usr/bin/env bash
# A local Orleans cluster: redis-server on 127.0.0.1 with a password, plus N `de silo` processes.
#   deploy/local-cluster.sh start [N]   (default N = 2)
#   deploy/local-cluster.sh status
#   deploy/local-cluster.sh stop
# Then run a study on it (the connection string, password included, is in $DE_STATE/redis.env):
#   set -a; . deploy/.run/redis.env; set +a
#   dotnet client/bin/Release/net10.0/de.dll run studies/sample.yaml     # DE_REDIS selects the cluster
#
# Redis keeps its data in an append-only file in $DE_STATE (appendonlydir/): a restart of Redis, or
# `stop` then `start`, keeps the schedules, reminders and run records (delete that folder to start afresh).
#
# Environment:
#   DE_STATE           state folder: logs, pid files, redis.conf, the password, Redis' data (default deploy/.run)
#   DE_REDIS_PORT      Redis port on 127.0.0.1 (default 6380, to stay clear of a Debian service on 6379)
#   DE_REDIS_PASSWORD  Redis password (default: generated once and kept in $DE_STATE/redis.password, mode 0600)
#   DE_DLL             the built CLI (default client/bin/Release/net10.0/de.dll; built if missing)
#   DE_SILO_ARGS       extra `de silo` options, e.g. "--dashboard 8080" (only for silo 1) — see below
# The password never appears on a command line (ps): Redis reads it from a 0600 config file, silos and
# clients from the DE_REDIS environment variable.
set -euo pipefail
cd "$(dirname "$0")/.."
state=${DE_STATE:-deploy/.run}
port=${DE_REDIS_PORT:-6380}
dll=${DE_DLL:-client/bin/Release/net10.0/de.dll}
umask 077
mkdir -p "$state"

password() {
  if [ -n "${DE_REDIS_PASSWORD:-}" ]; then printf '%s' "$DE_REDIS_PASSWORD" > "$state/redis.password"
  elif [ ! -s "$state/redis.password" ]; then openssl rand -hex 24 | tr -d '\n' > "$state/redis.password"; fi
  chmod 600 "$state/redis.password"
  cat "$state/redis.password"
}

redis_up() { REDISCLI_AUTH=$(cat "$state/redis.password" 2>/dev/null) redis-cli -h 127.0.0.1 -p "$port" --no-auth-warning ping 2>/dev/null | grep -q PONG; }

alive() { [ -e "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

case "${1:-}" in
  start)
    n=${2:-2}
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "start N: N must be a positive number" >&2; exit 2; }
    for f in "$state"/silo-*.pid; do alive "$f" && { echo "silos are already running (see $0 status; stop first)" >&2; exit 1; }; done
    command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install -y redis-server" >&2; exit 1; }
    pw=$(password)
    if ! alive "$state/redis.pid"; then
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is taken by another process; set DE_REDIS_PORT" >&2; exit 1; fi
      abs=$(cd "$state" && pwd)
      cat > "$state/redis.conf" <<EOF
bind 127.0.0.1
port $port
protected-mode yes
requirepass $pw
# Persistence: the append-only file (fsync every second) keeps the membership table, the schedules and
# their reminders and the run records across a Redis restart (in $abs/appendonlydir).
save ""
appendonly yes
appendfsync everysec
daemonize yes
pidfile $abs/redis.pid
logfile $abs/redis.log
dir $abs
EOF
      redis-server "$state/redis.conf"
      for _ in $(seq 1 50); do redis_up && break; sleep 0.1; done
      redis_up || { echo "redis-server did not answer on 127.0.0.1:$port; see $state/redis.log" >&2; exit 1; }
    fi
    printf 'DE_REDIS=127.0.0.1:%s,password=%s\n' "$port" "$pw" > "$state/redis.env"
    [ -e "$dll" ] || dotnet build -c Release client >/dev/null
    export DE_REDIS="127.0.0.1:$port,password=$pw"
    for i in $(seq 1 "$n"); do
      extra=""; [ "$i" = 1 ] && extra=${DE_SILO_ARGS:-}
      # shellcheck disable=SC2086
      nohup dotnet "$dll" silo $extra > "$state/silo-$i.log" 2>&1 &
      echo $! > "$state/silo-$i.pid"
    done
    for i in $(seq 1 "$n"); do
      for _ in $(seq 1 300); do
        grep -q ' ready at ' "$state/silo-$i.log" 2>/dev/null && break
        alive "$state/silo-$i.pid" || { echo "silo $i exited:" >&2; cat "$state/silo-$i.log" >&2; exit 1; }
        sleep 0.2
      done
      grep ' ready at ' "$state/silo-$i.log" || { echo "silo $i not ready after 60 s; see $state/silo-$i.log" >&2; exit 1; }
    done
    echo "cluster of $n silo(s) on Redis 127.0.0.1:$port; use it with: set -a; . $state/redis.env; set +a; dotnet $dll run STUDY"
    ;;
  status)
    if redis_up; then echo "redis: up on 127.0.0.1:$port (pid $(cat "$state/redis.pid" 2>/dev/null))"; else echo "redis: down"; fi
    for f in "$state"/silo-*.pid; do
      [ -e "$f" ] || continue
      if alive "$f"; then echo "$(basename "$f" .pid): running, pid $(cat "$f")"; else echo "$(basename "$f" .pid): not running"; fi
    done
    if redis_up; then
      # Orleans' Redis membership: one hash per cluster, a field per silo (JSON with its status).
      for key in $(REDISCLI_AUTH=$(cat "$state/redis.password") redis-cli -h 127.0.0.1 -p "$port" --no-auth-warning --scan --pattern '*members*'); do
        REDISCLI_AUTH=$(cat "$state/redis.password") redis-cli -h 127.0.0.1 -p "$port" --no-auth-warning hgetall "$key" \
          | grep -o '"SiloAddress":"[^"]*"\|"Status":[^,]*' | paste - - | sed 's/^/  membership: /'
      done
    fi
    ;;
  stop)
    # Silos first, while Redis is still up: a silo whose Redis is gone does not finish a graceful
    # shutdown (it keeps retrying its membership update), so it gets SIGKILL after 20 s.
    pids=()
    for f in "$state"/silo-*.pid; do alive "$f" && pids+=("$(cat "$f")"); done
    [ ${#pids[@]} -gt 0 ] && kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 100); do
      left=(); for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && left+=("$p"); done
      [ ${#left[@]} -eq 0 ] && break; sleep 0.2
    done
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && { echo "silo pid $p did not stop in 20 s: SIGKILL" >&2; kill -KILL "$p"; }; done
    rm -f "$state"/silo-*.pid
    if alive "$state/redis.pid"; then
      REDISCLI_AUTH=$(cat "$state/redis.password") redis-cli -h 127.0.0.1 -p "$port" --no-auth-warning shutdown >/dev/null 2>&1 || kill "$(cat "$state/redis.pid")"
      for _ in $(seq 1 50); do alive "$state/redis.pid" || break; sleep 0.1; done
    fi
    rm -f "$state/redis.pid" "$state/redis.env"
    echo stopped
    ;;
  *) echo "usage: $0 start [N] | status | stop" >&2; exit 2 ;;
esac
