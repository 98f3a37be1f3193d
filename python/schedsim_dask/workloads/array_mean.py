"""array_mean: ``x.mean(axis=0)`` and ``x.mean()`` of a 6000×6000 random array in 500×500 chunks.

144 chunks of 2 MB, tree reductions along axis 0 and overall.
"""

import dask
import dask.array as da

from schedsim_dask.workloads.common import parse_args, record, suite_cluster

SHAPE, CHUNKS = (6000, 6000), (500, 500)

if __name__ == "__main__":
    args = parse_args(__doc__)
    record(workload="array_mean", expr="(x.mean(axis=0), x.mean())", shape=list(SHAPE), chunks=list(CHUNKS),
           saturation=args.saturation)
    with suite_cluster(args.saturation):
        x = da.random.default_rng(1).random(SHAPE, chunks=CHUNKS)
        column_means, mean = dask.compute(x.mean(axis=0), x.mean())
        print(column_means.shape, float(mean))
