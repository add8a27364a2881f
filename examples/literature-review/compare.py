"""Compare the pillars: how many papers and words each has.

Reads the summarize stage's outputs, which Baton hands on as JSON lists with
one entry per paper, in the order of the papers.
"""

import json
import sys
from collections import Counter

import baton_protocol as baton

pillars = json.loads(sys.argv[1])
words = [int(w or 0) for w in json.loads(sys.argv[2])]
papers = Counter(pillars)
total = Counter()
for pillar, count in zip(pillars, words):
    total[pillar] += count
for pillar in sorted(papers):
    baton.log(f"{pillar}: {papers[pillar]} papers, {total[pillar]} words")
baton.set_output("pillars", len(papers))
