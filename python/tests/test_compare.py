"""The sim-vs-Dask comparison from two hand-written log folders."""

import pytest

from schedsim_dask.atomic import write_files
from schedsim_dask.compare import HEADER, compare_folders
from schedsim_dask.errors import BridgeError
from schedsim_dask.logs import SUMMARY_HEADER, TASKS_HEADER, TRANSFERS_HEADER, TRANSITIONS_HEADER


def logs(folder, makespan, placements, transfers, queued):
    tasks = [TASKS_HEADER] + [f"{k},{k},{w},0,0,{'' if w == '' else '0.1'},1,0.9,10,0,memory,1" for k, w in placements]
    moves = [TRANSFERS_HEADER] + [",".join(map(str, t)) for t in transfers]
    trans = [TRANSITIONS_HEADER] + [f"0.0,{k},waiting,queued,update-graph-1," for k in queued]
    summary = [SUMMARY_HEADER, f"t,dask,2x1,,dask,{makespan},3,0.5,1,1,0,1,,,1,1,completed,ok"]
    write_files(folder, {n: "\n".join(v) + "\n" for n, v in (
        ("tasks.csv", tasks), ("transfers.csv", moves), ("transitions.csv", trans), ("summary.csv", summary))})


def test_comparison_row(tmp_path):
    sim, real = tmp_path / "sim", tmp_path / "dask"
    # The simulator scattered data task 'd' (no start); Dask ran it as a task on worker-1.
    logs(sim, "2.000000000", [("a", "worker-0"), ("b", "worker-1"), ("c", "worker-0"), ("d", "")],
         [("d", "client-0", "worker-1", 500, 0, 0), ("a", "worker-0", "worker-1", 100, 1, 1.1),
          ("c", "worker-0", "client-0", 10, 2, 2)], ["a", "b"])
    logs(real, "2.500000000", [("a", "worker-0"), ("b", "worker-0"), ("c", "worker-1"), ("d", "worker-1")],
         [("a", "worker-0", "worker-1", 100, 1, 1.2), ("b", "worker-0", "worker-1", 200, 1, 1.2),
          ("c", "worker-1", "client-0", 10, 2, 2)], ["a", "b", "c"])
    text = compare_folders(str(sim), str(real), str(tmp_path / "all.csv"))
    assert text.splitlines() == [HEADER, "t,2x1,2.000,2.500,-0.200,2/1,2/1,100,300,1,1,2,3"]
    # Two keys in one gather (same peers, same start and end) are one transfer.
    assert (tmp_path / "all.csv").read_text() == HEADER + "\n" + text.splitlines()[1] + "\n"


def test_missing_logs_are_named(tmp_path):
    with pytest.raises(BridgeError, match=r"nope/tasks.csv: no such file \(expected schedsim logs in "):
        compare_folders(str(tmp_path / "nope"), str(tmp_path / "nope2"))
