#!/bin/sh
# Makes the data set the training stage reads (on shared storage in a real setup).
set -eu
mkdir -p work
seq 1 1000 > work/dataset.txt
echo "prepared $(wc -l < work/dataset.txt) samples"
