"""Tiny helpers for talking to Baton from a Python stage.

Baton reads workflow commands (``::name key=value::message``) from a stage's
stdout and state changes from the files named by the BATON_* variables. These
helpers only print lines and append to files, so the scripts still run fine
outside Baton (the variables are then unset and the helpers do nothing).
"""

import json
import os
import sys


def _escape_message(text):
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text):
    return _escape_message(text).replace(":", "%3A").replace(",", "%2C")


def command(name, message="", **properties):
    """Print one workflow command line and flush, so Baton sees it at once."""
    props = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    head = f"::{name} {props}" if props else f"::{name}"
    print(f"{head}::{_escape_message(message)}", flush=True)


def progress(value, total, message=""):
    command("progress", message, value=value, total=total)


def notice(message, **properties):
    command("notice", message, **properties)


def warning(message, **properties):
    command("warning", message, **properties)


def error(message, **properties):
    command("error", message, **properties)


def ask(prompt_id, message, prompt_type="text", options=None, default=None, timeout=None):
    """Open a Baton prompt and read the answer Baton writes to stdin."""
    properties = {"id": prompt_id, "type": prompt_type}
    if options:
        properties["options"] = "|".join(options)
    if default is not None:
        properties["default"] = default
    if timeout is not None:
        properties["timeout"] = timeout
    command("prompt", message, **properties)
    return input().strip()


def set_output(name, value):
    """Record a stage output for ``${{ stages.<id>.outputs.<name> }}``."""
    path = os.environ.get("BATON_OUTPUT")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{name}={value}\n")


def write_summary(markdown):
    path = os.environ.get("BATON_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(markdown)


def state_dir():
    """The directory Baton keeps across retries and resume (a local one outside Baton)."""
    path = os.environ.get("BATON_STATE") or os.path.join("work", ".state")
    os.makedirs(path, exist_ok=True)
    return path


def load_checkpoint(name, default):
    path = os.path.join(state_dir(), name)
    if not os.path.exists(path):
        return default
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def save_checkpoint(name, value):
    """Write a checkpoint atomically, so a kill never leaves half a file."""
    path = os.path.join(state_dir(), name)
    temp = path + ".tmp"
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump(value, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def read_paper(path):
    """Split a paper file into its header fields and its body text."""
    fields, body = {}, []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            key, sep, value = line.partition(":")
            if sep and not body and key in ("Title", "Pillar", "Language"):
                fields[key.lower()] = value.strip()
            else:
                body.append(line)
    return fields, "".join(body)


def log(*parts):
    print(*parts, flush=True)


def fail(message, code=1):
    error(message)
    sys.exit(code)
