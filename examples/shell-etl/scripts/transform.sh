#!/bin/sh
# Transform: daily minimum, mean and maximum per sensor.
set -eu
echo "::group::Aggregating ${1:-?} rows"
awk -F, 'NR > 1 {
  n[$1]++; sum[$1] += $3
  if (!($1 in min) || $3 < min[$1]) min[$1] = $3
  if (!($1 in max) || $3 > max[$1]) max[$1] = $3
}
END {
  for (s in n) printf "%s,%.1f,%.1f,%.1f\n", s, min[s], sum[s] / n[s], max[s]
}' work/raw.csv | sort > work/daily.body
{ echo "sensor,min,mean,max"; cat work/daily.body; } > work/daily.csv
rm work/daily.body
cat work/daily.csv
echo "::endgroup::"
echo "sensors=$(($(wc -l < work/daily.csv) - 1))" >> "${BATON_OUTPUT:-/dev/null}"
