import Foundation

/// What kind of folder `schedsim report` was given, told from the files in it.
public enum ReportDirectory: Sendable, Equatable {
    /// `schedsim replay --out DIR`: tasks.csv and friends.
    case run(path: String)
    /// `schedsim compare`: summary.csv with a `run_id` column, one row per run.
    case compare(path: String)
    /// `schedsim validate`: validation.csv, with the simulated and the real run's logs in
    /// subfolders (`sim/` and `real/`, or any two subfolders whose names contain those words).
    case validate(path: String, simulated: String?, real: String?)

    /// Looks at the files in `path` (validation.csv wins over a compare summary, which wins over
    /// a single run's tasks.csv).
    public static func detect(_ path: String) throws -> ReportDirectory {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportError.unreadable(file: path, reason: "not a directory")
        }
        let entries = ((try? manager.contentsOfDirectory(atPath: path)) ?? []).sorted()
        let folder = URL(fileURLWithPath: path)
        if entries.contains("validation.csv") {
            let runs = entries.filter { manager.fileExists(atPath: folder.appendingPathComponent($0).appendingPathComponent("tasks.csv").path) }
            let simulated = runs.first { $0 == "sim" } ?? runs.first { $0.lowercased().contains("sim") }
            let real = runs.first { $0 == "real" } ?? runs.first { $0.lowercased().contains("real") || $0.lowercased().contains("exec") }
            return .validate(
                path: path,
                simulated: simulated.map { folder.appendingPathComponent($0).path },
                real: real.map { folder.appendingPathComponent($0).path })
        }
        if entries.contains("summary.csv") {
            let summary = try CSVTable.load(path: folder.appendingPathComponent("summary.csv").path, name: "summary.csv")
            if summary.optionalColumn("run_id") != nil { return .compare(path: path) }
        }
        if entries.contains("tasks.csv") { return .run(path: path) }
        throw ReportError.unknownDirectory(path: path, found: entries)
    }
}
