"""Atomic file writes: a file that exists is complete.

Every output is written to ``<name>.partial`` in the same folder and renamed
into place, the same rule schedsim's own logs follow (docs/logs.md).
"""

import json
import os


def write_text(path, text):
    """Write ``text`` to ``path`` atomically (UTF-8, ``\\n`` line ends)."""
    partial = str(path) + ".partial"
    try:
        with open(partial, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise


def write_json(path, document):
    """Write ``document`` as JSON to ``path`` atomically."""
    write_text(path, json.dumps(document, indent=None, separators=(",", ":")) + "\n")


def write_files(folder, files):
    """Write several files into ``folder``; each one is renamed into place when whole.

    ``files`` maps a file name to its text. All texts are produced before the
    first write, so an error while building them writes nothing.
    """
    os.makedirs(folder, exist_ok=True)
    for name, text in files.items():
        write_text(os.path.join(folder, name), text)
