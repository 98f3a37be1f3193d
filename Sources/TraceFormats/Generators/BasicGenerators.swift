import Workload

/// Map-reduce, a bag of independent tasks, layered random DAGs and fork-join.
/// Durations and sizes draw from the request's distributions.
enum BasicGenerators {
    // MARK: map-reduce

    /// `mappers` map tasks, each writing one output (size drawn) split evenly
    /// among `reducers` reduce tasks; every reducer reads its share of every
    /// map output (per-edge bytes), so the graph is a complete bipartite one.
    static func mapReduce(_ request: GeneratorRequest) throws(GeneratorError) -> Workload {
        var params = ParameterReader(request)
        let mappers = try params.int("mappers", default: 16, in: 1...1_000_000)
        let reducers = try params.int("reducers", default: 4, in: 1...1_000_000)
        try params.finish()
        try GraphAssembler.checkSize(mappers + reducers, request.kind)
        if mappers * reducers > 50_000_000 {
            throw GeneratorError("\(request.kind): \(mappers) × \(reducers) edges is more than the limit of 50000000")
        }
        var g = GraphAssembler(request)
        let map = "map-" + DaskToken.make(request, "map")
        let reduce = "reduce-" + DaskToken.make(request, "reduce")
        var outputs: [Int64] = []
        for i in 0..<mappers {
            outputs.append(g.drawSize())
            g.add(tupleKey(map, i), duration: g.drawDuration(), output: outputs[i])
        }
        let mapKeys = (0..<mappers).map { tupleKey(map, $0) }
        for j in 0..<reducers {
            // Reducer j's share of each output; the shares of one output add up to it.
            let shares = outputs.map { $0 / Int64(reducers) + (Int64(j) < $0 % Int64(reducers) ? 1 : 0) }
            g.add(tupleKey(reduce, j), duration: g.drawDuration(), output: g.drawSize(),
                  dependencies: mapKeys, dependencyBytes: shares)
        }
        return try g.build()
    }

    // MARK: bag

    /// An embarrassingly parallel dask.bag: `partitions` independent chains
    /// `from_sequence -> map (-> map ...)` of `steps` map steps (default 1).
    static func bag(_ request: GeneratorRequest) throws(GeneratorError) -> Workload {
        var params = ParameterReader(request)
        let partitions = try params.int("partitions", default: 100, in: 1...GraphAssembler.maximumTasks)
        let steps = try params.int("steps", default: 1, in: 0...1_000)
        try params.finish()
        try GraphAssembler.checkSize(partitions * (steps + 1), request.kind)
        var g = GraphAssembler(request)
        let source = "from_sequence-" + DaskToken.make(request, "from_sequence")
        let maps = (0..<steps).map { "map-" + DaskToken.make(request, "map-\($0)") }
        for i in 0..<partitions {
            var previous = tupleKey(source, i)
            g.add(previous, duration: g.drawDuration(), output: g.drawSize())
            for name in maps {
                let key = tupleKey(name, i)
                g.add(key, duration: g.drawDuration(), output: g.drawSize(), dependencies: [previous])
                previous = key
            }
        }
        return try g.build()
    }

    // MARK: layered

    /// A layered random DAG (as in many list-scheduling papers): `tasks` tasks
    /// spread evenly over `layers` layers (the first `tasks % layers` layers get
    /// one more); each task after the first layer depends on each task of the
    /// previous layer (or, with `connect=all`, of every earlier layer) with
    /// probability `edge-probability`, and on one uniformly chosen task of the
    /// previous layer if no coin came up, so every layer is reachable.
    static func layered(_ request: GeneratorRequest) throws(GeneratorError) -> Workload {
        var params = ParameterReader(request)
        let tasks = try params.int("tasks", default: 100, in: 1...GraphAssembler.maximumTasks)
        let layers = try params.int("layers", default: 10, in: 1...GraphAssembler.maximumTasks)
        let p = try params.double("edge-probability", default: 0.3, in: 0...1)
        let connect = try params.choice("connect", default: "previous", from: ["previous", "all"])
        try params.finish()
        guard layers <= tasks else {
            throw GeneratorError("\(request.kind): layers=\(layers) is more than tasks=\(tasks)")
        }
        // Every candidate pair costs a coin flip; refuse shapes that would take hours.
        let width = Double(tasks) / Double(layers)
        let pairs = connect == "all" ? Double(tasks) * Double(tasks) / 2 : width * Double(tasks)
        if pairs > 200_000_000 {
            throw GeneratorError("\(request.kind): tasks=\(tasks) over layers=\(layers) gives about \(Int(pairs)) candidate edges, more than the limit of 200000000; use more layers")
        }
        var g = GraphAssembler(request)
        let name = "task-" + DaskToken.make(request, "task")
        var layerKeys: [[String]] = []
        for l in 0..<layers {
            let width = tasks / layers + (l < tasks % layers ? 1 : 0)
            var keys: [String] = []
            for i in 0..<width {
                var deps: [String] = []
                if l > 0 {
                    let candidates = connect == "all" ? Array(layerKeys.joined()) : layerKeys[l - 1]
                    for candidate in candidates where g.structure.uniform() < p { deps.append(candidate) }
                    if deps.isEmpty {
                        deps.append(layerKeys[l - 1][g.structure.uniformInt(below: layerKeys[l - 1].count)])
                    }
                }
                let key = tupleKey(name, l, i)
                g.add(key, duration: g.drawDuration(), output: g.drawSize(), dependencies: deps)
                keys.append(key)
            }
            layerKeys.append(keys)
        }
        return try g.build()
    }

    // MARK: fork-join

    /// `stages` rounds of fork-join: a `fork` task, `width` parallel `work`
    /// tasks depending on it, and a `join` task depending on all of them; the
    /// join of one stage is the fork of the next.
    static func forkJoin(_ request: GeneratorRequest) throws(GeneratorError) -> Workload {
        var params = ParameterReader(request)
        let width = try params.int("width", default: 10, in: 1...GraphAssembler.maximumTasks)
        let stages = try params.int("stages", default: 3, in: 1...GraphAssembler.maximumTasks)
        try params.finish()
        try GraphAssembler.checkSize(1 + stages * (width + 1), request.kind)
        var g = GraphAssembler(request)
        let fork = "fork-" + DaskToken.make(request, "fork")
        let work = "work-" + DaskToken.make(request, "work")
        let join = "join-" + DaskToken.make(request, "join")
        var previous = tupleKey(fork, 0)
        g.add(previous, duration: g.drawDuration(), output: g.drawSize())
        for s in 0..<stages {
            var parallel: [String] = []
            for i in 0..<width {
                let key = tupleKey(work, s, i)
                g.add(key, duration: g.drawDuration(), output: g.drawSize(), dependencies: [previous])
                parallel.append(key)
            }
            previous = tupleKey(join, s)
            g.add(previous, duration: g.drawDuration(), output: g.drawSize(), dependencies: parallel)
        }
        return try g.build()
    }
}
