"""map_overlap: a 3×3 mean filter over 4000×4000 in 500×500 chunks (``depth=1``), then ``.sum()``.

Each chunk needs slivers of its eight neighbours: many small ghost-cell tasks and transfers
between the workers, and a filter per chunk.
"""

import dask.array as da
import numpy as np

from schedsim_dask.workloads.common import parse_args, record, suite_cluster

SHAPE, CHUNKS, DEPTH = (4000, 4000), (500, 500), 1


def mean3x3(block):
    out = np.zeros_like(block)
    out[1:-1, 1:-1] = sum(block[1 + i:block.shape[0] - 1 + i, 1 + j:block.shape[1] - 1 + j]
                          for i in (-1, 0, 1) for j in (-1, 0, 1)) / 9.0
    return out


if __name__ == "__main__":
    args = parse_args(__doc__)
    record(workload="map_overlap", expr="x.map_overlap(mean3x3, depth=1, boundary='reflect').sum()",
           shape=list(SHAPE), chunks=list(CHUNKS), depth=DEPTH, saturation=args.saturation)
    with suite_cluster(args.saturation):
        x = da.random.default_rng(3).random(SHAPE, chunks=CHUNKS)
        print(float(x.map_overlap(mean3x3, depth=DEPTH, boundary="reflect").sum().compute()))
