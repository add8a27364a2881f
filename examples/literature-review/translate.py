"""Translate non-English papers, one file at a time.

Each finished file is recorded in a checkpoint in $BATON_STATE, so a retry or
a `baton resume` after an interruption continues with the next file instead
of starting over.
"""

import os
import time

import baton_protocol as baton

PHRASEBOOK = {"de": "German", "fr": "French", "es": "Spanish"}

papers = sorted(os.listdir("work/papers"))
done = baton.load_checkpoint("translated.json", [])
if done:
    baton.notice(f"Resuming from the checkpoint: {len(done)} papers already translated.")

os.makedirs("work/translated", exist_ok=True)
for index, name in enumerate(papers, start=1):
    if name in done:
        continue
    fields, body = baton.read_paper(os.path.join("work/papers", name))
    language = fields.get("language", "en")
    baton.progress(index, len(papers), f"Translating {name}")
    time.sleep(0.4)
    note = "" if language == "en" else f"[machine translation from {PHRASEBOOK.get(language, language)}]\n"
    with open(os.path.join("work/translated", name), "w", encoding="utf-8") as handle:
        handle.write(f"{fields.get('title', name)}\n{note}{body}")
    done.append(name)
    baton.save_checkpoint("translated.json", done)

baton.progress(len(papers), len(papers), "All papers translated")
baton.set_output("count", len(papers))
