"""anomaly_mean: ``(x - x.mean(axis=0)).std()`` on 8000×4000 in 500×500 chunks.

The classic root-task-queuing graph: every chunk of ``x`` is needed twice (by the column mean and
by the anomaly), so without queuing the workers hold many chunks while the mean waits.
"""

import dask.array as da

from schedsim_dask.workloads.common import parse_args, record, suite_cluster

SHAPE, CHUNKS = (8000, 4000), (500, 500)

if __name__ == "__main__":
    args = parse_args(__doc__)
    record(workload="anomaly_mean", expr="(x - x.mean(axis=0)).std()", shape=list(SHAPE), chunks=list(CHUNKS),
           saturation=args.saturation)
    with suite_cluster(args.saturation):
        x = da.random.default_rng(2).random(SHAPE, chunks=CHUNKS)
        print(float((x - x.mean(axis=0)).std().compute()))
