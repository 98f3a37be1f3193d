"""The capture suite's workload scripts (see traces/dask/suite/README.md).

Each ``<name>.py`` here is a script for ``python -m schedsim_dask capture <name>.py -o OUT --
--saturation {1.1,inf}``; ``SUITE`` lists the runs the ``capture-suite`` command makes.
"""

import os

SATURATIONS = ("1.1", "inf")  # worker-saturation: queuing on (Dask's default), off
HERE = os.path.dirname(os.path.abspath(__file__))

# workload name -> (script, fixed arguments); every entry is captured with each saturation.
SUITE = {
    "array_sum": ("array_sum.py", []),
    "array_mean": ("array_mean.py", []),
    "anomaly_mean": ("anomaly_mean.py", []),
    "map_overlap": ("map_overlap.py", []),
    "rechunk": ("rechunk.py", []),
    "df_shuffle": ("df_shuffle.py", []),
    "df_groupby": ("df_groupby.py", []),
    "df_merge": ("df_merge.py", []),
    "delayed_tree_1ms": ("delayed_tree.py", ["--sleep-ms", "1", "--leaves", "512"]),
    "delayed_tree_10ms": ("delayed_tree.py", ["--sleep-ms", "10", "--leaves", "256"]),
    "delayed_tree_100ms": ("delayed_tree.py", ["--sleep-ms", "100", "--leaves", "64"]),
    "futures_scatter": ("futures_scatter.py", []),
}


def script_path(name):
    return os.path.join(HERE, SUITE[name][0])
