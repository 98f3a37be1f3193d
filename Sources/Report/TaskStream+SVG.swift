extension TaskStream {
    /// Width of the plot in SVG units; times map to [0, plotWidth].
    static let plotWidth = 1000.0

    /// The task stream as HTML: lane labels, the plot (bars, or per-lane utilisation when
    /// `aggregateBuckets` is set), a time axis, and the hover data as JSON.
    ///
    /// `sync` names a group: plots of one group zoom together (simulated and real runs).
    func html(logs: RunLogs, id: String, end: Double, aggregateBuckets: Int? = nil, sync: String) -> String {
        let laneHeight = max(2, min(20, 640 / Double(max(lanes.count, 1))))
        let height = laneHeight * Double(lanes.count)
        let scale = end > 0 ? Self.plotWidth / end : 1
        var html = "<div class=\"stream\" id=\"\(id)\" data-end=\"\(SVGText.number(end, digits: 9))\" data-lanes=\"\(lanes.count)\">"

        // Lane labels: one per thread when there is room, else one per worker.
        html += "<svg class=\"labels\" viewBox=\"0 0 120 \(SVGText.number(height))\" preserveAspectRatio=\"none\" style=\"height:\(SVGText.number(height))px\">"
        for (index, lane) in lanes.enumerated() {
            let y = Double(index) * laneHeight
            let showName = laneHeight >= 9 || lane.thread == 0
            html += "<g class=\"lane\">"
            if showName && (laneHeight >= 9 || laneHeight * Double(threadCount(of: lane.worker)) >= 9) {
                let label = laneHeight >= 9 ? "\(lane.worker) #\(lane.thread)" : lane.worker
                html += "<text x=\"116\" y=\"\(SVGText.number(y + min(laneHeight, 12) * 0.8))\" text-anchor=\"end\" class=\"lbl\">\(SVGText.escape(label))</text>"
            }
            html += "</g>"
        }
        html += "</svg>"

        html += "<svg class=\"plot\" data-sync=\"\(SVGText.escape(sync))\" viewBox=\"0 0 \(SVGText.number(Self.plotWidth)) \(SVGText.number(height))\" preserveAspectRatio=\"none\" style=\"height:\(SVGText.number(height))px\">"
        // Alternate worker backgrounds so threads of one worker read as a block.
        var lane = 0, shaded = false
        while lane < lanes.count {
            let worker = lanes[lane].worker
            var next = lane
            while next < lanes.count && lanes[next].worker == worker { next += 1 }
            if shaded {
                html += "<rect class=\"bg\" x=\"0\" y=\"\(SVGText.number(Double(lane) * laneHeight))\" width=\"\(SVGText.number(Self.plotWidth))\" height=\"\(SVGText.number(Double(next - lane) * laneHeight))\"/>"
            }
            shaded.toggle()
            lane = next
        }
        if let buckets = aggregateBuckets {
            html += utilisationPaths(end: end, buckets: buckets, laneHeight: laneHeight)
            html += "</svg>"
        } else {
            let barHeight = max(1, laneHeight * 0.85)
            for (index, bar) in bars.enumerated() {
                let x = bar.start * scale, width = max((bar.end - bar.start) * scale, 0.02)
                let y = Double(bar.lane) * laneHeight + (laneHeight - barHeight) / 2
                let cls: String
                switch bar.kind {
                case .task(let row): cls = "b p\(prefixIndex[row] % Palette.prefixes.count)"
                case .transfer: cls = "b t"
                }
                html += "<rect class=\"\(cls)\" data-i=\"\(index)\" x=\"\(SVGText.number(x, digits: 3))\" y=\"\(SVGText.number(y))\" width=\"\(SVGText.number(width, digits: 3))\" height=\"\(SVGText.number(barHeight))\"/>"
            }
            html += "</svg>"
            html += "<script type=\"application/json\" class=\"bars\">" + hoverJSON(logs: logs) + "</script>"
        }
        html += "<div class=\"taxis\">" + HTMLPage.axisLabels(end: end) + "</div>"
        html += "</div>"
        return html
    }

    func threadCount(of worker: String) -> Int { lanes.reduce(0) { $0 + ($1.worker == worker ? 1 : 0) } }

    /// Per-lane busy fraction as one filled path per lane: the run's shape in a bounded size.
    func utilisationPaths(end: Double, buckets: Int, laneHeight: Double) -> String {
        let utilisation = RunSeries.laneUtilisation(stream: self, end: end, count: buckets)
        let width = Self.plotWidth / Double(buckets)
        var html = ""
        for (lane, values) in utilisation.enumerated() {
            let base = Double(lane + 1) * laneHeight
            // A step outline that only turns where the (rounded) level changes: a lane busy all
            // the time is four points, not 1200.
            var path = "M0," + SVGText.number(base)
            var level = SVGText.number(base)
            for (bucket, value) in values.enumerated() {
                let y = SVGText.number(base - value * laneHeight * 0.9)
                if y != level {
                    let x = SVGText.number(Double(bucket) * width, digits: 1)
                    path += "L" + x + "," + level + "L" + x + "," + y
                    level = y
                }
            }
            path += "L" + SVGText.number(Self.plotWidth) + "," + level + "L" + SVGText.number(Self.plotWidth) + "," + SVGText.number(base) + "Z"
            html += "<path class=\"u\" d=\"\(path)\"/>"
        }
        return html
    }

    /// What hover shows for each bar, in bar order:
    /// tasks `["task", key, prefix, worker, thread, start, end, output_bytes, state, attempts]`,
    /// transfers `["transfer", keys, from, to, thread, start, end, bytes]`.
    func hoverJSON(logs: RunLogs) -> String {
        var json = "["
        for (index, bar) in bars.enumerated() {
            if index > 0 { json += "," }
            let thread = lanes[bar.lane].thread
            let start = SVGText.number(bar.start, digits: 9), end = SVGText.number(bar.end, digits: 9)
            switch bar.kind {
            case .task(let row):
                let task = logs.tasks[row]
                json += "[\"task\",\(SVGText.json(task.key)),\(SVGText.json(task.prefix)),\(SVGText.json(task.worker)),\(thread),\(start),\(end),\(task.outputBytes),\(SVGText.json(task.state)),\(task.attempts)]"
            case .transfer(let rows):
                let first = logs.transfers[rows[0]]
                var keys = rows.prefix(5).map { logs.transfers[$0].key }.joined(separator: ", ")
                if rows.count > 5 { keys += ", … (\(rows.count) keys)" }
                let bytes = rows.reduce(Int64(0)) { $0 + logs.transfers[$1].bytes }
                json += "[\"transfer\",\(SVGText.json(keys)),\(SVGText.json(first.from)),\(SVGText.json(first.to)),\(thread),\(start),\(end),\(bytes)]"
            }
        }
        return json + "]"
    }
}
