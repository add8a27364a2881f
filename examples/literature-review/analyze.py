"""Combine the translations, citations and keywords into one analysis."""

import argparse
import json
import os
import time

import baton_protocol as baton

parser = argparse.ArgumentParser()
parser.add_argument("--papers", type=int, required=True)
parser.add_argument("--citations", type=int, required=True)
parser.add_argument("--keywords", default="")
args = parser.parse_args()

with open("work/citations.jsonl", encoding="utf-8") as handle:
    citations = {row["paper"]: row["citations"] for row in map(json.loads, handle)}

steps = ["Loading translations", "Cross-referencing citations", "Scoring pillars", "Writing analysis"]
for index, step in enumerate(steps, start=1):
    baton.progress(index, len(steps), step)
    time.sleep(0.3)

analysis = {
    "papers": args.papers,
    "citations": args.citations,
    "keywords": args.keywords.split(),
    "most_cited": max(citations, key=lambda name: len(citations[name])),
}
os.makedirs("out", exist_ok=True)
with open("out/analysis.json", "w", encoding="utf-8") as handle:
    json.dump(analysis, handle, indent=2)
baton.notice(f"Analysed {args.papers} papers with {args.citations} citations.", file="out/analysis.json")
baton.set_output("most_cited", analysis["most_cited"])
