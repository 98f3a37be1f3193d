import Foundation
import Messages
import Simulation
import Testing
import Workload

/// Issue 18: the sample limit stops a run with its own outcome; a run under it is unchanged.
@Suite struct RunLimitTests {
    static func chain() throws -> Workload {
        try Fixtures.workload([("a", 10, 100, []), ("b", 10, 100, ["a"])])
    }

    @Test func sampleLimitStopsTheRunAndSaysWhichFlag() throws {
        let result = Fixtures.run(try Self.chain(), try Fixtures.cluster("2x1")) {
            $0.sampleInterval = .milliseconds(1)
            $0.sampleLimit = 10
        }
        #expect(result.outcome == .sampleLimit)
        #expect(result.workerRows.count == 10)
        #expect(result.detail == "stopped after 10 workers.csv samples at the sample limit (--sample-limit N raises it, 0 = no limit; or a longer --sample-interval)")
    }

    @Test func aRunUnderTheLimitsIsTheSameAsWithout() throws {
        let free = Fixtures.run(try Self.chain(), try Fixtures.cluster("2x1"))
        let limited = Fixtures.run(try Self.chain(), try Fixtures.cluster("2x1")) {
            $0.sampleLimit = SimulationLimits.defaultSampleLimit
            $0.eventLimit = SimulationLimits.defaultEventLimit
        }
        #expect(free.outcome == .completed && limited.outcome == .completed)
        #expect(free.makespan == limited.makespan && free.events == limited.events && free.workerRows.count == limited.workerRows.count)
    }

    @Test func slowFactorsOutsideTheSpeedLimitsAreRefused() {
        #expect(throws: ScenarioSpecError.self) { try ScenarioEvent.parse(flag: "slow:worker-0@1s*1e-300", existing: 1) }
        #expect(throws: ScenarioSpecError.self) { try ScenarioEvent.parse(flag: "slow:worker-0@1s*1e6", existing: 1) }
        #expect((try? ScenarioEvent.parse(flag: "slow:worker-0@1s*0.5", existing: 1)) != nil)
    }
}
