"""df_groupby: ``groupby("name").agg(x mean, y max, id count)`` over ``dask.datasets.timeseries``
(20 days, 1 s rows), ``split_out=4`` through a task-based shuffle (``shuffle_method="tasks"``).

A per-partition aggregation of each day, then a small shuffle of the partial results.
"""

import dask
import dask.datasets

from schedsim_dask.workloads.common import parse_args, record, suite_cluster

START, END, FREQ, PARTITION_FREQ, SEED, SPLIT_OUT = "2000-01-01", "2000-01-21", "1s", "1D", 6, 4

if __name__ == "__main__":
    args = parse_args(__doc__)
    record(workload="df_groupby", expr="ddf.groupby('name').agg({...}, split_out=4, shuffle_method='tasks')",
           start=START, end=END, freq=FREQ, partition_freq=PARTITION_FREQ, seed=SEED, split_out=SPLIT_OUT,
           saturation=args.saturation)
    with suite_cluster(args.saturation, config={"dataframe.shuffle.method": "tasks"}, preload=("numpy", "pandas")):
        ddf = dask.datasets.timeseries(start=START, end=END, freq=FREQ, partition_freq=PARTITION_FREQ, seed=SEED)
        result = ddf.groupby("name").agg({"x": "mean", "y": "max", "id": "count"}, split_out=SPLIT_OUT,
                                         shuffle_method="tasks").compute()
        print(result.shape)
