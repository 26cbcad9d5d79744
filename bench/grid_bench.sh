#!/usr/bin/env bash
# Specifications per second for a 1,000-specification grid on the 286-city panel: embedded (one
# process, in-memory transport) vs a 2-silo cluster on a local RabbitMQ, and the per-message overhead
# (the same grid with 1 specification per message vs 20). Needs rabbitmq-server (apt).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out; mkdir -p "$out"
dotnet build -c Release client >/dev/null
de="dotnet client/bin/Release/net10.0/de.dll"
$de generate cities --out "$out/cities.csv" >/dev/null
sed 's/batch_size: 20/batch_size: 1/; s/name: bench_cities/name: bench_cities_b1/' bench/grid/cities.yaml > bench/grid/cities_b1.yaml
t() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(date +%s.%N) - $s" | bc; }
rm -rf "$out/grid"
emb=$(t $de run bench/grid/cities.yaml --out "$out/grid/embedded" --concurrency 2)
emb1=$(t $de run bench/grid/cities_b1.yaml --out "$out/grid/embedded" --concurrency 2)
bash deploy/local-cluster.sh start 2 >/dev/null
trap 'bash deploy/local-cluster.sh stop >/dev/null' EXIT
broker=amqp://guest:guest@127.0.0.1:5672/
clu=$(t $de run bench/grid/cities.yaml --out "$out/grid/cluster" --broker $broker --concurrency 2)
clu1=$(t $de run bench/grid/cities_b1.yaml --out "$out/grid/cluster" --broker $broker --concurrency 2)
cmp "$out"/grid/embedded/bench_cities/*/specs.parquet "$out"/grid/cluster/bench_cities/*/specs.parquet && echo "specs.parquet identical embedded and on the cluster"
python3 - "$emb" "$emb1" "$clu" "$clu1" <<'PY'
import sys
emb, emb1, clu, clu1 = map(float, sys.argv[1:])
print(f"embedded, 20 specs/message:  {emb:6.2f} s  {1000/emb:7.1f} specs/s")
print(f"2 silos,  20 specs/message:  {clu:6.2f} s  {1000/clu:7.1f} specs/s")
print(f"embedded,  1 spec/message:   {emb1:6.2f} s  → overhead {(emb1-emb)/950*1000:.2f} ms per extra message (in-memory)")
print(f"2 silos,   1 spec/message:   {clu1:6.2f} s  → overhead {(clu1-clu)/950*1000:.2f} ms per extra message (RabbitMQ)")
print("(times are whole commands: process start, indices, grid, aggregation)")
PY
