"""futures_scatter: 16 scattered 1 MB arrays, ``client.map`` of 240 tasks (~5 ms each, each reading
one scattered array), 60 ``client.submit`` pairs combining two map results, and one final ``submit``
summing them: several ``update-graph`` messages, and scattered data as graph inputs.
"""

import time

import numpy as np

from schedsim_dask.workloads.common import parse_args, record, suite_cluster

ARRAYS, ARRAY_ELEMENTS, MAPPED, PAIRS, SLEEP_S = 16, 125_000, 240, 60, 0.005


def work(array, i):
    time.sleep(SLEEP_S)
    return float(array[i % len(array)]) + i


def pair(a, b):
    time.sleep(SLEEP_S)
    return a + b


def total(*values):
    return sum(values)


if __name__ == "__main__":
    args = parse_args(__doc__)
    record(workload="futures_scatter", arrays=ARRAYS, array_bytes=ARRAY_ELEMENTS * 8, mapped=MAPPED, pairs=PAIRS,
           sleep_ms=SLEEP_S * 1000, saturation=args.saturation)
    with suite_cluster(args.saturation) as client:
        rng = np.random.default_rng(8)
        data = client.scatter([rng.random(ARRAY_ELEMENTS) for _ in range(ARRAYS)])
        mapped = client.map(work, [data[i % ARRAYS] for i in range(MAPPED)], range(MAPPED))
        pairs = [client.submit(pair, mapped[2 * i], mapped[2 * i + 1], key=f"pair-{i:03d}") for i in range(PAIRS)]
        result = client.submit(total, *pairs, key="total").result()
        print(result)
