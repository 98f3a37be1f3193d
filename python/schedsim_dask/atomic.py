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


def write_bytes(path, data):
    """Write ``data`` (bytes) to ``path`` atomically."""
    partial = str(path) + ".partial"
    try:
        with open(partial, "wb") as f:
            f.write(data)
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise


def write_json(path, document):
    """Write ``document`` as JSON to ``path`` atomically; a path ending in ``.gz`` is gzip-compressed
    (no file name, mtime 0, so the same document gives the same bytes; schedsim reads it as is).

    JSON has no infinity or NaN: a document holding one is a ValueError, not an unreadable file.
    """
    text = json.dumps(document, indent=None, separators=(",", ":"), allow_nan=False) + "\n"
    if str(path).endswith(".gz"):
        import gzip

        write_bytes(path, gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    else:
        write_text(path, text)


def write_files(folder, files):
    """Write several files into ``folder``; each one is renamed into place when whole.

    ``files`` maps a file name to its text. All texts are produced before the
    first write, so an error while building them writes nothing.
    """
    os.makedirs(folder, exist_ok=True)
    for name, text in files.items():
        write_text(os.path.join(folder, name), text)


def read_json(path):
    """Read a JSON file, gzip-compressed or not (recognised by its magic number, as schedsim does)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        import gzip

        data = gzip.decompress(data)
    return json.loads(data.decode("utf-8"))
