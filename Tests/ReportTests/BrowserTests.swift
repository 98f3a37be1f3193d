import Foundation
import Testing
@testable import Report

/// Loads reports in headless Chromium (Debian package `chromium`): the page's script must run
/// without errors and draw the expected lanes and bars. Skipped when chromium is not installed.
enum Browser {
    static let path: String? = {
        let candidates = ["chromium", "chromium-browser", "google-chrome"]
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in candidates {
            for directory in directories {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    /// Where screenshots go: $SCHEDSIM_TEST_ARTIFACTS, else .build/test-artifacts in the package.
    static let artifacts: URL = {
        if let custom = ProcessInfo.processInfo.environment["SCHEDSIM_TEST_ARTIFACTS"] {
            return URL(fileURLWithPath: custom)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/test-artifacts")
    }()

    struct Output {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    /// Runs chromium headless with a fresh profile; kills it after 90 s.
    static func run(_ arguments: [String]) throws -> Output {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("schedsim-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path ?? "chromium")
        process.arguments = [
            "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
            "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
        ] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = DispatchTime.now() + .seconds(90)
        DispatchQueue.global().asyncAfter(deadline: deadline) { if process.isRunning { process.terminate() } }
        // Read both pipes on their own threads so a full pipe cannot block chromium.
        let group = DispatchGroup()
        nonisolated(unsafe) var stdoutData = Data(), stderrData = Data()
        DispatchQueue.global().async(group: group) { stdoutData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { stderrData = err.fileHandleForReading.readDataToEndOfFile() }
        group.wait()
        process.waitUntilExit()
        return Output(
            stdout: String(decoding: stdoutData, as: UTF8.self), stderr: String(decoding: stderrData, as: UTF8.self),
            status: process.terminationStatus)
    }

    /// The attributes the page's script wrote into #report-check, read from the dumped DOM.
    static func check(_ dom: String) -> [String: String] {
        guard let start = dom.range(of: "<pre id=\"report-check\""), let close = dom[start.upperBound...].range(of: ">") else { return [:] }
        let tag = dom[start.upperBound..<close.lowerBound]
        var result: [String: String] = [:]
        var rest = Substring(tag)
        while let equals = rest.range(of: "=\"") {
            let name = rest[..<equals.lowerBound].split(separator: " ").last.map(String.init) ?? ""
            guard let endQuote = rest[equals.upperBound...].range(of: "\"") else { break }
            result[name] = String(rest[equals.upperBound..<endQuote.lowerBound])
            rest = rest[endQuote.upperBound...]
        }
        return result
    }

    /// Console errors chromium printed: uncaught exceptions and console.error lines.
    static func consoleErrors(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { line in
            line.contains("CONSOLE") || line.contains("Uncaught")
        }
    }
}

@Suite(.serialized, .enabled(if: Browser.path != nil, "chromium is not installed (apt-get install -y chromium); browser test skipped"))
struct BrowserTests {
    func load(_ folder: URL, screenshot: String? = nil) throws -> [String: String] {
        let page = folder.appendingPathComponent("report.html")
        _ = try Report.write(directory: folder.path, to: page.path)
        let dump = try Browser.run(["--virtual-time-budget=5000", "--dump-dom", page.absoluteString])
        #expect(dump.status == 0, "chromium exited with \(dump.status): \(dump.stderr.suffix(2000))")
        #expect(Browser.consoleErrors(dump.stderr).isEmpty, "console errors: \(Browser.consoleErrors(dump.stderr))")
        if let screenshot {
            try FileManager.default.createDirectory(at: Browser.artifacts, withIntermediateDirectories: true)
            let png = Browser.artifacts.appendingPathComponent(screenshot)
            try? FileManager.default.removeItem(at: png)
            let shot = try Browser.run(["--screenshot=\(png.path)", "--window-size=1400,1600", "--hide-scrollbars", page.absoluteString])
            #expect(shot.status == 0)
            let size = (try? FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "screenshot \(png.path) is \(size) bytes")
        }
        return Browser.check(dump.stdout)
    }

    @Test func singleRunDrawsFourLanesAndSixBarsWithoutErrors() throws {
        let check = try load(Fixtures.smallRun(), screenshot: "report-run.png")
        #expect(check["data-done"] == "yes")
        #expect(check["data-errors"] == "0")
        #expect(check["data-streams"] == "1")
        #expect(check["data-lanes"] == "4")
        #expect(check["data-bars"] == "6")
        #expect(check["data-task-bars"] == "5")
        #expect(check["data-transfer-bars"] == "1")
        #expect(check["data-charts"] == "7")
    }

    @Test func validateDrawsTwoStreams() throws {
        let check = try load(KindFixtures.validateFolder(), screenshot: "report-validate.png")
        #expect(check["data-errors"] == "0")
        #expect(check["data-streams"] == "2")
        #expect(check["data-lanes"] == "4,4")
        #expect(check["data-bars"] == "6,6")
    }

    @Test func compareAndLargeRunsLoad() throws {
        let compare = try load(KindFixtures.compareFolder(), screenshot: "report-compare.png")
        #expect(compare["data-errors"] == "0")
        #expect(compare["data-streams"] == "0")
        let large = try load(Fixtures.generatedRun(count: 50_000, workers: 64, threads: 4))
        #expect(large["data-errors"] == "0")
        #expect(large["data-lanes"] == "256")
        #expect(large["data-bars"] == "0")
        #expect(large["data-aggregated"] == "256")
    }
}
