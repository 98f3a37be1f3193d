"""schedsim_dask: the bridge between schedsim and real Dask.

* ``capture``  — record a real Dask computation as a ``dask-trace`` file schedsim imports;
* ``replay``   — run any schedsim trace on dask.distributed and write schedsim's CSV logs;
* ``compare``  — compare a simulated run's logs with a real Dask run's logs.
"""

from .errors import BridgeError

__version__ = "0.1.0"

__all__ = ["BridgeError", "capture", "replay"]


def __getattr__(name):
    # Import lazily so that `python -m schedsim_dask --help` stays quick.
    if name == "capture":
        from .capture import capture

        return capture
    if name == "replay":
        from .replay import replay

        return replay
    raise AttributeError(name)
