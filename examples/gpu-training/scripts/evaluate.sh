#!/bin/sh
# Turns the loss the training handed on into an accuracy.
set -eu
echo "evaluating a model with loss $1"
echo "accuracy=0.9$(echo "$1" | tr -dc 0-9 | tail -c 1)" >> "$BATON_OUTPUT"
