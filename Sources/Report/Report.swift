import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `schedsim report`: one self-contained HTML page for a folder of logs.
public enum Report {
    /// Renders the folder at `path`, whatever its kind (a replay, a compare or a validate folder).
    public static func render(directory path: String, options: ReportOptions = ReportOptions()) throws -> String {
        let kind = try ReportDirectory.detect(path)
        let name = URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
        switch kind {
        case .run:
            let logs = try RunLogs.load(directory: path, name: name)
            return HTMLPage.page(title: options.title ?? "schedsim run: \(name)", body: RunSection.html(logs: logs, options: options, id: "run"))
        case .compare:
            let table = try CSVTable.load(path: URL(fileURLWithPath: path).appendingPathComponent("summary.csv").path, name: "\(name)/summary.csv")
            let runs = try CompareRuns(table: table)
            return HTMLPage.page(title: options.title ?? "schedsim compare: \(name)", body: CompareSection.html(runs: runs))
        case let .validate(_, simulated, real):
            let table = try CSVTable.load(path: URL(fileURLWithPath: path).appendingPathComponent("validation.csv").path, name: "\(name)/validation.csv")
            let simLogs = try simulated.map { try RunLogs.load(directory: $0) }
            let realLogs = try real.map { try RunLogs.load(directory: $0) }
            return HTMLPage.page(
                title: options.title ?? "schedsim validate: \(name)",
                body: ValidateSection.html(validation: table, simulated: simLogs, real: realLogs, options: options))
        }
    }

    /// Renders and writes atomically: the page goes to `<output>.partial`, then
    /// `rename(2)` puts it in place, replacing a file of that name and nothing else.
    /// An existing directory (`report run -o run`) is refused before anything is
    /// written: the report never deletes what it was asked to draw.
    public static func write(directory path: String, to output: String, options: ReportOptions = ReportOptions()) throws -> Int {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ReportError.unwritable(file: output, reason: "is a directory; give the HTML file to write, e.g. -o \(output)/report.html")
        }
        let html = try render(directory: path, options: options)
        let data = Data(html.utf8)
        let partial = output + ".partial"
        do {
            try data.write(to: URL(fileURLWithPath: partial))
        } catch {
            throw ReportError.unwritable(file: output, reason: "cannot write: \(error.localizedDescription)")
        }
        guard rename(partial, output) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw ReportError.unwritable(file: output, reason: "cannot write: \(reason)")
        }
        return data.count
    }
}
