#!/usr/bin/env bash
# Starts RabbitMQ on 127.0.0.1 and N silos on this machine, or stops them.
#   deploy/local-cluster.sh start [N]   (default N = 2)
#   deploy/local-cluster.sh stop
# Then: dotnet run --project client -- run studies/sample.yaml --broker amqp://guest:guest@127.0.0.1:5672/
# Needs: apt-get install -y rabbitmq-server (run as root, like the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
state=deploy/.run; mkdir -p "$state"
broker=amqp://guest:guest@127.0.0.1:5672/
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 ERL_EPMD_ADDRESS=127.0.0.1
case "${1:-}" in
  start)
    n=${2:-2}
    if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
      rabbitmq-server -detached
      rabbitmqctl wait --timeout 60 "/var/lib/rabbitmq/mnesia/rabbit@$(hostname -s).pid" >/dev/null
      touch "$state/rabbit-started-here"
    fi
    dotnet build -c Release client >/dev/null
    for i in $(seq 1 "$n"); do
      nohup dotnet client/bin/Release/net10.0/de.dll silo --broker "$broker" --concurrency 1 > "$state/silo-$i.log" 2>&1 &
      echo $! > "$state/silo-$i.pid"
    done
    for i in $(seq 1 "$n"); do
      for _ in $(seq 1 100); do grep -q ready "$state/silo-$i.log" 2>/dev/null && break; sleep 0.2; done
      cat "$state/silo-$i.log"
    done
    echo "submit with: --broker $broker"
    ;;
  stop)
    for f in "$state"/silo-*.pid; do [ -e "$f" ] && { kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; }; done
    if [ -e "$state/rabbit-started-here" ]; then rabbitmqctl stop >/dev/null; rm -f "$state/rabbit-started-here"; fi
    echo stopped
    ;;
  *) echo "usage: $0 start [N] | stop" >&2; exit 2 ;;
esac
