import Testing
@testable import Stochastics

@Suite struct RandomStreamTests {
    func draws(_ stream: RandomStream, _ count: Int) -> [UInt32] {
        (0..<count).map { _ in stream.nextUInt32() }
    }

    @Test func sameSeedAndNameGiveSameSequence() {
        let a = RandomStream(seed: 2024, name: "durations")
        let b = RandomStream(seed: 2024, name: "durations")
        #expect(a.gslSeed == b.gslSeed)
        #expect(draws(a, 1000) == draws(b, 1000))
        // Also through Distribution sampling, which consumes variable numbers of draws.
        let d = Distribution.lognormal(mean: 1, cv: 0.5)
        #expect((0..<100).map { _ in d.sample(a) } == (0..<100).map { _ in d.sample(b) })
    }

    @Test func differentNamesOrSeedsGiveDifferentSequences() {
        let workers = draws(RandomStream(seed: 1, name: "workers"), 100)
        let network = draws(RandomStream(seed: 1, name: "network"), 100)
        let workersSeed2 = draws(RandomStream(seed: 2, name: "workers"), 100)
        // Unrelated 32-bit sequences agree in a position with probability 2^-32.
        #expect(zip(workers, network).filter { $0 == $1 }.count == 0)
        #expect(zip(workers, workersSeed2).filter { $0 == $1 }.count == 0)
        // Names are case- and byte-sensitive.
        #expect(RandomStream(seed: 1, name: "Workers").gslSeed != RandomStream(seed: 1, name: "workers").gslSeed)
    }

    @Test func derivedStreamIsTheNamedPathAndIgnoresParentDraws() {
        let root = RandomStream(seed: 99, name: "run")
        let fresh = draws(root.derived("network"), 20)
        _ = draws(root, 500) // drawing from the parent …
        #expect(draws(root.derived("network"), 20) == fresh) // … does not change the child.
        #expect(root.derived("network").name == "run/network")
        #expect(draws(RandomStream(seed: 99, name: "run/network"), 20) == fresh)
        #expect(root.derived("a").derived("b").name == "run/a/b")
    }

    @Test func drawingFromOneStreamDoesNotShiftAnother() {
        let root = RandomStream(seed: 5, name: "sim")
        let expectedB = draws(root.derived("b"), 50)

        let a = root.derived("a")
        let b = root.derived("b")
        // Interleave: many draws from a, a few from b, more from a.
        _ = draws(a, 1000)
        let firstHalf = draws(b, 25)
        _ = (0..<1000).map { _ in Distribution.gamma(shape: 0.5, scale: 2).sample(a) }
        let secondHalf = draws(b, 25)
        #expect(firstHalf + secondHalf == expectedB)
        #expect(draws(a, 50) != expectedB)
    }

    @Test func uniformStaysInUnitIntervalAndUniformIntInRange() {
        let stream = RandomStream(seed: 3, name: "ranges")
        for _ in 0..<10_000 {
            let u = stream.uniform()
            #expect(u >= 0 && u < 1)
            let p = stream.uniformPositive()
            #expect(p > 0 && p < 1)
        }
        // 60,000 throws of a die: each face's count is Binomial(60000, 1/6),
        // mean 10000, sd ≈ 91.3; allow 5 sd (457).
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 {
            counts[stream.uniformInt(below: 6)] += 1
        }
        for count in counts {
            #expect(abs(count - 10_000) <= 457, "face counts \(counts)")
        }
        #expect((0..<100).allSatisfy { _ in stream.uniformInt(below: 1) == 0 })
        // The upper limit of the generator's range is accepted.
        #expect(stream.uniformInt(below: Int(UInt32.max)) < Int(UInt32.max))
    }

    @Test func shuffleIsAPermutationAndFollowsGSLDrawOrder() {
        let stream = RandomStream(seed: 11, name: "shuffle")
        let twin = RandomStream(seed: 11, name: "shuffle")
        var values = Array(0..<10)
        stream.shuffle(&values)
        #expect(values.sorted() == Array(0..<10))
        #expect(values != Array(0..<10))

        // Replay the documented algorithm by hand with the twin stream.
        var expected = Array(0..<10)
        for i in stride(from: 9, to: 0, by: -1) {
            expected.swapAt(i, twin.uniformInt(below: i + 1))
        }
        #expect(values == expected)

        // Works on any element type, and `shuffled` matches `shuffle`.
        let names = ["a", "b", "c", "d", "e"]
        let left = RandomStream(seed: 1, name: "names")
        let right = RandomStream(seed: 1, name: "names")
        var inPlace = names
        left.shuffle(&inPlace)
        #expect(right.shuffled(names) == inPlace)
    }

    @Test func emptyAndSingleShuffleAndEmptyChoiceDrawNothing() {
        let stream = RandomStream(seed: 8, name: "no-draws")
        var empty: [Int] = []
        var single = [42]
        stream.shuffle(&empty)
        stream.shuffle(&single)
        #expect(stream.choice([Int]()) == nil)
        #expect(single == [42])
        // The stream is still at its first value.
        #expect(stream.nextUInt32() == RandomStream(seed: 8, name: "no-draws").nextUInt32())
    }

    @Test func choicePicksTheElementAtAUniformIndex() {
        let stream = RandomStream(seed: 4, name: "choice")
        let twin = RandomStream(seed: 4, name: "choice")
        let workers = ["tcp://a", "tcp://b", "tcp://c", "tcp://d"]
        for _ in 0..<100 {
            #expect(stream.choice(workers) == workers[twin.uniformInt(below: workers.count)])
        }
        // Non-array collections: a range's elements, offset from its start.
        #expect(stream.choice(10..<11) == 10)
    }
}
