# Shared by bench/scale_bench.sh and bench/many_bench.sh: whole processes timed in alternating pairs.
# measure CMD…      prints "wall_seconds peak_MiB" of one whole process (/usr/bin/time -v)
# summarise         reads rows "de_s de_MiB fixest_s fixest_MiB ratio" on stdin; prints min, median and max of each
measure() { # prints "wall_seconds peak_MiB" of one whole process
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
  python3 - "$log" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
h, m, s = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", t).groups()
wall = int(h or 0) * 3600 + int(m) * 60 + float(s)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
print(f"{wall:.3f} {rss:.0f}")
PY
  rm -f "$log"
}
summarise() {
  python3 -c "
import sys, statistics as st
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
for k, name in enumerate(['de wall s', 'de peak MiB', 'fixest wall s', 'fixest peak MiB', 'de / fixest wall']):
    v = [r[k] for r in rows]; print(f'{name:18s} min {min(v):.3f}  median {st.median(v):.3f}  max {max(v):.3f}')"
}
