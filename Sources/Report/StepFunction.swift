/// A value that changes at instants and holds between them (a count, bytes in flight).
/// `values[i]` holds from `times[i]` until `times[i + 1]`; before `times[0]` the value is 0.
public struct StepFunction: Sendable, Equatable {
    public var times: [Double]
    public var values: [Double]

    public init(times: [Double] = [], values: [Double] = []) {
        self.times = times
        self.values = values
    }

    /// Builds the function from changes (time, delta), applied in time order; changes at the same
    /// instant are merged so a zero-length spike never shows.
    public init(changes: [(time: Double, delta: Double)]) {
        let sorted = changes.enumerated().sorted { a, b in
            a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset
        }
        var times: [Double] = [], values: [Double] = []
        var current = 0.0
        for (_, change) in sorted {
            current += change.delta
            if let last = times.last, last == change.time {
                values[values.count - 1] = current
            } else {
                times.append(change.time)
                values.append(current)
            }
        }
        self.init(times: times, values: values)
    }

    /// The value at `time` (0 before the first change).
    public func value(at time: Double) -> Double {
        var low = 0, high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] <= time { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? 0 : values[low - 1]
    }

    /// The largest value the function takes.
    public var maximum: Double { values.max() ?? 0 }

    /// `count` equal buckets over [0, end]: the largest value taken inside each bucket, so that a
    /// short peak still shows when thousands of changes are drawn in a few hundred pixels.
    public func bucketMaxima(end: Double, count: Int) -> [Double] {
        guard count > 0, end > 0 else { return [] }
        var result = [Double](repeating: 0, count: count)
        let width = end / Double(count)
        var change = 0
        for bucket in 0..<count {
            let bucketStart = Double(bucket) * width, bucketEnd = bucketStart + width
            var best = value(at: bucketStart)
            while change < times.count && times[change] <= bucketStart { change += 1 }
            while change < times.count && times[change] < bucketEnd {
                best = max(best, values[change])
                change += 1
            }
            result[bucket] = best
        }
        return result
    }

    /// `count` equal buckets over [0, end]: the value at each bucket's end.
    public func bucketEnds(end: Double, count: Int) -> [Double] {
        guard count > 0, end > 0 else { return [] }
        return (0..<count).map { value(at: end * Double($0 + 1) / Double(count)) }
    }
}
