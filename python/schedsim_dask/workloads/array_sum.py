"""array_sum: ``x.sum()`` of a 4000×4000 random array in 250×250 chunks (256 chunks).

Tiny tasks (0.5 MB chunks generated and summed on the worker); the graph is bound by the
scheduler round trip, not by compute.
"""

import dask.array as da

from schedsim_dask.workloads.common import parse_args, record, suite_cluster

SHAPE, CHUNKS = (4000, 4000), (250, 250)

if __name__ == "__main__":
    args = parse_args(__doc__)
    record(workload="array_sum", expr="x.sum()", shape=list(SHAPE), chunks=list(CHUNKS), saturation=args.saturation)
    with suite_cluster(args.saturation):
        x = da.random.default_rng(0).random(SHAPE, chunks=CHUNKS)
        print(float(x.sum().compute()))
