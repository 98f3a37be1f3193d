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
        for (label, logs) in [("Simulated", simulated), ("Real", real)] {
            guard let logs, !logs.summary.isEmpty else { continue }
            html += "<h3>\(label) summary</h3>" + RunSection.summaryTable(logs)
        }
        return html
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
