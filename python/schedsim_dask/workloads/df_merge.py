"""df_merge: a hash join of ``dask.datasets.timeseries`` (12 days, 1 s rows) with a synthetic
pandas table of one row per ``id`` (8 partitions), ``shuffle_method="tasks"``, ``broadcast=False``,
then the length of every output partition.

Both sides are shuffled on ``id`` (tasks method) and joined partition by partition.
"""

import dask
import dask.dataframe as dd
import dask.datasets
import numpy as np
import pandas as pd

from schedsim_dask.workloads.common import parse_args, record, suite_cluster

START, END, FREQ, PARTITION_FREQ, SEED = "2000-01-01", "2000-01-13", "1s", "1D", 7
IDS, RIGHT_PARTITIONS = 2000, 8

if __name__ == "__main__":
    args = parse_args(__doc__)
    record(workload="df_merge", expr="left.merge(right, on='id', shuffle_method='tasks', broadcast=False)",
           start=START, end=END, freq=FREQ, partition_freq=PARTITION_FREQ, seed=SEED, ids=IDS,
           right_partitions=RIGHT_PARTITIONS, saturation=args.saturation)
    with suite_cluster(args.saturation, config={"dataframe.shuffle.method": "tasks"}, preload=("numpy", "pandas")):
        left = dask.datasets.timeseries(start=START, end=END, freq=FREQ, partition_freq=PARTITION_FREQ, seed=SEED)
        rng = np.random.default_rng(SEED)
        right = dd.from_pandas(pd.DataFrame({"id": np.arange(IDS), "weight": rng.random(IDS),
                                             "group": rng.integers(0, 10, IDS)}), npartitions=RIGHT_PARTITIONS)
        joined = left.merge(right, on="id", how="inner", shuffle_method="tasks", broadcast=False)
        lengths = joined.map_partitions(len).compute()
        print(int(lengths.sum()), len(lengths))
