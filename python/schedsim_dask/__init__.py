"""schedsim_dask: the bridge between schedsim and real Dask.

* ``capture``  — record a real Dask computation as a ``dask-trace`` file schedsim imports;
* ``replay``   — run any schedsim trace on dask.distributed and write schedsim's CSV logs;
* ``compare``  — compare a simulated run's logs with a real Dask run's logs;
* ``capture-suite`` / ``calibrate`` — the capture suite (``workloads/``) and the calibration
  micro-benchmarks, captures for schedsim's runtime-cost model.
"""

from .errors import BridgeError
from .capture import capture  # noqa: E402  (the function, not the module of the same name)
from .replay import replay  # noqa: E402

__version__ = "0.1.0"

__all__ = ["BridgeError", "capture", "replay"]
