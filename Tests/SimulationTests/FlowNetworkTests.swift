import Simulation
import Testing

/// Max-min sharing, checked against finish times computed by hand.
@Suite struct FlowNetworkTests {
    /// Runs flows to completion; returns finish time (ns) by tag.
    func finishTimes(_ network: inout FlowNetwork, starts: [(tag: Int, at: Int64, from: Int, to: Int, bytes: Int64, cap: Double)]) -> [Int: Int64] {
        var pending = starts.sorted { $0.at < $1.at }
        var result: [Int: Int64] = [:]
        while !pending.isEmpty || !network.isEmpty {
            let nextStart = pending.first?.at ?? .max
            let nextFinish = network.nextFinish ?? .max
            if nextStart <= nextFinish {
                let s = pending.removeFirst()
                network.start(tag: s.tag, from: s.from, to: s.to, bytes: s.bytes, cap: s.cap, now: s.at)
            } else {
                var done: [Int] = []
                network.finish(upTo: nextFinish, into: &done)
                for tag in done { result[tag] = nextFinish }
            }
        }
        return result
    }

    @Test func twoFlowsShareAnUplink() {
        // Host 0 uplink 100 MB/s; two 100 MB flows to hosts 1 and 2 share it: 50 MB/s each → both end at 2 s.
        var network = FlowNetwork(hosts: 3, uplink: 1e8, downlink: 1e9)
        network.start(tag: 1, from: 0, to: 1, bytes: 100_000_000, cap: 1e9, now: 0)
        #expect(network.rate(of: 1) == 1e8)
        network.start(tag: 2, from: 0, to: 2, bytes: 100_000_000, cap: 1e9, now: 0)
        #expect(network.rate(of: 1) == 5e7)
        #expect(network.rate(of: 2) == 5e7)
        var copy = network
        let times = finishTimes(&copy, starts: [])
        #expect(times == [1: 2_000_000_000, 2: 2_000_000_000])
    }

    @Test func secondFlowJoinsLater() {
        // A: 100 MB from t=0, alone at 100 MB/s for 0.5 s (50 MB done). B: 100 MB joins at 0.5 s.
        // Both at 50 MB/s: A's last 50 MB take 1 s → A ends at 1.5 s, B has 50 MB left,
        // alone again at 100 MB/s → B ends at 2.0 s.
        var network = FlowNetwork(hosts: 3, uplink: 1e8, downlink: 1e9)
        let times = finishTimes(&network, starts: [
            (1, 0, 0, 1, 100_000_000, 1e9),
            (2, 500_000_000, 0, 2, 100_000_000, 1e9),
        ])
        #expect(times == [1: 1_500_000_000, 2: 2_000_000_000])
    }

    @Test func threeFlowsWithDifferentBottlenecks() {
        // Uplinks: host 0 = 90 MB/s, host 3 = 90 MB/s; downlink host 1 = 60 MB/s; others 1 GB/s.
        // A: 0→1 (60 MB), B: 0→2 (120 MB), C: 3→1 (30 MB), all at t=0.
        // Progressive filling: downlink 1 is shared by A and C → 30 MB/s each (binds first);
        // then B is alone on uplink 0 with 90 − 30 = 60 MB/s.
        // C ends at 1 s (30 MB / 30 MB/s). Then A alone on downlink 1: min(60, 90 − 60 = 30 from uplink 0 shared with B)
        // → refill: uplink 0 has A and B: 45 MB/s each; downlink 1 has only A (60) → A = B = 45 MB/s.
        // At 1 s: A has 30 MB left → 30/45 s = 0.666666667 s → A ends at 1.666666667 s (ceil to ns).
        // B at 1 s has 120 − 60 = 60 MB left; until 1.666666667 s it moves 45 MB/s × 0.666666667 s = 30 MB
        // (30,000,000.015 → 30,000,000 whole bytes), leaving 30 MB; alone at 90 MB/s → 0.333333334 s more
        // (ceil of 0.3333333333) → 2.000000001 s.
        var network = FlowNetwork(hosts: 0, uplink: 0, downlink: 0)
        network.addHost(uplink: 9e7, downlink: 1e9)   // host 0
        network.addHost(uplink: 1e9, downlink: 6e7)   // host 1
        network.addHost(uplink: 1e9, downlink: 1e9)   // host 2
        network.addHost(uplink: 9e7, downlink: 1e9)   // host 3
        network.start(tag: 1, from: 0, to: 1, bytes: 60_000_000, cap: 1e12, now: 0)
        network.start(tag: 2, from: 0, to: 2, bytes: 120_000_000, cap: 1e12, now: 0)
        network.start(tag: 3, from: 3, to: 1, bytes: 30_000_000, cap: 1e12, now: 0)
        #expect(network.rate(of: 1) == 3e7)
        #expect(network.rate(of: 3) == 3e7)
        #expect(abs(network.rate(of: 2)! - 6e7) < 1e-3)
        let times = finishTimes(&network, starts: [])
        #expect(times == [3: 1_000_000_000, 1: 1_666_666_667, 2: 2_000_000_001])
    }

    @Test func perFlowCapAndSameHostFlows() {
        // A 10 MB flow capped at 10 MB/s ends at 1 s even on an idle 1 GB/s interface;
        // a same-host flow uses no interface and runs at its cap.
        var network = FlowNetwork(hosts: 2, uplink: 1e9, downlink: 1e9)
        let times = finishTimes(&network, starts: [
            (1, 0, 0, 1, 10_000_000, 1e7),
            (2, 0, 0, 1, 990_000_000, 1e12),
            (3, 0, 1, 1, 4_000_000, 4e6),
        ])
        // Flow 2 gets 1 GB/s − 10 MB/s = 990 MB/s → 1 s as well.
        #expect(times == [1: 1_000_000_000, 2: 1_000_000_000, 3: 1_000_000_000])
    }

    @Test func zeroByteFlowFinishesImmediately() {
        var network = FlowNetwork(hosts: 2, uplink: 1e9, downlink: 1e9)
        network.start(tag: 7, from: 0, to: 1, bytes: 0, cap: 1e9, now: 42)
        #expect(network.nextFinish == 42)
        var done: [Int] = []
        network.finish(upTo: 42, into: &done)
        #expect(done == [7])
        #expect(network.isEmpty)
    }
}
