/// Static SVG charts over time: step lines, stacked areas and heat maps. Each takes values in
/// equal buckets over [0, end] (see `StepFunction.bucketMaxima`), so its size does not grow with
/// the number of events.
enum Charts {
    static let left = 80.0, plotWidth = 1000.0, right = 20.0, top = 10.0, bottom = 28.0

    struct Series {
        var name: String
        var color: String
        var values: [Double]
    }

    /// Several step lines on one y axis.
    static func lines(_ series: [Series], end: Double, height: Double = 180, yFormat: (Double) -> String) -> String {
        // An all-zero chart still gets a 0..1 axis rather than ticks that all read 0.
        let highest = series.flatMap(\.values).max() ?? 0
        let maximum = highest > 0 ? highest : 1
        var svg = frame(height: height, end: end, maximum: maximum, yFormat: yFormat)
        for line in series where !line.values.isEmpty {
            svg += "<path fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.5\" d=\"\(stepPath(line.values, maximum: maximum, height: height))\"><title>\(SVGText.escape(line.name))</title></path>"
        }
        return svg + "</svg>" + legend(series)
    }

    /// Layers stacked bottom to top (the progress picture).
    static func stacked(_ layers: [Series], end: Double, height: Double = 200, yFormat: (Double) -> String) -> String {
        guard let count = layers.first?.values.count, count > 0 else { return "" }
        var base = [Double](repeating: 0, count: count)
        var tops: [[Double]] = []
        for layer in layers {
            let top = zip(base, layer.values).map { $0 + $1 }
            tops.append(top)
            base = top
        }
        let maximum = (base.max() ?? 0) > 0 ? base.max()! : 1
        var svg = frame(height: height, end: end, maximum: maximum, yFormat: yFormat)
        var lower = [Double](repeating: 0, count: count)
        for (index, layer) in layers.enumerated() {
            let upper = tops[index]
            if upper != lower {
                svg += "<path fill=\"\(layer.color)\" d=\"\(areaPath(lower: lower, upper: upper, maximum: maximum, height: height))\"><title>\(SVGText.escape(layer.name))</title></path>"
            }
            lower = upper
        }
        return svg + "</svg>" + legend(layers)
    }

    /// One row per name, a cell per bucket, darker for larger values (0 to `maximum`).
    static func heatmap(_ rows: [(name: String, values: [Double])], end: Double, maximum: Double, describe: String) -> String {
        let rowHeight = max(3, min(16, 400 / Double(max(rows.count, 1))))
        let height = rowHeight * Double(rows.count)
        var svg = frameOpen(height: height)
        let levels = Palette.heat.count
        for (row, entry) in rows.enumerated() {
            let y = top + Double(row) * rowHeight
            if rowHeight >= 8 {
                svg += "<text x=\"\(SVGText.number(left - 4))\" y=\"\(SVGText.number(y + rowHeight * 0.75))\" text-anchor=\"end\" class=\"lbl\">\(SVGText.escape(entry.name))</text>"
            }
            let count = entry.values.count
            guard count > 0 else { continue }
            let width = plotWidth / Double(count)
            // Neighbouring cells of the same shade become one rectangle: far fewer elements.
            var bucket = 0
            while bucket < count {
                let level = shade(entry.values[bucket], maximum: maximum, levels: levels)
                var next = bucket + 1
                while next < count && shade(entry.values[next], maximum: maximum, levels: levels) == level { next += 1 }
                if level > 0 {
                    svg += "<rect x=\"\(SVGText.number(left + Double(bucket) * width))\" y=\"\(SVGText.number(y))\" width=\"\(SVGText.number(Double(next - bucket) * width))\" height=\"\(SVGText.number(rowHeight * 0.9))\" fill=\"\(Palette.heat[level])\"/>"
                }
                bucket = next
            }
            svg += "<rect x=\"\(SVGText.number(left))\" y=\"\(SVGText.number(y))\" width=\"\(SVGText.number(plotWidth))\" height=\"\(SVGText.number(rowHeight))\" fill=\"transparent\"><title>\(SVGText.escape(entry.name))</title></rect>"
        }
        svg += timeAxis(y: top + height, end: end)
        return svg + "</svg><div class=\"legend\">\(SVGText.escape(describe)); darkest = \(SVGText.escape(SVGText.number(maximum, digits: 2)))</div>"
    }

    static func shade(_ value: Double, maximum: Double, levels: Int) -> Int {
        guard maximum > 0, value > 0 else { return 0 }
        return max(1, min(levels - 1, Int((value / maximum * Double(levels - 1)).rounded(.up))))
    }

    // MARK: pieces

    static func frameOpen(height: Double) -> String {
        let total = top + height + bottom
        return "<svg class=\"chart\" viewBox=\"0 0 \(SVGText.number(left + plotWidth + right)) \(SVGText.number(total))\" preserveAspectRatio=\"xMinYMin meet\">"
    }

    static func frame(height: Double, end: Double, maximum: Double, yFormat: (Double) -> String) -> String {
        var svg = frameOpen(height: height)
        for tick in SVGText.ticks(maximum: maximum, target: 4) {
            let y = top + height - tick / maximum * height
            svg += "<line x1=\"\(SVGText.number(left))\" x2=\"\(SVGText.number(left + plotWidth))\" y1=\"\(SVGText.number(y))\" y2=\"\(SVGText.number(y))\" class=\"grid\"/>"
            svg += "<text x=\"\(SVGText.number(left - 4))\" y=\"\(SVGText.number(y + 4))\" text-anchor=\"end\" class=\"lbl\">\(SVGText.escape(yFormat(tick)))</text>"
        }
        return svg + timeAxis(y: top + height, end: end)
    }

    /// The x axis in seconds along the bottom of a plot.
    static func timeAxis(y: Double, end: Double) -> String {
        var svg = "<line x1=\"\(SVGText.number(left))\" x2=\"\(SVGText.number(left + plotWidth))\" y1=\"\(SVGText.number(y))\" y2=\"\(SVGText.number(y))\" class=\"axis\"/>"
        guard end > 0 else { return svg }
        for tick in SVGText.ticks(maximum: end, target: 8) {
            let x = left + tick / end * plotWidth
            svg += "<text x=\"\(SVGText.number(x))\" y=\"\(SVGText.number(y + 16))\" text-anchor=\"middle\" class=\"lbl\">\(SVGText.escape(SVGText.seconds(tick)))</text>"
        }
        return svg
    }

    static func stepPath(_ values: [Double], maximum: Double, height: Double) -> String {
        let width = plotWidth / Double(values.count)
        var path = ""
        for (index, value) in values.enumerated() {
            let x0 = left + Double(index) * width, x1 = x0 + width
            let y = top + height - value / maximum * height
            path += (index == 0 ? "M" : "L") + SVGText.number(x0, digits: 1) + "," + SVGText.number(y, digits: 1)
            path += "L" + SVGText.number(x1, digits: 1) + "," + SVGText.number(y, digits: 1)
        }
        return path
    }

    static func areaPath(lower: [Double], upper: [Double], maximum: Double, height: Double) -> String {
        let width = plotWidth / Double(upper.count)
        var path = ""
        for (index, value) in upper.enumerated() {
            let x0 = left + Double(index) * width
            let y = top + height - value / maximum * height
            path += (index == 0 ? "M" : "L") + SVGText.number(x0, digits: 1) + "," + SVGText.number(y, digits: 1)
            path += "L" + SVGText.number(x0 + width, digits: 1) + "," + SVGText.number(y, digits: 1)
        }
        for (index, value) in lower.enumerated().reversed() {
            let x0 = left + Double(index) * width
            let y = top + height - value / maximum * height
            path += "L" + SVGText.number(x0 + width, digits: 1) + "," + SVGText.number(y, digits: 1)
            path += "L" + SVGText.number(x0, digits: 1) + "," + SVGText.number(y, digits: 1)
        }
        return path + "Z"
    }

    static func legend(_ series: [Series]) -> String {
        var html = "<div class=\"legend\">"
        for entry in series {
            html += "<span><i style=\"background:\(entry.color)\"></i>\(SVGText.escape(entry.name))</span>"
        }
        return html + "</div>"
    }
}
