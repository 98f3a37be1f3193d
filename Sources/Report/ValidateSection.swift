/// The `validate` view: the simulated and the real task streams one above the other on the same
/// time axis (they zoom together), then validation.csv as it is.
enum ValidateSection {
    static func html(validation: CSVTable, simulated: RunLogs?, real: RunLogs?, options: ReportOptions) -> String {
        var html = "<h2>Simulated and real task streams (same time axis)</h2>"
        let end = max(simulated?.endTime ?? 0, real?.endTime ?? 0)
        for (label, logs, id) in [("Simulated", simulated, "sim"), ("Real", real, "real")] {
            guard let logs else {
                html += "<p class=\"note\">\(label) run: no subfolder with tasks.csv.</p>"
                continue
            }
            let threads = logs.summaryValue("cluster").flatMap(threadsFromClusterSpec) ?? [:]
            let stream = TaskStream(logs: logs, threadsPerWorker: threads)
            let aggregate = stream.taskBarCount > options.maxBars
            html += "<h3>\(label): \(SVGText.escape(logs.name)) — makespan \(SVGText.escape(SVGText.seconds(logs.endTime)))</h3>"
            html += stream.html(logs: logs, id: id + "-stream", end: end, aggregateBuckets: aggregate ? options.streamBuckets : nil, sync: "validate")
            html += RunSection.prefixLegend(stream: stream, logs: logs)
        }
        html += "<h2>validation.csv</h2>" + table(validation, limit: 500)
        html += summaries(simulated: simulated, real: real)
        return html
    }

    /// Both summary.csv first rows side by side: one line per column, in the simulated file's
    /// order, then columns only the real one has.
    static func summaries(simulated: RunLogs?, real: RunLogs?) -> String {
        let left = simulated?.summary.first ?? [], right = real?.summary.first ?? []
        guard !left.isEmpty || !right.isEmpty else { return "" }
        var columns = left.map(\.column)
        for pair in right where !columns.contains(pair.column) { columns.append(pair.column) }
        var html = "<h2>Summaries</h2><table class=\"summary\"><tr><th></th><th>simulated</th><th>real</th></tr>"
        for column in columns {
            html += "<tr><th>\(SVGText.escape(column))</th>"
            for row in [left, right] {
                let value = row.first { $0.column == column }?.value ?? ""
                html += (Double(value) != nil ? "<td class=\"n\">" : "<td>") + SVGText.escape(value) + "</td>"
            }
            html += "</tr>"
        }
        return html + "</table>"
    }

    /// A CSV shown as a table (the first `limit` rows).
    static func table(_ csv: CSVTable, limit: Int) -> String {
        var html = "<table><tr>" + csv.header.map { "<th>\(SVGText.escape($0))</th>" }.joined() + "</tr>"
        for row in csv.rows.prefix(limit) {
            html += "<tr>" + row.map { Double($0) != nil ? "<td class=\"n\">\(SVGText.escape($0))</td>" : "<td>\(SVGText.escape($0))</td>" }.joined() + "</tr>"
        }
        html += "</table>"
        if csv.rows.count > limit { html += "<p class=\"note\">\(csv.rows.count - limit) more rows in the file.</p>" }
        return html
    }
}
