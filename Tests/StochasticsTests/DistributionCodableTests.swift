import Foundation
import Testing
@testable import Stochastics

@Suite struct DistributionCodableTests {
    struct Scenario: Codable, Equatable {
        var durationNoise: Distribution
        var sizes: [Distribution]
    }

    @Test func encodesAsSpecificationStringAndDecodesBack() throws {
        let scenario = Scenario(
            durationNoise: .lognormal(mu: 0, sigma: 0.25),
            sizes: [.constant(1000), try Distribution.discrete(weights: [1, 3])])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(scenario), as: UTF8.self)
        #expect(json == #"{"durationNoise":"lognormal:mu=0,sigma=0.25","sizes":["constant:1000","discrete:weights=1\/3"]}"#)
        #expect(try JSONDecoder().decode(Scenario.self, from: Data(json.utf8)) == scenario)
    }

    @Test func badSpecificationNamesTheJSONLocationAndTheProblem() {
        let json = #"{"durationNoise":"gamma:shape=2","sizes":[]}"#
        do {
            _ = try JSONDecoder().decode(Scenario.self, from: Data(json.utf8))
            Issue.record("expected a decoding error")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.codingPath.map(\.stringValue) == ["durationNoise"])
            #expect(context.debugDescription == #"invalid distribution "gamma:shape=2": gamma needs parameter 'scale'"#)
        } catch {
            Issue.record("unexpected error \(error)")
        }
        let nested = #"{"durationNoise":"constant:1","sizes":["constant:1","poisson:mean=-3"]}"#
        do {
            _ = try JSONDecoder().decode(Scenario.self, from: Data(nested.utf8))
            Issue.record("expected a decoding error")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.codingPath.map(\.stringValue) == ["sizes", "Index 1"])
            #expect(context.debugDescription.hasSuffix("poisson mean must be ≥ 0, got -3"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
