import Foundation
import Testing

/// Executes the analysis notebooks on their fixtures (scripts/notebooks.sh --test), so they never
/// rot. The script itself skips, with a message, when the Python packages are missing; this test
/// is skipped then too.
enum Notebooks {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether python3 can import everything the notebooks need.
    static let available: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import nbconvert, nbclient, nbformat, ipykernel, pandas, matplotlib"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()
}

@Suite(.enabled(if: Notebooks.available, "Python notebook packages missing (pip install -r requirements-notebooks.txt); notebook test skipped"))
struct NotebookTests {
    @Test func everyNotebookRunsOnItsFixtures() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Notebooks.root.appendingPathComponent("scripts/notebooks.sh").path, "--test"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "notebooks.sh --test failed:\n\(output)")
        #expect(output.contains("notebooks: 4 passed, 0 failed"), "\(output)")
    }
}
