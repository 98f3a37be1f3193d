"""What every workload script of the capture suite shares: its command line and its cluster.

Every workload runs on ``LocalCluster(n_workers=2, threads_per_worker=1, processes=True)`` with
``distributed.scheduler.worker-saturation`` set by ``--saturation`` (1.1 = root-task queuing on,
Dask's default; inf = queuing off) *before* the cluster starts, because the scheduler reads it once.
Sizes are fixed in each script so the runs of one workload compute the same graph.
"""

import argparse
import contextlib

import dask

from schedsim_dask.workloads import SATURATIONS
N_WORKERS, THREADS_PER_WORKER = 2, 1


def parse_args(description, argv=None, extra=None):
    """``--saturation {1.1,inf}`` (required), plus whatever ``extra(parser)`` adds."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--saturation", required=True, choices=SATURATIONS,
                   help="distributed.scheduler.worker-saturation: 1.1 (queuing on) or inf (queuing off)")
    if extra is not None:
        extra(p)
    return p.parse_args(argv)


def saturation_value(text):
    return "inf" if text == "inf" else float(text)


@contextlib.contextmanager
def suite_cluster(saturation, config=None, preload=("numpy",)):
    """A connected Client on the suite's cluster, with the saturation (and ``config``) in force.

    The workers import ``preload`` before the workload is submitted (through ``client.run``, which
    creates no task), so the first task on each worker does not pay for importing numpy/pandas.
    """
    from distributed import Client, LocalCluster

    settings = {"distributed.scheduler.worker-saturation": saturation_value(saturation), **(config or {})}
    with dask.config.set(settings):
        with LocalCluster(n_workers=N_WORKERS, threads_per_worker=THREADS_PER_WORKER, processes=True,
                          dashboard_address=":0") as cluster, Client(cluster) as client:
            client.wait_for_workers(N_WORKERS, timeout=60)
            modules = tuple(preload)
            client.run(_import_all, modules)
            yield client


def _import_all(modules):
    import importlib

    for name in modules:
        importlib.import_module(name)
    return True


def record(**params):
    """Put the workload's parameters into the capture's ``meta.params`` (no-op outside a capture)."""
    try:
        from schedsim_dask.capture import record_params
    except ImportError:  # run without the bridge: nothing records
        return False
    return record_params(**params)
