"""Count the most frequent keywords; shows a tqdm-style bar on stderr."""

import collections
import os
import re
import sys
import time

import baton_protocol as baton

STOP = set("the and of in to a by on for with as was were from than when only more de la el los les".split())
papers = sorted(os.listdir("work/papers"))
counts = collections.Counter()
for index, name in enumerate(papers, start=1):
    _, body = baton.read_paper(os.path.join("work/papers", name))
    body = re.sub(r"\[[^\]]*\]", " ", body)
    counts.update(word for word in re.findall(r"[a-zà-ÿ]{4,}", body.lower()) if word not in STOP)
    percent = index * 100 // len(papers)
    bar = "█" * (percent // 10) + " " * (10 - percent // 10)
    sys.stderr.write(f"\rkeywords: {percent:3d}%|{bar}| {index}/{len(papers)}")
    sys.stderr.flush()
    time.sleep(0.3)
sys.stderr.write("\n")

top = [word for word, _ in counts.most_common(5)]
baton.log("Top keywords: " + ", ".join(top))
baton.set_output("top", " ".join(top))
