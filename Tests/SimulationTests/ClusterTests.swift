import Foundation
import Simulation
import Testing

@Suite struct ClusterTests {
    @Test func compactFlag() throws {
        let cluster = try Cluster.parse(flag: "2x4@2.0,1x8:mem=4GiB")
        #expect(cluster.workers.map(\.name) == ["worker-0", "worker-1", "worker-2"])
        #expect(cluster.workers.map(\.nthreads) == [4, 4, 8])
        #expect(cluster.workers.map(\.speed) == [2.0, 2.0, 1.0])
        #expect(cluster.workers.map(\.memoryLimit) == [0, 0, 4 * 1_073_741_824])
        #expect(cluster.hosts == ["host-0", "host-1", "host-2"])
        #expect(cluster.totalThreads == 16)
        #expect(cluster.linkClass(0, 1) == .sameRack)
        #expect(cluster.linkClass(1, 1) == .sameHost)
    }

    @Test func workersPerHostAndRacks() throws {
        let cluster = try Cluster.parse(flag: "4x2:perhost=2,2x2:rack=b")
        #expect(cluster.hostOfWorker == [0, 0, 1, 1, 2, 3])
        #expect(cluster.racks == ["rack-0", "b"])
        #expect(cluster.linkClass(0, 1) == .sameRack)
        #expect(cluster.linkClass(1, 2) == .crossRack)
    }

    @Test(arguments: [
        ("8", "group 1 ('8'): expected COUNTxTHREADS like 8x4, got '8'"),
        ("0x4", "group 1 ('0x4'): worker count '0' is not a positive integer"),
        ("2x4,2xq", "group 2 ('2xq'): threads per worker 'q' is not a positive integer"),
        ("2x4@fast", "group 1 ('2x4@fast'): speed 'fast' is not a positive number"),
        ("2x4@-1", "group 1 ('2x4@-1'): speed '-1' is not a positive number"),
        ("2x4:mem=lots", "group 1 ('2x4:mem=lots'): memory 'lots' is not a size like 4GiB"),
        ("2x4:gpu=1", "group 1 ('2x4:gpu=1'): unknown option 'gpu' (known: mem, perhost, rack)"),
        ("2x4,", "group 2 (''): empty group; expected COUNTxTHREADS like 8x4"),
    ])
    func flagErrorsNameThePart(flag: String, message: String) {
        do {
            _ = try Cluster.parse(flag: flag)
            Issue.record("accepted \(flag)")
        } catch {
            #expect(error.description == "--cluster '\(flag)': \(message)")
        }
    }

    @Test func clusterFileWithRacksResourcesAndNetwork() throws {
        let json = """
            {"workers": [
                {"count": 2, "nthreads": 8, "speed": 2, "memory_limit": "16GiB", "host": "big", "rack": "a",
                 "resources": {"GPU": 2}, "name": "gpu"},
                {"count": 2, "nthreads": 4, "rack": "b"}
             ],
             "network": {"model": "maxmin", "same_rack": {"latency": "50us", "bandwidth": "10Gbit/s"},
                         "host_uplink": "1GB/s", "host_downlink": 2e9}}
            """
        let root = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let cluster = try Cluster.parse(json: root, source: "c.json")
        #expect(cluster.workers.map(\.name) == ["gpu-0", "gpu-1", "worker-2", "worker-3"])
        #expect(cluster.workers.map(\.host) == ["big", "big", "host-0", "host-1"])
        #expect(cluster.racks == ["a", "b"])
        #expect(cluster.workers[0].resources.map(\.name) == ["GPU"])
        #expect(cluster.workers[0].memoryLimit == 16 * 1_073_741_824)
        #expect(cluster.linkClass(cluster.hostOfWorker[0], cluster.hostOfWorker[1]) == .sameHost)
        #expect(cluster.linkClass(cluster.hostOfWorker[1], cluster.hostOfWorker[2]) == .crossRack)
        #expect(cluster.network.model == .maxmin)
        #expect(cluster.network.sameRack == LinkParameters(latency: 50_000, bandwidth: 1.25e9))
        #expect(cluster.network.hostUplink == 1e9)
        #expect(cluster.network.hostDownlink == 2e9)
        #expect(cluster.network.crossRack == NetworkConfig().crossRack)
    }

    @Test(arguments: [
        (#"[1]"#, "c.json: $: expected a JSON object"),
        (#"{"workers": []}"#, "c.json: $.workers: expected a non-empty array of worker groups"),
        (#"{"workers": [{"count": 2}]}"#, "c.json: $.workers[0].nthreads: missing (threads per worker)"),
        (#"{"workers": [{"nthreads": 2}, {"nthreads": 0}]}"#, "c.json: $.workers[1].nthreads: must be a positive integer"),
        (#"{"workers": [{"nthreads": 2, "speed": "x"}]}"#, "c.json: $.workers[0].speed: must be a positive number"),
        (#"{"workers": [{"nthreads": 2, "cores": 3}]}"#, "c.json: $.workers[0].cores: unknown field (known: count, host, memory_limit, name, nthreads, rack, resources, speed)"),
        (#"{"workers": [{"nthreads": 2}], "network": {"model": "fast"}}"#, "c.json: $.network.model: must be \"simple\" or \"maxmin\""),
        (#"{"workers": [{"nthreads": 2}], "network": {"same_host": {"latency": "soon"}}}"#, "c.json: $.network.same_host.latency: must be a duration like \"100us\""),
        (#"{"workers": [{"nthreads": 1, "host": "h", "rack": "a"}, {"nthreads": 1, "host": "h", "rack": "b"}]}"#, "c.json: $.workers[1].rack: host 'h' is already in rack 'a'"),
    ])
    func fileErrorsNameTheJSONPath(json: String, message: String) throws {
        let root = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        do {
            _ = try Cluster.parse(json: root, source: "c.json")
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description == message)
        }
    }

    /// The YAML spelling of a cluster file gives exactly the cluster its JSON twin gives.
    @Test func yamlClusterFileEqualsItsJSONTwin() throws {
        let yaml = """
            workers:
              - {count: 2, nthreads: 8, speed: 2, memory_limit: 16GiB, host: big, rack: a, resources: {GPU: 2}, name: gpu}
              - count: 2
                nthreads: 4
                rack: b
            network:
              model: maxmin
              same_rack: {latency: 50us, bandwidth: 10Gbit/s}
              host_uplink: 1GB/s
              host_downlink: 2e9
            """
        let json = """
            {"workers": [
                {"count": 2, "nthreads": 8, "speed": 2, "memory_limit": "16GiB", "host": "big", "rack": "a",
                 "resources": {"GPU": 2}, "name": "gpu"},
                {"count": 2, "nthreads": 4, "rack": "b"}],
             "network": {"model": "maxmin", "same_rack": {"latency": "50us", "bandwidth": "10Gbit/s"},
                         "host_uplink": "1GB/s", "host_downlink": 2e9}}
            """
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schedsim-cluster-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let yamlPath = dir.appendingPathComponent("c.yaml").path
        let jsonPath = dir.appendingPathComponent("c.json").path
        try yaml.write(toFile: yamlPath, atomically: true, encoding: .utf8)
        try json.write(toFile: jsonPath, atomically: true, encoding: .utf8)
        let fromYAML = try Cluster.load(file: yamlPath)
        let fromJSON = try Cluster.load(file: jsonPath)
        #expect(fromYAML.workers == fromJSON.workers)
        #expect(fromYAML.network == fromJSON.network)
        #expect(fromYAML.workers.map(\.name) == ["gpu-0", "gpu-1", "worker-2", "worker-3"])
        #expect(fromYAML.network.sameRack == LinkParameters(latency: 50_000, bandwidth: 1.25e9))

        try "workers: [nthreads: 2".write(toFile: yamlPath, atomically: true, encoding: .utf8)
        do {
            _ = try Cluster.load(file: yamlPath)
            Issue.record("accepted broken YAML")
        } catch {
            #expect(error.description.hasPrefix("\(yamlPath): not valid YAML"))
        }
        try "workers:\n  - {nthreads: 0}\n".write(toFile: yamlPath, atomically: true, encoding: .utf8)
        do {
            _ = try Cluster.load(file: yamlPath)
            Issue.record("accepted nthreads 0")
        } catch {
            #expect(error.description == "\(yamlPath): $.workers[0].nthreads: must be a positive integer")
        }
    }

    @Test func unreadableFile() {
        do {
            _ = try Cluster.load(file: "/nonexistent/cluster.json")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.description == "/nonexistent/cluster.json: cannot read the file")
        }
    }

    @Test func units() {
        #expect(Units.bytes("4GiB") == 4_294_967_296)
        #expect(Units.bytes("1.5kB") == 1500)
        #expect(Units.bytes("100") == 100)
        #expect(Units.bytes("4 parsecs") == nil)
        #expect(Units.duration("10us") == 10_000)
        #expect(Units.duration("1.5ms") == 1_500_000)
        #expect(Units.duration("2") == 2_000_000_000)
        #expect(Units.duration("-1s") == nil)
        #expect(Units.bandwidth("10Gbit/s") == 1.25e9)
        #expect(Units.bandwidth("100MB/s") == 1e8)
        #expect(Units.bandwidth("1e9") == 1e9)
        #expect(Units.bandwidth("0MB/s") == nil)
    }
}
