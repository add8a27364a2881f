"""Collect the papers that belong to the selected pillars into work/papers."""

import argparse
import json
import os
import shutil
import time

import baton_protocol as baton

parser = argparse.ArgumentParser()
parser.add_argument("--pillars", default="ALL")
args = parser.parse_args()

sources = sorted(name for name in os.listdir("papers") if name.endswith(".txt"))
os.makedirs("work/papers", exist_ok=True)
for stale in os.listdir("work/papers"):
    os.remove(os.path.join("work/papers", stale))

selected = []
for index, name in enumerate(sources, start=1):
    fields, _ = baton.read_paper(os.path.join("papers", name))
    if args.pillars in ("ALL", fields.get("pillar")):
        shutil.copy(os.path.join("papers", name), os.path.join("work/papers", name))
        selected.append(name)
    baton.progress(index, len(sources), f"Scanned {name}")
    time.sleep(0.15)

if not selected:
    baton.fail(f"No paper belongs to {args.pillars!r}.")

baton.log(f"Selected {len(selected)} of {len(sources)} papers for {args.pillars}.")
baton.set_output("count", len(selected))
# The list the summarize stage fans out over (one item per paper).
baton.set_output("papers", json.dumps(selected))
