/// The `compare` view: makespan per policy per trace, normalised to the trace's best policy,
/// with the spread over seeds.
enum CompareSection {
    static func html(runs: CompareRuns) -> String {
        var html = "<h2>Makespan per policy, normalised to the best policy of each trace</h2>"
        html += "<p class=\"note\">Bar: mean over seeds divided by the best policy's mean (1 = best). Whisker: lowest to highest seed. Dots: single runs.</p>"
        html += chart(runs)
        html += "<h2>Table</h2><table><tr><th>trace</th><th>policy</th><th>runs</th><th>mean makespan (s)</th><th>min</th><th>max</th><th>normalised</th><th>mean bytes moved</th><th>mean utilisation</th><th>not completed</th></tr>"
        for trace in runs.traces {
            let best = runs.best(trace: trace)
            for policy in runs.policies {
                guard let cell = runs.cell(trace: trace, policy: policy) else { continue }
                let bytes = cell.transferBytes.isEmpty ? "" : SVGText.bytes(cell.transferBytes.reduce(0, +) / Double(cell.transferBytes.count))
                let used = cell.utilisation.isEmpty ? "" : SVGText.number(cell.utilisation.reduce(0, +) / Double(cell.utilisation.count), digits: 3)
                html += "<tr><td>\(SVGText.escape(trace))</td><td>\(SVGText.escape(policy))</td><td class=\"n\">\(cell.makespans.count)</td>"
                html += "<td class=\"n\">\(SVGText.number(cell.mean, digits: 6))</td><td class=\"n\">\(SVGText.number(cell.minimum, digits: 6))</td><td class=\"n\">\(SVGText.number(cell.maximum, digits: 6))</td>"
                html += "<td class=\"n\">\(best > 0 ? SVGText.number(cell.mean / best, digits: 3) : "–")</td><td class=\"n\">\(bytes)</td><td class=\"n\">\(used)</td><td class=\"n\">\(cell.notCompleted)</td></tr>"
            }
        }
        return html + "</table>"
    }

    /// One row per (trace, policy), grouped by trace, on a shared normalised axis.
    static func chart(_ runs: CompareRuns) -> String {
        let left = 260.0, width = 760.0, rowHeight = 18.0, top = 10.0
        var rows: [(label: String, cell: CompareRuns.Cell?, best: Double, header: Bool)] = []
        var highest = 1.0
        for trace in runs.traces {
            rows.append((trace, nil, 0, true))
            let best = runs.best(trace: trace)
            for policy in runs.policies {
                guard let cell = runs.cell(trace: trace, policy: policy) else { continue }
                rows.append((policy, cell, best, false))
                if best > 0 { highest = max(highest, cell.maximum / best) }
            }
        }
        let axisMax = highest * 1.05
        let height = top + Double(rows.count) * rowHeight + 30
        var svg = "<svg class=\"chart compare\" viewBox=\"0 0 \(SVGText.number(left + width + 20)) \(SVGText.number(height))\">"
        func x(_ value: Double) -> Double { left + value / axisMax * width }
        for tick in SVGText.ticks(maximum: axisMax, target: 8) {
            svg += "<line class=\"grid\" x1=\"\(SVGText.number(x(tick)))\" x2=\"\(SVGText.number(x(tick)))\" y1=\"\(SVGText.number(top))\" y2=\"\(SVGText.number(height - 24))\"/>"
            svg += "<text class=\"lbl\" x=\"\(SVGText.number(x(tick)))\" y=\"\(SVGText.number(height - 10))\" text-anchor=\"middle\">\(SVGText.number(tick, digits: 2))×</text>"
        }
        svg += "<line class=\"axis\" x1=\"\(SVGText.number(x(1)))\" x2=\"\(SVGText.number(x(1)))\" y1=\"\(SVGText.number(top))\" y2=\"\(SVGText.number(height - 24))\"/>"
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            if row.header {
                svg += "<text x=\"4\" y=\"\(SVGText.number(y + 13))\" font-weight=\"bold\" font-size=\"12\">\(SVGText.escape(row.label))</text>"
                continue
            }
            guard let cell = row.cell, row.best > 0 else { continue }
            let color = Palette.prefix(runs.policies.firstIndex(of: cell.policy) ?? 0)
            svg += "<text class=\"lbl\" x=\"\(SVGText.number(left - 6))\" y=\"\(SVGText.number(y + 13))\" text-anchor=\"end\">\(SVGText.escape(row.label))</text>"
            svg += "<rect class=\"cmp\" x=\"\(SVGText.number(left))\" y=\"\(SVGText.number(y + 3))\" width=\"\(SVGText.number(x(cell.mean / row.best) - left))\" height=\"12\" fill=\"\(color)\" fill-opacity=\".7\"><title>\(SVGText.escape(cell.trace)) / \(SVGText.escape(cell.policy)): mean \(SVGText.number(cell.mean, digits: 6)) s = \(SVGText.number(cell.mean / row.best, digits: 3))× best, \(cell.makespans.count) runs</title></rect>"
            svg += "<line stroke=\"#000\" x1=\"\(SVGText.number(x(cell.minimum / row.best)))\" x2=\"\(SVGText.number(x(cell.maximum / row.best)))\" y1=\"\(SVGText.number(y + 9))\" y2=\"\(SVGText.number(y + 9))\"/>"
            for value in cell.makespans {
                svg += "<circle r=\"2\" cx=\"\(SVGText.number(x(value / row.best)))\" cy=\"\(SVGText.number(y + 9))\" fill=\"#000\"/>"
            }
        }
        return svg + "</svg>"
    }
}
