import Testing
@testable import Stochastics

@Suite struct SummaryTests {
    /// Hand-computed on [3, 1, 4, 1, 5, 9, 2, 6] (sorted: 1 1 2 3 4 5 6 9, n = 8).
    @Test func handComputedSample() throws {
        let summary = Summary([3, 1, 4, 1, 5, 9, 2, 6])
        #expect(summary.count == 8)
        #expect(summary.nanCount == 0)
        #expect(summary.sortedValues == [1, 1, 2, 3, 4, 5, 6, 9])
        #expect(summary.min == 1)
        #expect(summary.max == 9)
        #expect(summary.mean == 3.875) // 31 / 8
        // Σ(x − 3.875)² = 52.875; / (n − 1) = 7.553571…; sqrt = 2.748376143938713.
        let sd = try #require(summary.standardDeviation)
        #expect(abs(sd - 2.748376143938713) < 1e-14)
    }

    /// Type 7: h = (n − 1)·p, result x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
    /// numpy.quantile([3,1,4,1,5,9,2,6], [0.5, 0.95, 0.99, 0.25, 0.1]) prints
    /// [3.5, 7.95, 8.79, 1.75, 1.0], the same numbers.
    @Test func quantileIsLinearInterpolationType7() throws {
        let summary = Summary([3, 1, 4, 1, 5, 9, 2, 6])
        func q(_ p: Double) throws -> Double { try #require(summary.quantile(p)) }
        #expect(try q(0) == 1)
        #expect(try q(1) == 9)
        #expect(try q(0.5) == 3.5)          // h = 3.5: (3 + 4) / 2
        #expect(try q(0.25) == 1.75)        // h = 1.75: 1 + 0.75·(2 − 1)
        #expect(try q(0.1) == 1)            // h = 0.7: between the two 1s
        #expect(abs(try q(0.95) - 7.95) < 1e-12) // h = 6.65: 6 + 0.65·3
        #expect(abs(try q(0.99) - 8.79) < 1e-12) // h = 6.93: 6 + 0.93·3
        #expect(summary.p50 == summary.quantile(0.5))
        #expect(summary.p95 == summary.quantile(0.95))
        #expect(summary.p99 == summary.quantile(0.99))
        // Not the "nearest rank" definition, which would give 4 for the median.
        #expect(summary.p50 != 4)
    }

    @Test func emptySampleHasNoStatistics() {
        let summary = Summary([Double]())
        #expect(summary.count == 0)
        #expect(summary.mean == nil)
        #expect(summary.standardDeviation == nil)
        #expect(summary.min == nil)
        #expect(summary.max == nil)
        #expect(summary.quantile(0) == nil)
        #expect(summary.p50 == nil)
        #expect(summary.p99 == nil)
    }

    @Test func singleValueHasNoStandardDeviation() {
        let summary = Summary([2.5])
        #expect(summary.mean == 2.5)
        #expect(summary.standardDeviation == nil)
        #expect(summary.quantile(0) == 2.5)
        #expect(summary.p50 == 2.5)
        #expect(summary.p99 == 2.5)
        #expect(Summary([1, 2]).standardDeviation == 0.7071067811865476) // sqrt(0.5)
    }

    @Test func nanValuesAreCountedAndLeftOut() {
        let summary = Summary([1, .nan, 3, .nan])
        #expect(summary.count == 2)
        #expect(summary.nanCount == 2)
        #expect(summary.mean == 2)
        #expect(summary.standardDeviation == 1.4142135623730951) // sqrt(2)
        #expect(summary.p50 == 2)
        #expect(Summary([Double.nan]).mean == nil)
    }

    @Test func quantileOutsideUnitIntervalIsNil() {
        let summary = Summary([1, 2, 3])
        #expect(summary.quantile(-0.01) == nil)
        #expect(summary.quantile(1.01) == nil)
        #expect(summary.quantile(.nan) == nil)
    }

    @Test func resultDoesNotDependOnInputOrder() {
        let stream = RandomStream(seed: 1, name: "summary-order")
        let values = (0..<1001).map { _ in Distribution.exponential(mean: 3).sample(stream) }
        let forward = Summary(values)
        let reversed = Summary(values.reversed())
        let shuffled = Summary(stream.shuffled(values))
        // Bitwise equal, including the mean (summed in sorted order).
        #expect(forward == reversed)
        #expect(forward == shuffled)
        // Odd n: the median is the middle order statistic itself.
        #expect(forward.p50 == forward.sortedValues[500])
    }
}
