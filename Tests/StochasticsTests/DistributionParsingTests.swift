import Testing
@testable import Stochastics

@Suite struct DistributionParsingTests {
    /// Canonical specifications print back exactly, and re-parse to equal values.
    @Test(arguments: [
        "constant:1", "constant:-2.5", "constant:1e+20",
        "uniform:low=0.5,high=2",
        "normal:mean=1,sd=0.1",
        "lognormal:mu=0,sigma=1",
        "exponential:mean=2", "exponential:mean=1e-05",
        "gamma:shape=2,scale=1",
        "pareto:shape=3,scale=1",
        "weibull:scale=1,shape=1.5",
        "poisson:mean=4",
        "discrete:weights=1/2/3", "discrete:weights=0/0.25",
    ])
    func canonicalSpecRoundTrips(_ spec: String) throws {
        let distribution = try Distribution.parse(spec)
        #expect(distribution.description == spec)
        #expect(try Distribution.parse(distribution.description) == distribution)
        #expect(Distribution(spec) == distribution)
        #expect(spec.hasPrefix(distribution.kind + ":"))
    }

    @Test func parsedValuesAreTheIntendedParameters() throws {
        #expect(try Distribution.parse("constant:1") == .constant(1))
        #expect(try Distribution.parse("constant:value=3") == .constant(3))
        #expect(try Distribution.parse("uniform:low=0.5,high=2") == .uniform(low: 0.5, high: 2))
        #expect(try Distribution.parse("normal:mean=1,sd=0.1") == .normal(mean: 1, sd: 0.1))
        #expect(try Distribution.parse("lognormal:mu=0,sigma=1") == .lognormal(mu: 0, sigma: 1))
        #expect(try Distribution.parse("exponential:mean=2") == .exponential(mean: 2))
        #expect(try Distribution.parse("gamma:shape=2,scale=1") == .gamma(shape: 2, scale: 1))
        #expect(try Distribution.parse("pareto:shape=3,scale=1") == .pareto(shape: 3, scale: 1))
        #expect(try Distribution.parse("pareto:alpha=3,scale=1") == .pareto(shape: 3, scale: 1))
        #expect(try Distribution.parse("weibull:scale=1,shape=1.5") == .weibull(scale: 1, shape: 1.5))
        #expect(try Distribution.parse("poisson:mean=4") == .poisson(mean: 4))
        #expect(try Distribution.parse("discrete:weights=1/2/3") == Distribution.discrete(weights: [1, 2, 3]))
        // Order of parameters and spaces around parts do not matter.
        #expect(try Distribution.parse("  gamma : scale = 1 , shape=2 ") == .gamma(shape: 2, scale: 1))
        #expect(try Distribution.parse("exponential:mean=2.0").description == "exponential:mean=2")
    }

    @Test func lognormalMeanAndCVBecomeMuAndSigma() throws {
        // sigma² = ln(1 + cv²) = ln 1.25; mu = ln(mean) − sigma²/2.
        let parsed = try Distribution.parse("lognormal:mean=1,cv=0.5")
        #expect(parsed == .lognormal(mu: -0.11157177565710488, sigma: 0.47238072707743883))
        #expect(parsed == Distribution.lognormal(mean: 1, cv: 0.5))
        #expect(parsed.description == "lognormal:mu=-0.11157177565710488,sigma=0.47238072707743883")
        let mean = try #require(parsed.mean)
        #expect(abs(mean - 1) < 1e-15)
        // cv = 0 is a point mass at the mean.
        #expect(try Distribution.parse("lognormal:mean=3,cv=0") == .lognormal(mu: 1.0986122886681098, sigma: 0))
    }

    @Test func losslessStringConvertibleReturnsNilOnError() {
        #expect(Distribution("gamma:shape=2,scale=1") == .gamma(shape: 2, scale: 1))
        #expect(Distribution("gamma:shape=2") == nil)
        #expect(Distribution("nope") == nil)
    }

    static let allKinds = "constant, uniform, normal, lognormal, exponential, gamma, pareto, weibull, poisson, discrete"

    /// Every error path, with the full message a user would see.
    @Test(arguments: [
        ("", "empty specification; expected kind:parameters such as lognormal:mean=1,cv=0.5"),
        ("   ", "empty specification; expected kind:parameters such as lognormal:mean=1,cv=0.5"),
        ("foo:x=1", "unknown kind 'foo'; known kinds: \(allKinds)"),
        ("Gamma:shape=1,scale=1", "unknown kind 'Gamma'; known kinds: \(allKinds)"),
        ("gamma", "gamma needs parameter 'shape'"),
        ("gamma:shape=2", "gamma needs parameter 'scale'"),
        ("gamma:shape=2,scale=1,mean=3", "gamma has no parameter 'mean'; it takes shape=…, scale=…"),
        ("gamma:shape=2,shape=3,scale=1", "gamma parameter 'shape' given twice"),
        ("gamma:shape=2,,scale=1", "parameter 2 is empty (stray comma?)"),
        ("gamma:shape=2,scale=1,", "parameter 3 is empty (stray comma?)"),
        ("gamma:2,1", "parameter '2' is not name=value; gamma takes shape=…, scale=…"),
        ("gamma:=2,scale=1", "parameter 1 '=2' has no name before '='"),
        ("gamma:shape=abc,scale=1", "gamma shape is not a number: 'abc'"),
        ("gamma:shape=,scale=1", "gamma shape is not a number: ''"),
        ("gamma:shape=nan,scale=1", "gamma shape must be a finite number, got 'nan'"),
        ("exponential:mean=inf", "exponential mean must be a finite number, got 'inf'"),
        ("gamma:shape=-1,scale=1", "gamma shape must be > 0, got -1"),
        ("gamma:shape=1,scale=0", "gamma scale must be > 0, got 0"),
        ("exponential:mean=0", "exponential mean must be > 0, got 0"),
        ("normal:mean=1,sd=-0.1", "normal sd must be ≥ 0, got -0.1"),
        ("lognormal:mu=0,sigma=-1", "lognormal sigma must be ≥ 0, got -1"),
        ("lognormal:mean=0,cv=0.5", "lognormal mean must be > 0, got 0"),
        ("lognormal:mean=1,cv=-0.5", "lognormal cv must be ≥ 0, got -0.5"),
        ("lognormal:mean=1,sigma=1",
         "lognormal takes either mu and sigma, or mean and cv, not a mix; got mean, sigma"),
        ("lognormal:mu=0", "lognormal needs parameter 'sigma'"),
        ("lognormal", "lognormal needs either mu and sigma, or mean and cv"),
        ("uniform:low=2,high=1",
         "uniform needs low < high, got low=2, high=1 (use constant:V for a fixed value)"),
        ("pareto:shape=3,alpha=3,scale=1", "pareto shape given twice ('alpha' is another name for 'shape')"),
        ("weibull:scale=1,shape=0", "weibull shape must be > 0, got 0"),
        ("poisson:mean=-1", "poisson mean must be ≥ 0, got -1"),
        ("poisson:mean=2e9", "poisson mean must be ≤ 1e9 (GSL returns a 32-bit count), got 2000000000"),
        ("constant", "constant needs parameter 'value'"),
        ("constant:1,2", "parameter '1' is not name=value; constant takes value=…"),
        ("constant:x", "constant value is not a number: 'x'"),
        ("discrete", "discrete needs parameter 'weights'"),
        ("discrete:weights=1/-2/3", "weight 2 must be ≥ 0, got -2"),
        ("discrete:weights=0/0", "discrete weights must not all be 0"),
        ("discrete:weights=1//3", "weight 2 is not a number: ''"),
        ("discrete:weights=1/inf", "weight 2 must be a finite number, got inf"),
    ])
    func invalidSpecIsRejectedWithClearMessage(_ spec: String, _ reason: String) {
        #expect {
            _ = try Distribution.parse(spec)
        } throws: { error in
            guard let error = error as? DistributionError else { return false }
            return error.spec == spec
                && error.reason == reason
                && error.description == "invalid distribution \"\(spec)\": \(reason)"
        }
    }

    /// Exact message check, printed on failure (the closure form above only says "false").
    @Test func errorMessageQuotesSpecAndNamesPart() {
        do {
            _ = try Distribution.parse("gamma:shape=-1,scale=1")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "invalid distribution \"gamma:shape=-1,scale=1\": gamma shape must be > 0, got -1")
        }
    }

    @Test func validateCatchesDistributionsBuiltInCode() throws {
        try Distribution.gamma(shape: 2, scale: 1).validate()
        #expect(throws: DistributionError(reason: "gamma shape must be a finite number, got nan")) {
            try Distribution.gamma(shape: .nan, scale: 1).validate()
        }
        // An impossible mean/cv pair turns into a NaN mu, which validate rejects.
        #expect(throws: DistributionError(reason: "lognormal mu must be a finite number, got nan")) {
            try Distribution.lognormal(mean: -1, cv: 1).validate()
        }
        #expect(throws: DistributionError(reason: "discrete needs at least one weight")) {
            _ = try Distribution.discrete(weights: [])
        }
        #expect(DistributionError(reason: "x").description == "invalid distribution: x")
    }
}
