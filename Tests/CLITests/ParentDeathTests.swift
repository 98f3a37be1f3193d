import Foundation
import Testing

/// A `scheduler` started with `SCHEDSIM_PARENT_PID` (as `run` starts it) dies when
/// its parent is killed with SIGKILL (Linux PR_SET_PDEATHSIG via CProcessControl).
@Suite(.serialized)
struct ParentDeathTests {
    /// Gone, or a zombie waiting for its new parent to reap it.
    static func isGone(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.range(of: ") ", options: .backwards) else { return true }
        return stat[close.upperBound...].hasPrefix("Z") || stat[close.upperBound...].hasPrefix("X")
    }

    @Test(.timeLimit(.minutes(1)))
    func schedulerDiesWithItsParent() throws {
        #if os(Linux)
        // sh is the parent: it starts the scheduler in the background, prints its pid and waits.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "SCHEDSIM_PARENT_PID=$$ \"$0\" scheduler --listen 127.0.0.1:0 >/dev/null 2>&1 & echo $!; wait",
                           CLI.binary]
        let out = Pipe()
        shell.standardOutput = out
        shell.standardError = FileHandle.nullDevice
        try shell.run()
        defer { if shell.isRunning { kill(shell.processIdentifier, SIGKILL) } }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let child = Int32(text), child > 1 else { Issue.record("no child pid from sh: '\(text)'"); return }
        defer { if !Self.isGone(child) { kill(child, SIGKILL) } }

        // Let the scheduler arm the death signal and bind, and check it runs.
        usleep(500_000)
        #expect(!Self.isGone(child), "the scheduler should be running while its parent lives")
        kill(shell.processIdentifier, SIGKILL)
        shell.waitUntilExit()
        let deadline = Date().addingTimeInterval(5)
        while !Self.isGone(child), Date() < deadline { usleep(20_000) }
        #expect(Self.isGone(child), "the scheduler outlived its SIGKILLed parent")
        #endif
    }
}
