import ArgumentParser
import Workload

/// `--order`, shared by the commands that run or print the static order.
struct OrderOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Static order of submissions without a recorded order: dask or dfs.",
        discussion: """
            dask (default): an exact port of dask.order.order (dask 2026.8.0). dfs: schedsim's earlier \
            depth-first post-order from the outputs, for studies of ordering itself. A submission whose \
            tasks all carry a recorded order (Dask captures) keeps it either way. See docs/scheduler.md, \
            "Static order".
            """,
        valueName: "method"))
    var order: String = OrderMethod.dask.rawValue

    var method: OrderMethod { OrderMethod(rawValue: order) ?? .dask }

    func validate() throws {
        if OrderMethod(rawValue: order) == nil {
            throw ValidationError("unknown --order '\(order)'; expected \(OrderMethod.allCases.map(\.rawValue).joined(separator: " or "))")
        }
    }

    /// `workload` as the scheduler should order it: unchanged for `dask` (the
    /// scheduler's default), with every unrecorded submission numbered by `dfs` otherwise.
    func applied(to workload: Workload) -> Workload {
        method == .dask ? workload : workload.replacingOrder(workload.staticOrder(method: method))
    }
}
