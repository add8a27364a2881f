"""Extract the citations of every paper.

The citation index this stage talks to is slow to warm up: the first attempt
of a run fails with exit code 75 (EX_TEMPFAIL) and the pipeline retries it.
"""

import json
import os
import re
import sys
import time

import baton_protocol as baton

if os.environ.get("BATON_ATTEMPT", "1") == "1":
    baton.warning("The citation index is still warming up; asking Baton to retry.")
    sys.exit(75)

CITATION = re.compile(r"\[([^\]]+)\]")
papers = sorted(os.listdir("work/papers"))
citations = {}
for index, name in enumerate(papers, start=1):
    _, body = baton.read_paper(os.path.join("work/papers", name))
    found = [ref.strip() for group in CITATION.findall(body) for ref in group.split(";")]
    citations[name] = sorted(set(found))
    baton.progress(index, len(papers), f"{len(found)} citations in {name}")
    time.sleep(0.25)

with open("work/citations.jsonl", "w", encoding="utf-8") as handle:
    for name, refs in citations.items():
        handle.write(json.dumps({"paper": name, "citations": refs}) + "\n")
total = sum(len(refs) for refs in citations.values())
baton.log(f"Found {total} citations in {len(papers)} papers.")
baton.set_output("count", total)
