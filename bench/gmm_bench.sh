#!/usr/bin/env bash
# Dynamic panel GMM (`de gmm`), whole process (start-up, JIT, loading included), median of 5 runs each:
#  - EmplUK (140 firms, 1031 rows): Arellano–Bond two-step (38 instruments) and Blundell–Bond two-step (113
#    instruments), the latter also with --diff-hansen (7 refits);
#  - the generated 286-city × 10-year panel: system GMM two-step, log(gdp_pc) on its lag and three regressors,
#    uncollapsed (every lag) and collapsed.
# Beside them the same process doing `de estimate` of a two-way FE model, the floor of a one-off command.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out; mkdir -p "$out"
dotnet build -c Release client >/dev/null
de=(dotnet client/bin/Release/net10.0/de.dll)
"${de[@]}" generate cities --out "$out/cities_gmm.csv" >/dev/null
emp=tests/data/validation/EmplUK.csv
ab=(gmm 'log(emp) ~ lag(log(emp)) + lag(log(emp),2) + log(wage) + lag(log(wage)) + log(capital) + log(output) + lag(log(output))' --data "$emp" --unit firm --time year --gmm 'log(emp):2:.' --twostep --json)
bb=(gmm 'log(emp) ~ lag(log(emp)) + log(wage) + lag(log(wage)) + log(capital) + lag(log(capital))' --data "$emp" --unit firm --time year --gmm 'log(emp):2:.' --gmm 'log(wage):2:.' --gmm 'log(capital):2:.' --system --twostep --json)
city=(gmm 'log(gdp_pc) ~ lag(log(gdp_pc)) + dfi_index + gov + fin' --data "$out/cities_gmm.csv" --unit city --time year --gmm 'log(gdp_pc):2:.' --system --twostep --json)
fe=(estimate 'log(emp) ~ log(wage) + log(capital) | firm + year' --data "$emp" --unit firm --time year --json)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_of() {
  for i in 1 2 3 4 5; do s=$EPOCHREALTIME; "${de[@]}" "$@" >/dev/null 2>&1; e=$EPOCHREALTIME; echo "$e - $s" | bc; done | median
}
printf '%-58s %s s\n' "de estimate, two-way FE on EmplUK (floor)" "$(time_of "${fe[@]}")"
printf '%-58s %s s\n' "de gmm, Arellano–Bond two-step, EmplUK (L = 38)" "$(time_of "${ab[@]}")"
printf '%-58s %s s\n' "de gmm, Blundell–Bond two-step, EmplUK (L = 113)" "$(time_of "${bb[@]}")"
printf '%-58s %s s\n' "de gmm, Blundell–Bond two-step + --diff-hansen, EmplUK" "$(time_of "${bb[@]}" --diff-hansen)"
printf '%-58s %s s\n' "de gmm, system two-step, 286 cities × 10 years (L = $("${de[@]}" "${city[@]}" | grep -m1 '"instruments"' | tr -dc 0-9))" "$(time_of "${city[@]}")"
printf '%-58s %s s\n' "de gmm, same, --collapse (L = $("${de[@]}" "${city[@]}" --collapse | grep -m1 '"instruments"' | tr -dc 0-9))" "$(time_of "${city[@]}" --collapse)"
