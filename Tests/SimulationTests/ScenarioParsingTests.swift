import Foundation
import Messages
import Simulation
import Testing

@Suite struct ScenarioParsingTests {
    @Test func eventFlags() throws {
        #expect(try ScenarioEvent.parse(flag: "kill:worker-1@10s", existing: 4) == [ScenarioEvent(time: .seconds(10), action: .kill(worker: "worker-1"))])
        #expect(try ScenarioEvent.parse(flag: "retire:worker-2@250ms", existing: 4) == [ScenarioEvent(time: .milliseconds(250), action: .retire(worker: "worker-2"))])
        #expect(try ScenarioEvent.parse(flag: "slow:worker-0@5*0.5", existing: 4) == [ScenarioEvent(time: .seconds(5), action: .slow(worker: "worker-0", factor: 0.5))])
        let added = try ScenarioEvent.parse(flag: "add:2x4@30s", existing: 4)
        #expect(added.map(\.time) == [.seconds(30), .seconds(30)])
        #expect(added.map(\.action) == [
            .addWorker(ClusterWorker(name: "worker-4", host: "added-host-4", nthreads: 4)),
            .addWorker(ClusterWorker(name: "worker-5", host: "added-host-5", nthreads: 4)),
        ])
    }

    @Test(arguments: [
        ("kill", "--event 'kill': expected KIND:TARGET@TIME, e.g. kill:worker-1@10s"),
        ("kill:worker-1", "--event 'kill:worker-1': expected TARGET@TIME after 'kill:'"),
        ("kill:worker-1@soon", "--event 'kill:worker-1@soon': time 'soon' is not a duration like 10s or 250ms"),
        ("slow:worker-1@5s", "--event 'slow:worker-1@5s': slow needs a positive factor: slow:WORKER@TIME*FACTOR, e.g. slow:worker-0@5s*0.5"),
        ("explode:worker-1@5s", "--event 'explode:worker-1@5s': unknown event 'explode' (known: add, kill, pause, retire, slow, unpause)"),
        ("add:2y4@1s", "--event 'add:2y4@1s': group 1 ('2y4'): expected COUNTxTHREADS like 8x4, got '2y4'"),
    ])
    func eventFlagErrors(flag: String, message: String) {
        do {
            _ = try ScenarioEvent.parse(flag: flag, existing: 1)
            Issue.record("accepted \(flag)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func scenarioFile() throws {
        let json = """
            {"events": [{"time": "10s", "kill": "worker-1"}, {"time": 2, "slow": "worker-0", "factor": 0.25},
                        {"time": "30s", "add_worker": {"name": "extra", "nthreads": 4, "speed": 1.5}}]}
            """
        let events = try ScenarioEvent.parse(json: try JSONSerialization.jsonObject(with: Data(json.utf8)), source: "s.json")
        #expect(events == [
            ScenarioEvent(time: .seconds(10), action: .kill(worker: "worker-1")),
            ScenarioEvent(time: .seconds(2), action: .slow(worker: "worker-0", factor: 0.25)),
            ScenarioEvent(time: .seconds(30), action: .addWorker(ClusterWorker(name: "extra", host: "added-host-2", nthreads: 4, speed: 1.5))),
        ])
    }

    @Test(arguments: [
        (#"{"events": [{"kill": "w"}]}"#, "s.json: $.events[0].time: must be a duration like \"10s\" or a number of seconds >= 0"),
        (#"{"events": [{"time": 1, "kill": "w", "pause": "w"}]}"#, "s.json: $.events[0]: needs exactly one of kill, retire, pause, unpause, slow, add_worker"),
        (#"{"events": [{"time": 1, "slow": "w"}]}"#, "s.json: $.events[0].factor: a slow event needs a positive number 'factor'"),
        (#"{"events": [{"time": 1, "kill": "w", "when": 2}]}"#, "s.json: $.events[0].when: unknown field for a 'kill' event"),
        (#"{"events": [{"time": 1, "add_worker": {"nthreads": 0}}]}"#, "s.json: $.events[0].add_worker: must be a positive integer ($.workers[0].nthreads)"),
    ])
    func scenarioFileErrors(json: String, message: String) throws {
        let root = try JSONSerialization.jsonObject(with: Data(json.utf8))
        do {
            _ = try ScenarioEvent.parse(json: root, source: "s.json")
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description == message)
        }
    }
}
