"""delayed_tree: ``--leaves`` leaf tasks and a binary tree of combines, every task sleeping
``--sleep-ms`` milliseconds and returning 100 kB, so task durations are known by construction.

The suite runs it with 1 ms × 512 leaves, 10 ms × 256 leaves and 100 ms × 64 leaves.
"""

import time

import dask

from schedsim_dask.workloads.common import parse_args, record, suite_cluster

OUTPUT_BYTES = 100_000


def leaf(i, seconds):
    time.sleep(seconds)
    return bytes(OUTPUT_BYTES)


def combine(a, b, seconds):
    time.sleep(seconds)
    return bytes(OUTPUT_BYTES)


def tree(leaves, seconds):
    layer = [dask.delayed(leaf)(i, seconds, dask_key_name=f"leaf-{i:04d}") for i in range(leaves)]
    level = 0
    while len(layer) > 1:
        level += 1
        nxt = [dask.delayed(combine)(layer[i], layer[i + 1], seconds, dask_key_name=f"combine-L{level}-{i // 2:04d}")
               for i in range(0, len(layer) - 1, 2)]
        if len(layer) % 2:
            nxt.append(layer[-1])
        layer = nxt
    return layer[0]


def extra(p):
    p.add_argument("--sleep-ms", type=float, required=True, help="each task's sleep, milliseconds")
    p.add_argument("--leaves", type=int, required=True, help="number of leaf tasks (at least 2)")


if __name__ == "__main__":
    args = parse_args(__doc__, extra=extra)
    if args.leaves < 2 or args.sleep_ms < 0:
        raise SystemExit("delayed_tree: --leaves must be at least 2 and --sleep-ms not negative")
    record(workload=f"delayed_tree_{args.sleep_ms:g}ms", leaves=args.leaves, sleep_ms=args.sleep_ms,
           output_bytes=OUTPUT_BYTES, saturation=args.saturation)
    with suite_cluster(args.saturation, preload=()):
        print(len(tree(args.leaves, args.sleep_ms / 1000).compute()))
