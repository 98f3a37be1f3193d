/// The pictures of one run: summary and lower bounds, task stream, progress, workers, network.
enum RunSection {
    static func html(logs: RunLogs, options: ReportOptions, id: String, end: Double? = nil, sync: String? = nil) -> String {
        let end = end ?? logs.endTime
        let threads = logs.summaryValue("cluster").flatMap(threadsFromClusterSpec) ?? [:]
        let stream = TaskStream(logs: logs, threadsPerWorker: threads)
        var html = ""

        html += "<h2>Summary</h2>" + summaryTable(logs)
        html += lowerBounds(logs)

        let taskBars = stream.taskBarCount
        let aggregate = taskBars > options.maxBars
        html += "<h2>Task stream</h2>"
        if aggregate {
            html += "<p class=\"note\">\(taskBars) task bars are more than \(options.maxBars): each lane shows the fraction of time its thread was busy in \(options.streamBuckets) time slices instead of one bar per task (transfers are in the bytes-in-flight chart).</p>"
        } else {
            html += "<p class=\"note\">One lane per worker thread, one bar per task coloured by prefix; transfers in red on the receiving worker, on the lane of the task that waited for them. Hover for details; wheel to zoom, drag to pan, double-click to reset.</p>"
        }
        html += stream.html(logs: logs, id: id + "-stream", end: end, aggregateBuckets: aggregate ? options.streamBuckets : nil, sync: sync ?? id)
        html += prefixLegend(stream: stream, logs: logs)
        var notes: [String] = []
        if stream.transfersToClients > 0 { notes.append("\(stream.transfersToClients) transfers to clients (gathers) are not drawn: a client has no lane.") }
        let unplaced = logs.tasks.count - taskBars
        if unplaced > 0 { notes.append("\(unplaced) tasks have no bar (never ran on a worker, e.g. scattered data or released before running).") }
        if !notes.isEmpty { html += "<p class=\"note\">" + notes.map(SVGText.escape).joined(separator: " ") + "</p>" }

        html += progress(logs, end: end, buckets: options.chartBuckets)
        html += workers(logs, stream: stream, end: end, buckets: options.chartBuckets)
        html += network(logs, end: end, buckets: options.chartBuckets)
        if !logs.missingFiles.isEmpty {
            html += "<p class=\"note\">Not in this folder: \(SVGText.escape(logs.missingFiles.joined(separator: ", "))).</p>"
        }
        return html
    }

    static func summaryTable(_ logs: RunLogs) -> String {
        guard !logs.summary.isEmpty else {
            let ran = logs.tasks.filter { $0.end != nil }.count
            return "<p class=\"note\">No summary.csv. \(logs.tasks.count) tasks, \(ran) ran; last event at \(SVGText.escape(SVGText.seconds(logs.endTime))).</p>"
        }
        if logs.summary.count == 1 {
            // One run: a column per line reads better than a table wider than the page.
            var html = "<table class=\"summary\">"
            for (column, value) in logs.summary[0] {
                let cell = Double(value) != nil ? "<td class=\"n\">" : "<td>"
                html += "<tr><th>\(SVGText.escape(column))</th>\(cell)\(SVGText.escape(value))</td></tr>"
            }
            return html + "</table>"
        }
        var html = "<table><tr>"
        for (column, _) in logs.summary[0] { html += "<th>\(SVGText.escape(column))</th>" }
        html += "</tr>"
        for row in logs.summary {
            html += "<tr>"
            for (_, value) in row {
                html += Double(value) != nil ? "<td class=\"n\">\(SVGText.escape(value))</td>" : "<td>\(SVGText.escape(value))</td>"
            }
            html += "</tr>"
        }
        return html + "</table>"
    }

    /// Makespan against the two lower bounds of summary.csv.
    static func lowerBounds(_ logs: RunLogs) -> String {
        guard let makespan = logs.summaryValue("makespan").flatMap(Double.init) else { return "" }
        let critical = logs.summaryValue("critical_path").flatMap(Double.init)
        let work = logs.summaryValue("work_bound").flatMap(Double.init)
        guard critical != nil || work != nil else { return "" }
        var html = "<h3>Lower bounds</h3><table><tr><th>bound</th><th>seconds</th><th>makespan / bound</th></tr>"
        func row(_ name: String, _ value: Double?) {
            guard let value else { return }
            let ratio = value > 0 ? SVGText.number(makespan / value, digits: 3) : "–"
            html += "<tr><td>\(name)</td><td class=\"n\">\(SVGText.number(value, digits: 6))</td><td class=\"n\">\(ratio)</td></tr>"
        }
        row("critical path (speed 1, free communication)", critical)
        row("total work / total threads", work)
        let best = max(critical ?? 0, work ?? 0)
        html += "</table>"
        if best > 0 {
            html += "<p>Makespan \(SVGText.number(makespan, digits: 6)) s is \(SVGText.number(makespan / best, digits: 3))× the larger bound (\(SVGText.number(best, digits: 6)) s).</p>"
        }
        return html
    }

    static func prefixLegend(stream: TaskStream, logs: RunLogs) -> String {
        var counts = [Int](repeating: 0, count: stream.prefixes.count)
        var seconds = [Double](repeating: 0, count: stream.prefixes.count)
        for (row, task) in logs.tasks.enumerated() {
            counts[stream.prefixIndex[row]] += 1
            if let start = task.start, let end = task.end { seconds[stream.prefixIndex[row]] += end - start }
        }
        var html = "<div class=\"legend\">"
        for (index, prefix) in stream.prefixes.enumerated().prefix(60) {
            html += "<span title=\"\(counts[index]) tasks, \(SVGText.escape(SVGText.seconds(seconds[index]))) of compute\"><i style=\"background:\(Palette.prefix(index))\"></i>\(SVGText.escape(prefix)) (\(counts[index]))</span>"
        }
        if stream.prefixes.count > 60 { html += "<span>… \(stream.prefixes.count - 60) more prefixes</span>" }
        if stream.transferBarCount > 0 { html += "<span><i style=\"background:\(Palette.transfer);opacity:.45\"></i>transfer (\(stream.transferBarCount))</span>" }
        return html + "</div>"
    }

    static func progress(_ logs: RunLogs, end: Double, buckets: Int) -> String {
        let html = "<h2>Tasks by state over time</h2>"
        guard !logs.transitions.isEmpty else { return html + "<p class=\"note\">No transitions.csv.</p>" }
        let byState = RunSeries.tasksByState(logs.transitions)
        let layers = RunSeries.states.compactMap { state -> Charts.Series? in
            guard let function = byState[state], function.maximum > 0 else { return nil }
            return Charts.Series(name: state, color: Palette.states[state] ?? "#888", values: function.bucketEnds(end: end, count: buckets))
        }
        return html + Charts.stacked(layers, end: end, yFormat: { SVGText.number($0, digits: 0) })
    }

    static func workers(_ logs: RunLogs, stream: TaskStream, end: Double, buckets: Int) -> String {
        var html = "<h2>Workers</h2>"
        guard !logs.samples.isEmpty else { return html + "<p class=\"note\">No workers.csv.</p>" }
        let perWorkerSamples = logs.samples.count / max(stream.workers.count, 1)
        if perWorkerSamples < 10 {
            html += "<p class=\"note\">workers.csv has only \(perWorkerSamples) samples per worker: these charts are coarse (replay's --sample-interval sets the period).</p>"
        }
        let busy = RunSeries.total(logs.samples) { Double($0.busyThreads) }
        let queued = RunSeries.total(logs.samples) { Double($0.queued) }
        html += "<h3>Busy threads and queued tasks (all workers)</h3>"
        html += Charts.lines([
            Charts.Series(name: "busy threads", color: "#1f77b4", values: busy.bucketMaxima(end: end, count: buckets)),
            Charts.Series(name: "queued on workers", color: "#ff7f0e", values: queued.bucketMaxima(end: end, count: buckets)),
        ], end: end, yFormat: { SVGText.number($0, digits: 2) })

        let busyPerWorker = RunSeries.perWorker(logs.samples) { Double($0.busyThreads) }
        let threadCount = Dictionary(grouping: stream.lanes, by: \.worker).mapValues { Double($0.count) }
        let occupancyRows = stream.workers.map { worker -> (name: String, values: [Double]) in
            let values = busyPerWorker[worker]?.bucketEnds(end: end, count: min(buckets, 300)) ?? []
            let threads = max(threadCount[worker] ?? 1, 1)
            return (worker, values.map { $0 / threads })
        }
        html += "<h3>Occupancy per worker (busy threads / threads)</h3>"
        html += Charts.heatmap(occupancyRows, end: end, maximum: 1, describe: "busy fraction of each worker's threads at each sample")

        let memory = RunSeries.total(logs.samples) { Double($0.memoryBytes) }
        html += "<h3>Memory (bytes of results held)</h3>"
        html += Charts.lines([
            Charts.Series(name: "all workers", color: "#2ca02c", values: memory.bucketMaxima(end: end, count: buckets)),
        ], end: end, yFormat: SVGText.bytes)
        let memoryPerWorker = RunSeries.perWorker(logs.samples) { Double($0.memoryBytes) }
        let memoryRows = stream.workers.map { worker in
            (name: worker, values: memoryPerWorker[worker]?.bucketMaxima(end: end, count: min(buckets, 300)) ?? [])
        }
        let memoryMax = memoryRows.flatMap(\.values).max() ?? 0
        html += Charts.heatmap(memoryRows, end: end, maximum: memoryMax, describe: "memory per worker, bytes")

        let occupancy = RunSeries.total(logs.samples) { $0.occupancy }
        if occupancy.maximum > 0 {
            html += "<h3>Scheduler's occupancy estimate (seconds of queued work, all workers)</h3>"
            html += Charts.lines([
                Charts.Series(name: "occupancy", color: "#9467bd", values: occupancy.bucketMaxima(end: end, count: buckets)),
            ], end: end, yFormat: SVGText.seconds)
        }
        return html
    }

    static func network(_ logs: RunLogs, end: Double, buckets: Int) -> String {
        var html = "<h2>Bytes in flight</h2>"
        guard !logs.transfers.isEmpty else { return html + "<p class=\"note\">No transfers.</p>" }
        let inFlight = RunSeries.bytesInFlight(logs.transfers)
        let total = logs.transfers.reduce(Int64(0)) { $0 + $1.bytes }
        html += "<p>\(logs.transfers.count) keys moved, \(SVGText.escape(SVGText.bytes(Double(total)))) in all; at most \(SVGText.escape(SVGText.bytes(inFlight.maximum))) on the wire at once.</p>"
        return html + Charts.lines([
            Charts.Series(name: "bytes in flight", color: Palette.transfer, values: inFlight.bucketMaxima(end: end, count: buckets)),
        ], end: end, yFormat: SVGText.bytes)
    }
}
