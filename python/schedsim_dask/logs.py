"""schedsim's CSV logs (docs/logs.md), built from what a real Dask run recorded.

Same files, same columns, same formatting as the simulator writes, with
``backend = dask``. Columns Dask does not expose are left empty ("did not
happen / not known"), never invented; docs/dask-bridge.md lists them.
"""

TASKS_HEADER = "key,prefix,worker,submit,ready,start,end,duration,output_bytes,bytes_fetched,state,attempts"
TRANSITIONS_HEADER = "time,key,from,to,stimulus,worker"
TRANSFERS_HEADER = "key,from_worker,to_worker,bytes,start,end"
WORKERS_HEADER = "time,worker,busy_threads,queued,memory_bytes,occupancy"
SUMMARY_HEADER = (
    "trace,policy,cluster,seed,backend,makespan,tasks,utilisation,transfers,transfer_bytes,"
    "steals,events,wall_seconds,network,critical_path,work_bound,outcome,detail,runtime"
)


def seconds(value):
    """Seconds in fixed notation with nine decimals; None is the empty field."""
    if value is None:
        return ""
    return f"{value:.9f}"


def field(value):
    """One CSV field, quoted as RFC 4180 and docs/logs.md say."""
    text = "" if value is None else str(value)
    if any(c in text for c in ',"\n\r') or text[:1] == " " or text[-1:] == " ":
        return '"' + text.replace('"', '""') + '"'
    return text


def table(header, rows):
    """A whole CSV file: header line, one line per row, ``\\n`` line ends."""
    lines = [header]
    lines.extend(",".join(field(v) for v in row) for row in rows)
    return "\n".join(lines) + "\n"
