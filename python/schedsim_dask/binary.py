"""Finding the schedsim binary and using it to read traces of any format.

The bridge does not re-implement schedsim's importers: ``schedsim convert``
turns any supported trace (native, WfCommons, DAX, STG, DOT, a Dask capture)
into a native ``schedsim-trace`` JSON, which is all Python has to read.
"""

import os
import shutil
import subprocess
import tempfile

from .errors import BridgeError

# python/schedsim_dask/binary.py -> the repository root is two folders up from the package.
_REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def find_schedsim():
    """The schedsim executable: ``$SCHEDSIM_BIN``, else the repo's debug or release build, else PATH."""
    explicit = os.environ.get("SCHEDSIM_BIN")
    if explicit:
        if not (os.path.isfile(explicit) and os.access(explicit, os.X_OK)):
            raise BridgeError(f"SCHEDSIM_BIN={explicit}: not an executable file")
        return explicit
    for build in ("debug", "release"):
        candidate = os.path.join(_REPO_ROOT, ".build", build, "schedsim")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    on_path = shutil.which("schedsim")
    if on_path:
        return on_path
    raise BridgeError(
        "cannot find the schedsim binary: set SCHEDSIM_BIN, or build it with "
        "`swift build --product schedsim` in " + _REPO_ROOT
    )


def run_schedsim(args, timeout=600):
    """Run ``schedsim ARGS``; a non-zero exit becomes a BridgeError carrying schedsim's message."""
    binary = find_schedsim()
    try:
        done = subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BridgeError(f"schedsim {' '.join(args)}: no answer after {timeout} s") from None
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip()
        raise BridgeError(message or f"schedsim {' '.join(args)} failed with exit status {done.returncode}")
    return done.stdout


def convert_to_native(trace_path):
    """Read any trace schedsim understands; return the native JSON document (a dict).

    schedsim validates the trace on the way (cycles, unknown dependencies, bad
    sizes), so a trace Dask cannot run is rejected here, before any cluster starts.
    Partial reads (``dependency_bytes``) are split into part tasks
    (``--partial-reads split``), as every schedsim command runs them: a Dask key
    moves whole, so this is the graph both Dask and the simulator can run alike.
    """
    import json

    if not os.path.exists(trace_path):
        raise BridgeError(f"{trace_path}: no such file")
    with tempfile.TemporaryDirectory(prefix="schedsim-dask-") as tmp:
        out = os.path.join(tmp, "native.json")
        run_schedsim(["convert", "--partial-reads", "split", trace_path, out])
        with open(out, encoding="utf-8") as f:
            return json.load(f)
