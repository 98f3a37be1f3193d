import Testing
import Workload
@testable import TraceFormats

/// Test fixtures live next to this file, in `Fixtures/`.
enum Fixtures {
    static let directory: String = {
        let file = #filePath
        return String(file[..<file.lastIndex(of: "/")!]) + "/Fixtures"
    }()

    static func path(_ name: String) -> String { directory + "/" + name }

    static func bytes(_ name: String) throws -> [UInt8] { try TraceFile.readRawBytes(path: path(name)) }

    /// The issues `name` must be rejected with.
    static func issues(_ name: String) -> [WorkloadIssue] {
        do {
            _ = try TraceLoader.load(path: path(name))
            Issue.record("\(name) loaded without error")
            return []
        } catch let error as WorkloadValidationError {
            return error.issues
        } catch {
            Issue.record("\(name): unexpected error \(error)")
            return []
        }
    }

    /// The message of the fatal (non-validation) error `name` must be rejected with.
    static func fatalError(_ name: String) -> String? {
        do {
            _ = try TraceLoader.load(path: path(name))
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// A fresh empty directory for files a test writes.
    static func temporaryDirectory(_ label: String) -> String {
        let dir = "/tmp/schedsim-tests-\(label)-\(UInt32.random(in: 0...UInt32.max))"
        _ = dir.withCString { mkdir($0, 0o755) }
        return dir
    }
}

/// Every part of two workloads that a trace file carries (not `source` or origins).
func expectSameWorkload(_ a: Workload, _ b: Workload, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.name == b.name, sourceLocation: sourceLocation)
    #expect(a.metadata == b.metadata, sourceLocation: sourceLocation)
    #expect(a.tasks == b.tasks, sourceLocation: sourceLocation)
    #expect(a.submissions == b.submissions, sourceLocation: sourceLocation)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
