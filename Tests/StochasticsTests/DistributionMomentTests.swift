import Testing
@testable import Stochastics

/// Sample moments of every distribution against hand-derived analytic values.
///
/// Each case draws n = 200,000 values from its own named stream (fixed seed, so
/// the test is deterministic). The sample mean must be within 5 standard errors
/// of the true mean, 5·sqrt(variance / n). Where the fourth central moment μ₄ is
/// finite and cheap to write down, the sample variance must be within 5 of its
/// standard errors, 5·sqrt((μ₄ − σ⁴) / n); that tolerance is precomputed in the
/// table (`varianceTolerance`, nil = not checked). A wrong parameterisation
/// (rate instead of mean, scale and shape swapped, sd instead of variance) moves
/// the mean or variance by far more than these tolerances.
@Suite struct DistributionMomentTests {
    struct Case: Sendable, CustomStringConvertible {
        var spec: String
        var mean: Double
        var variance: Double
        var varianceTolerance: Double?
        var description: String { spec }
    }

    static let n = 200_000

    static let cases: [Case] = [
        // (b − a)/2 and (b − a)²/12; μ₄ = (b − a)⁴/80.
        Case(spec: "uniform:low=0.5,high=2", mean: 1.25, variance: 0.1875, varianceTolerance: 0.001875),
        // μ₄ = 3σ⁴.
        Case(spec: "normal:mean=1,sd=0.1", mean: 1, variance: 0.01, varianceTolerance: 0.000159),
        // mean 1, sd = cv·mean = 0.5; lognormal excess kurtosis with e^{σ²} = 1.25 is 5.035.
        Case(spec: "lognormal:mean=1,cv=0.5", mean: 1, variance: 0.25, varianceTolerance: 0.00742),
        // e^{1/2} and (e − 1)·e; heavy tail, mean only.
        Case(spec: "lognormal:mu=0,sigma=1", mean: 1.6487212707001282, variance: 4.670774270471604, varianceTolerance: nil),
        // GSL takes the mean: mean 2, variance 4; μ₄ = 9·mean⁴.
        Case(spec: "exponential:mean=2", mean: 2, variance: 4, varianceTolerance: 0.1265),
        // kθ, kθ²; μ₄ = 3k(k + 2)θ⁴.
        Case(spec: "gamma:shape=2,scale=1", mean: 2, variance: 2, varianceTolerance: 0.05),
        // shape < 1 takes GSL's other code path.
        Case(spec: "gamma:shape=0.5,scale=2", mean: 1, variance: 2, varianceTolerance: 0.0837),
        // αx_m/(α − 1) = 1.5, x_m²α/((α − 1)²(α − 2)) = 0.75; μ₄ infinite for α = 3.
        Case(spec: "pareto:shape=3,scale=1", mean: 1.5, variance: 0.75, varianceTolerance: nil),
        // λΓ(1 + 1/k) = Γ(5/3); λ²(Γ(1 + 2/k) − Γ(1 + 1/k)²); μ₄ from raw moments λʲΓ(1 + j/k).
        Case(spec: "weibull:scale=1,shape=1.5", mean: 0.9027452929509336, variance: 0.37569028481393174,
             varianceTolerance: 0.00774),
        // μ₄ = λ + 3λ².
        Case(spec: "poisson:mean=4", mean: 4, variance: 4, varianceTolerance: 0.0671),
        // mean > 10 takes GSL's other code path.
        Case(spec: "poisson:mean=50", mean: 50, variance: 50, varianceTolerance: 0.795),
        // indices 0, 1, 2 with p = 1/6, 2/6, 3/6: mean 4/3, variance 5/9.
        Case(spec: "discrete:weights=1/2/3", mean: 1.3333333333333333, variance: 0.5555555555555556,
             varianceTolerance: 0.00634),
    ]

    @Test(arguments: cases)
    func sampleMomentsMatchAnalyticMoments(_ testCase: Case) throws {
        let distribution = try Distribution.parse(testCase.spec)

        // The analytic properties agree with the hand-derived table.
        let mean = try #require(distribution.mean)
        let variance = try #require(distribution.variance)
        #expect(abs(mean - testCase.mean) <= 1e-12 * max(1, abs(testCase.mean)))
        #expect(abs(variance - testCase.variance) <= 1e-12 * max(1, testCase.variance))

        let stream = RandomStream(seed: 20_240_601, name: "moments/\(testCase.spec)")
        var sum = 0.0
        var values = [Double](repeating: 0, count: Self.n)
        for i in 0..<Self.n {
            values[i] = distribution.sample(stream)
            sum += values[i]
        }
        let sampleMean = sum / Double(Self.n)
        let meanTolerance = 5 * (testCase.variance / Double(Self.n)).squareRoot()
        #expect(abs(sampleMean - testCase.mean) <= meanTolerance,
                "sample mean \(sampleMean), expected \(testCase.mean) ± \(meanTolerance)")

        if let tolerance = testCase.varianceTolerance {
            var squares = 0.0
            for value in values {
                squares += (value - sampleMean) * (value - sampleMean)
            }
            let sampleVariance = squares / Double(Self.n - 1)
            #expect(abs(sampleVariance - testCase.variance) <= tolerance,
                    "sample variance \(sampleVariance), expected \(testCase.variance) ± \(tolerance)")
        }
    }

    @Test func constantDrawsNothingAndAlwaysReturnsItsValue() {
        let stream = RandomStream(seed: 1, name: "constant")
        #expect((0..<1000).allSatisfy { _ in Distribution.constant(1.5).sample(stream) == 1.5 })
        #expect(stream.nextUInt32() == RandomStream(seed: 1, name: "constant").nextUInt32())
        #expect(Distribution.constant(1.5).mean == 1.5)
        #expect(Distribution.constant(1.5).variance == 0)
    }

    @Test func supportsAreRespected() throws {
        let stream = RandomStream(seed: 2, name: "supports")
        let pareto = Distribution.pareto(shape: 3, scale: 2)
        let uniform = Distribution.uniform(low: 0.5, high: 2)
        let discrete = try Distribution.discrete(weights: [0, 1, 0, 1])
        for _ in 0..<20_000 {
            #expect(pareto.sample(stream) >= 2)
            let u = uniform.sample(stream)
            #expect(u >= 0.5 && u < 2)
            let index = discrete.sample(stream)
            #expect(index == 1 || index == 3) // zero-weight indices never drawn
            let count = Distribution.poisson(mean: 4).sample(stream)
            #expect(count >= 0 && count == count.rounded())
        }
    }

    @Test func discreteFrequenciesFollowWeights() throws {
        // Counts are Binomial(60000, p): p = 1/6, 1/3, 1/2; allow 5 sd.
        let stream = RandomStream(seed: 3, name: "discrete")
        let distribution = try Distribution.discrete(weights: [1, 2, 3])
        var counts = [0, 0, 0]
        for _ in 0..<60_000 {
            counts[Int(distribution.sample(stream))] += 1
        }
        #expect(abs(counts[0] - 10_000) <= 457, "\(counts)")
        #expect(abs(counts[1] - 20_000) <= 578, "\(counts)")
        #expect(abs(counts[2] - 30_000) <= 613, "\(counts)")
    }

    @Test func weibullMomentsOverflowToInfinityInsteadOfAborting() {
        // Γ(1 + 1/0.001) = 1000! overflows a Double; GSL reports that through its
        // error handler, which would abort() the process if it were still on.
        #expect(Distribution.weibull(scale: 1, shape: 0.001).mean == .infinity)
        #expect(Distribution.weibull(scale: 2, shape: 1).mean == 2) // exponential with mean 2
    }

    @Test func paretoWithHeavyTailHasNoFiniteMoments() {
        #expect(Distribution.pareto(shape: 1, scale: 1).mean == nil)
        #expect(Distribution.pareto(shape: 2, scale: 1).mean == 2)
        #expect(Distribution.pareto(shape: 2, scale: 1).variance == nil)
    }
}
