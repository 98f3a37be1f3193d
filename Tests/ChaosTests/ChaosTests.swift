import Foundation
import Messages
import Simulation
import Testing

/// Seeded chaos runs (docs/testing.md): every run has the machines' invariant checks
/// on after every stimulus, the log checks, liveness and, for some seeds, determinism.
/// The default run is short; `make chaos N=10000` (env `SCHEDSIM_CHAOS_RUNS`, first
/// seed `SCHEDSIM_CHAOS_SEED`) runs the long one and prints its figures.
@Suite struct ChaosTests {
    struct Tally {
        var runs = 0
        var faults = 0
        var byOutcome: [String: Int] = [:]
        var failures: [String] = []
    }

    /// What one run broke, or nothing. `pair` also runs the case again (byte-identical
    /// logs) and without recording (the same outcome text, as without `--out`).
    static func check(_ chaos: ChaosCase, pair: Bool) -> [String] {
        let result: SimulationResult
        do { result = try chaos.run() } catch { return ["cannot prepare: \(error)"] }
        var problems = result.invariantViolations.map { "invariant: " + $0 }
        problems += LogChecks.problems(result)
        switch result.outcome {
        case .completed:
            break
        case .failed:
            // Without a kill nothing may err or be lost: retire, pause, add and slow are graceful.
            if !chaos.kills { problems.append("failed without a kill: \(result.detail)") }
        case .stalled, .eventLimit, .sampleLimit, .timeLimit:
            if chaos.mustComplete { problems.append("\(result.outcome.rawValue) with a live unpaused worker: \(result.detail)") }
        }
        if !result.lostScatteredKeys.isEmpty && !chaos.kills {
            problems.append("scattered data lost without a kill: \(result.lostScatteredKeys)")
        }
        if pair {
            if let again = try? chaos.run(), LogChecks.bytes(again) != LogChecks.bytes(result) {
                problems.append("not deterministic: the same seed gave different logs")
            }
            if let quiet = try? chaos.run(validate: false, record: false),
               quiet.detail != result.detail || quiet.outcome != result.outcome || quiet.makespan != result.makespan {
                problems.append("without recording: \(quiet.outcome.rawValue): \(quiet.detail) / with: \(result.outcome.rawValue): \(result.detail)")
            }
        }
        return problems
    }

    static func sweep(seeds: Range<UInt64>, pairEvery: UInt64) -> Tally {
        var tally = Tally()
        for seed in seeds {
            let chaos = ChaosCase(seed: seed)
            tally.runs += 1
            tally.faults += chaos.scenario.count
            let problems = check(chaos, pair: seed % pairEvery == 0)
            if !problems.isEmpty {
                tally.failures.append("\(chaos)\n  " + problems.prefix(4).joined(separator: "\n  "))
            }
        }
        return tally
    }

    /// The short fixed-seed run of every `swift test`.
    @Test func shortFixedSeedRun() {
        let tally = Self.sweep(seeds: 1..<201, pairEvery: 10)
        #expect(tally.runs == 200)
        #expect(tally.faults > 400, "the schedules must actually inject faults")
        #expect(tally.failures.isEmpty, "\(tally.failures.count) failing seeds:\n\(tally.failures.prefix(5).joined(separator: "\n"))")
    }

    /// The long run: `make chaos N=10000`. Skipped unless `SCHEDSIM_CHAOS_RUNS` is set.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SCHEDSIM_CHAOS_RUNS"] != nil))
    func longRun() {
        let environment = ProcessInfo.processInfo.environment
        let runs = UInt64(environment["SCHEDSIM_CHAOS_RUNS"] ?? "") ?? 1000
        let first = UInt64(environment["SCHEDSIM_CHAOS_SEED"] ?? "") ?? 1_000_000
        let started = Date()
        let tally = Self.sweep(seeds: first..<(first + runs), pairEvery: 7)
        let seconds = Date().timeIntervalSince(started)
        print("chaos: \(tally.runs) runs (seeds \(first)..<\(first + runs)), \(tally.faults) faults, "
              + "\(tally.failures.count) failing, \(String(format: "%.1f", seconds)) s")
        for failure in tally.failures.prefix(20) { print(failure) }
        #expect(tally.failures.isEmpty, "\(tally.failures.count) failing seeds:\n\(tally.failures.prefix(5).joined(separator: "\n"))")
    }
}

/// `SCHEDSIM_CHAOS_DEBUG=SEED swift test --filter ChaosDebug` prints one case and its logs.
@Suite struct ChaosDebug {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SCHEDSIM_CHAOS_DEBUG"] != nil))
    func printCase() throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["SCHEDSIM_CHAOS_DEBUG"] ?? "") ?? 1
        let chaos = ChaosCase(seed: seed)
        print(chaos)
        for task in chaos.workload.tasks {
            print("  \(task.key) \(task.kind) \(task.duration)s \(task.outputBytes)B <- \(task.dependencies.map { chaos.workload.tasks[$0.index].key })")
        }
        let result = try chaos.run()
        print("\(result.outcome.rawValue): \(result.detail)")
        for problem in ChaosTests.check(chaos, pair: true) { print("PROBLEM \(problem)") }
        let keys = result.keys
        for row in result.transitionRows {
            print("T \(Time.format(row.time)) \(keys[Int(row.task)]) \(row.from)->\(row.to) \(row.stimulus) \(row.worker)")
        }
        for row in result.transferRows {
            print("X \(keys[Int(row.task)]) \(row.from)->\(row.to) \(row.bytes) \(Time.format(row.start))-\(Time.format(row.end))")
        }
        for row in result.taskRows { print("R \(row)") }
    }
}
