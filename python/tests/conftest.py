import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)
REPO = os.path.dirname(PYTHON_DIR)

sys.path.insert(0, PYTHON_DIR)


@pytest.fixture(scope="session")
def schedsim():
    """The schedsim binary the bridge will use (SCHEDSIM_BIN or the repo's build)."""
    from schedsim_dask.binary import find_schedsim

    return find_schedsim()


def run_cli(*args, timeout=120, env=None):
    """Run ``python -m schedsim_dask ARGS`` in a child process (``env``: extra variables); returns CompletedProcess."""
    env = dict(os.environ, **(env or {}), PYTHONPATH=PYTHON_DIR + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "schedsim_dask", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=PYTHON_DIR)


def write_trace(path, tasks, name="t"):
    with open(path, "w") as f:
        json.dump({"format": "schedsim-trace", "version": 1, "name": name, "tasks": tasks}, f)
    return str(path)
