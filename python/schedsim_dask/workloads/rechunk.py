"""rechunk: 4000×4000 from row panels (100×4000) to column panels (4000×100), then ``.sum(axis=0)``.

An all-to-all: every output chunk takes a piece of every input chunk, so most of the work is
splitting, moving (about half the bytes cross between the two workers) and concatenating.
``array.rechunk.method = "tasks"``: Dask's default here is the P2P rechunk, whose bytes move outside
task dependencies and transfer logs.
"""

import dask.array as da

from schedsim_dask.workloads.common import parse_args, record, suite_cluster

SHAPE, IN_CHUNKS, OUT_CHUNKS = (4000, 4000), (100, 4000), (4000, 100)

if __name__ == "__main__":
    args = parse_args(__doc__)
    record(workload="rechunk", expr="x.rechunk(out_chunks, method='tasks').sum(axis=0)", shape=list(SHAPE),
           in_chunks=list(IN_CHUNKS), out_chunks=list(OUT_CHUNKS), saturation=args.saturation)
    with suite_cluster(args.saturation, config={"array.rechunk.method": "tasks"}):
        x = da.random.default_rng(4).random(SHAPE, chunks=IN_CHUNKS)
        print(x.rechunk(OUT_CHUNKS, method="tasks").sum(axis=0).compute().shape)
