import Foundation
import Testing
@testable import TraceFormats
import Workload

/// Paths and small helpers for the importer and generator tests.
enum TraceFiles {
    /// The repository root, found from this file's path.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String {
        root.appendingPathComponent("traces").appendingPathComponent(relative).path
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }
}

/// Runs `body`, expecting a `TraceImportError`, and returns its description.
func importErrorText(_ body: () throws -> Void) -> String {
    do {
        try body()
    } catch let error as TraceImportError {
        return error.description
    } catch {
        return "unexpected error type: \(error)"
    }
    return "no error"
}

extension Workload {
    /// Dependency keys of the task with `key`, in order.
    func dependencyKeys(of key: String) -> [String] {
        guard let id = id(forKey: key) else { return ["<no task \(key)>"] }
        return self[id].dependencies.map { self[$0].key }
    }
}

extension Workload {
    /// Edges between two compute tasks: the way SOURCES.md counts edges
    /// (parent links of a workflow), leaving out the links from pure-data
    /// input-file tasks that the importers add.
    var computeEdgeCount: Int {
        tasks.reduce(0) { sum, spec in
            sum + spec.dependencies.filter { self[$0].kind == .compute }.count
        }
    }
}

extension Workload {
    /// Keys of the tasks that depend on the task with `key`, in id order.
    func dependentKeys(of key: String) -> [String] {
        guard let id = id(forKey: key) else { return ["<no task \(key)>"] }
        return dependents[id.index].map { self[$0].key }
    }
}
