#!/bin/sh
# Extract: generates a day of (fake) sensor readings into work/raw.csv.
# Progress goes to a JSON-lines status file that the pipeline watches, the
# way a long-running tool with its own log format would report it.
set -eu
mkdir -p work status
: > status/extract.jsonl
echo "sensor,hour,celsius" > work/raw.csv
hours=24
for hour in $(seq 1 "$hours"); do
  for sensor in north south east west; do
    # A deterministic pseudo-temperature: a daily curve plus a per-sensor offset.
    temp=$(awk -v h="$hour" -v s="${#sensor}" 'BEGIN { printf "%.1f", 12 + 8 * sin((h - 6) * 3.14159 / 12) + s / 2 }')
    echo "$sensor,$hour,$temp" >> work/raw.csv
  done
  percent=$((hour * 100 / hours))
  echo "{\"progress\": $percent, \"message\": \"hour $hour of $hours\"}" >> status/extract.jsonl
  sleep 0.05
done
echo "{\"message\": \"extracted $((hours * 4)) readings\"}" >> status/extract.jsonl
echo "rows=$((hours * 4))" >> "${BATON_OUTPUT:-/dev/null}"
