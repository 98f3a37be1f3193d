"""What a replayed task does on a Dask worker: spend its duration, return its output size."""

import time


def replay_task(duration, nbytes, mode, *dependencies):
    """Sleep (or spin) for ``duration`` seconds and return ``nbytes`` zero bytes.

    The dependencies are passed in only so that Dask moves them to this worker,
    exactly as the real computation needed them. ``dask.sizeof`` of a ``bytes``
    object is its length, so the scheduler sees ``nbytes`` as the task's size.
    """
    if mode == "spin":
        end = time.perf_counter() + duration
        while time.perf_counter() < end:
            pass
    elif duration > 0:
        time.sleep(duration)
    return bytes(nbytes)
