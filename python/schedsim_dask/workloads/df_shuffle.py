"""df_shuffle: ``dask.datasets.timeseries`` (20 days, 1 s rows, one partition per day) shuffled on
``id`` with ``shuffle_method="tasks"``, then the length of every output partition.

The task-based shuffle (split / group / concat stages) moves about half the rows between the two
workers; the partition-making and splitting tasks run pandas on 86,400-row partitions, the rest are small.
"""

import dask
import dask.datasets

from schedsim_dask.workloads.common import parse_args, record, suite_cluster

START, END, FREQ, PARTITION_FREQ, SEED = "2000-01-01", "2000-01-21", "1s", "1D", 5

if __name__ == "__main__":
    args = parse_args(__doc__)
    record(workload="df_shuffle", expr="ddf.shuffle('id', shuffle_method='tasks').map_partitions(len)",
           start=START, end=END, freq=FREQ, partition_freq=PARTITION_FREQ, seed=SEED, saturation=args.saturation)
    with suite_cluster(args.saturation, config={"dataframe.shuffle.method": "tasks"}, preload=("numpy", "pandas")):
        ddf = dask.datasets.timeseries(start=START, end=END, freq=FREQ, partition_freq=PARTITION_FREQ, seed=SEED)
        lengths = ddf.shuffle("id", shuffle_method="tasks").map_partitions(len).compute()
        print(int(lengths.sum()), len(lengths))
