import Messages
import Testing
@testable import Simulation

/// Duration noise: each execution takes `duration × X`, X lognormal with mean 1 and
/// coefficient of variation `cv`, drawn once per execution from the run seed's stream.
@Suite struct NoiseThresholdTests {
    /// 2,000 independent 1 s tasks on 1 × 1 (no transfers): the run's durations are the
    /// draws. Sample mean of X: 1 ± 3 × 0.5/√2000 = ±0.034; sample CV: 0.5 ± ~0.05 (a
    /// lognormal's CV estimate is noisier than the mean's). Applying the noise twice gives
    /// X₁X₂: mean 1 but CV √((1 + 0.25)² − 1) = 0.75, far outside the band.
    func durations(cv: Double, seed: UInt64) throws -> [Double] {
        let workload = try Fixtures.workload((0..<2000).map { ("t-\($0)", 1.0, 8, []) })
        let result = Fixtures.run(workload, try Fixtures.cluster("1x1")) {
            $0.durationNoiseCV = cv
            $0.seed = seed
        }
        #expect(result.tasksFinished == 2000)
        return result.taskRows.map { Double($0.end! - $0.start!) / 1e9 }
    }

    @Test func sampleMeanAndSpreadMatchTheConfiguredCV() throws {
        let d = try durations(cv: 0.5, seed: 11)
        let mean = d.reduce(0, +) / Double(d.count)
        let sd = (d.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(d.count - 1)).squareRoot()
        #expect(abs(mean - 1) < 0.034, "mean \(mean)")
        #expect(abs(sd / mean - 0.5) < 0.06, "cv \(sd / mean)")
    }

    /// cv 0: every execution takes exactly its duration.
    @Test func zeroCVIsExact() throws {
        #expect(Set(try durations(cv: 0, seed: 11)) == [1.0])
    }

    /// Same seed → the same draws; another seed → others.
    @Test func drawsFollowTheRunSeed() throws {
        let a = try durations(cv: 0.5, seed: 11), b = try durations(cv: 0.5, seed: 11), c = try durations(cv: 0.5, seed: 12)
        #expect(a == b)
        #expect(a != c)
        #expect(zip(a, c).filter { $0.0 == $0.1 }.count < 10)
    }

    /// The noise object itself: the same seed gives the same sequence, another seed another.
    @Test func noiseStreamIsSeeded() {
        let x = DurationNoise(cv: 0.3, seed: 5), y = DurationNoise(cv: 0.3, seed: 5), z = DurationNoise(cv: 0.3, seed: 6)
        let sx = (0..<5).map { _ in x.apply(to: 1_000_000_000) }
        #expect(sx == (0..<5).map { _ in y.apply(to: 1_000_000_000) })
        #expect(sx != (0..<5).map { _ in z.apply(to: 1_000_000_000) })
        #expect(x.apply(to: 0) == 0)
    }
}
