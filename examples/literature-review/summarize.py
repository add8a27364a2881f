"""Summarize one paper (one item of the foreach): a stand-in for an LLM call.

Baton runs this once per collected paper, at most as many at once as the
`llm` pool allows, with the paper's file name in $BATON_ITEM.
"""

import os
import sys
import time

import baton_protocol as baton

name = sys.argv[1] if len(sys.argv) > 1 else os.environ["BATON_ITEM"]
fields, body = baton.read_paper(os.path.join("work/papers", name))
baton.progress(0, 1, f"Asking the model about {name}")
time.sleep(0.3)
first_sentence = body.strip().split(". ")[0].rstrip(".") + "."
os.makedirs("work/summaries", exist_ok=True)
with open(os.path.join("work/summaries", name), "w", encoding="utf-8") as handle:
    handle.write(f"{fields.get('title', name)}: {first_sentence}\n")
baton.progress(1, 1, f"Summarized {name}")
baton.set_output("pillar", fields.get("pillar", "unknown"))
baton.set_output("words", len(body.split()))
