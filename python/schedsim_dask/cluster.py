"""Starting or reaching the Dask cluster a command runs on, with clear errors."""

import contextlib

import dask

from .errors import BridgeError

# Dask keeps its low-level logs (transition log, transfer logs, events) in
# bounded deques. A capture or replay must not lose entries silently, so the
# bridge raises the bound well above any bundled trace's needs.
LOG_LENGTH = 10_000_000


def log_config():
    """Dask configuration the bridge runs with."""
    return {"distributed.admin.low-level-log-length": LOG_LENGTH}


@contextlib.contextmanager
def open_cluster(scheduler=None, workers=4, threads=2, processes=True, resources=None, timeout=10):
    """Yield a connected ``Client``: to ``scheduler`` if given, else to a new LocalCluster.

    An address that cannot be reached within ``timeout`` seconds is a BridgeError
    naming the address.
    """
    from distributed import Client, LocalCluster

    with dask.config.set(log_config()):
        if scheduler:
            try:
                client = Client(scheduler, timeout=timeout)
            except (OSError, TimeoutError) as error:
                raise BridgeError(
                    f"cannot reach the Dask scheduler at {scheduler} within {timeout} s: {error}"
                ) from None
            try:
                yield client
            finally:
                client.close()
            return
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=threads,
            processes=processes,
            resources=resources or None,
            dashboard_address=":0",  # a free port: never collide with a running cluster
        )
        try:
            client = Client(cluster)
            try:
                client.wait_for_workers(workers, timeout=60)
                yield client
            finally:
                client.close()
        finally:
            cluster.close()


def worker_names(client):
    """Worker address -> schedsim worker name (``worker-<Dask name>``), in address order."""
    info = client.scheduler_info(n_workers=-1)["workers"] if _takes_n_workers(client) else client.scheduler_info()["workers"]
    names = {}
    for address in sorted(info):
        name = info[address].get("name", address)
        names[address] = f"worker-{name}" if isinstance(name, int) or str(name).isdigit() else str(name)
    return names, info


def _takes_n_workers(client):
    import inspect

    return "n_workers" in inspect.signature(client.scheduler_info).parameters
