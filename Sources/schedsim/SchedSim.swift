import ArgumentParser

/// The `schedsim` command: one subcommand per task (inspect, check, convert, replay, ...).
@main
struct SchedSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedsim",
        abstract: "Deterministic simulation of Dask-style task scheduling.",
        discussion: """
            schedsim reads workload traces (task graphs with durations and output sizes), \
            replays them against the Dask scheduler state machine on a simulated cluster, \
            and writes CSV logs.

            Examples:
              schedsim info traces/diamond.json
              schedsim check traces/*.json
            """,
        version: "0.1.0",
        subcommands: [
            Info.self, Check.self, Convert.self, Generate.self, ReplayCommand.self, CompareCommand.self, MergeCommand.self, CalibrateCommand.self,
            ReportCommand.self, OrderCommand.self,
            SchedulerCommand.self, WorkerCommand.self, SubmitCommand.self, RunCommand.self, ValidateCommand.self,
        ]
    )
}
