#!/bin/sh
# Pretends to train for a few epochs on whichever worker took the stage,
# reporting progress and continuing from the last epoch on a retry.
set -eu
done_epochs=$(cat "$BATON_STATE/epoch" 2>/dev/null || echo 0)
echo "training on $(hostname), from epoch $done_epochs"
epoch=$done_epochs
while [ "$epoch" -lt 5 ]; do
  epoch=$((epoch + 1))
  sleep 1
  echo "::progress value=$epoch,total=5::epoch $epoch"
  echo "$epoch" > "$BATON_STATE/epoch"
done
echo "loss=0.0$((7 - epoch))" >> "$BATON_OUTPUT"
echo "## Training\n\n5 epochs on $(hostname)" >> "$BATON_SUMMARY"
