"""Write the review report, after asking whether to publish it."""

import json
import os

import baton_protocol as baton

with open("out/analysis.json", encoding="utf-8") as handle:
    analysis = json.load(handle)

answer = baton.ask("publish", "Write the report to out/report.md?", "confirm", default="true", timeout="2m")
if answer.lower() not in ("true", "yes", "y"):
    baton.log("Report not written, as asked.")
    raise SystemExit(0)

lines = [
    "# Literature review",
    "",
    f"- Papers reviewed: **{analysis['papers']}**",
    f"- Distinct citations: **{analysis['citations']}**",
    f"- Most cited paper: `{analysis['most_cited']}`",
    f"- Top keywords: {', '.join(analysis['keywords'])}",
    "",
]
with open("out/report.md", "w", encoding="utf-8") as handle:
    handle.write("\n".join(lines))
baton.write_summary("\n".join(lines))
baton.log("Report written to out/report.md.")
