import CGSL

/// A named, seeded stream of random numbers: one GSL Mersenne Twister
/// (`gsl_rng_mt19937`) owned by this object.
///
/// Every random draw in schedsim comes from such a stream. Each component asks
/// for its own stream by name (for example `"network"` or `"generator/durations"`),
/// derived from the single run seed, so that adding a draw in one component never
/// shifts the numbers another component sees.
///
/// How the generator is seeded (see `SeedMixing` and `docs/randomness.md`):
///
///     key     = splitMix64(splitMix64(seed) ^ fnv1a64(utf8(name)))
///     gslSeed = low32(key ^ (key >> 32)), with 0 replaced by 0x9e3779b9
///     gsl_rng_set(mt19937, gslSeed)
///
/// A stream is a mutable object and is not safe to share between threads;
/// give each thread (or each component) its own stream.
///
/// It deliberately does not conform to Swift's `RandomNumberGenerator`: the
/// standard library does not promise that `shuffled(using:)` or
/// `Int.random(in:using:)` consume numbers the same way in every Swift
/// version, so results could change with the compiler. Use this type's own
/// `shuffle`, `choice` and `uniformInt`, whose draws are documented.
public final class RandomStream {
    /// The run seed this stream was derived from.
    public let seed: UInt64
    /// The stream's name; derived streams have `parent/child` names.
    public let name: String
    /// The value passed to `gsl_rng_set`; a C program using `gsl_rng_mt19937`
    /// with this seed produces exactly the same numbers.
    public let gslSeed: UInt32
    /// The GSL generator. Internal so that `Distribution` can sample from it.
    let generator: UnsafeMutablePointer<gsl_rng>

    /// The stream called `name` under run seed `seed`.
    public convenience init(seed: UInt64, name: String) {
        let key = SeedMixing.streamKey(seed: seed, name: name)
        self.init(seed: seed, name: name, gslSeed: SeedMixing.gslSeed(forKey: key))
    }

    /// A raw mt19937 generator seeded with `gslSeed` exactly as
    /// `gsl_rng_set(r, gslSeed)` would, without any name mixing. Meant for
    /// cross-checks against C programs. Its `name` is empty and its `seed` is
    /// `gslSeed`, so `derived` still works. Note that GSL treats seed 0 as 4357.
    public convenience init(gslSeed: UInt32) {
        self.init(seed: UInt64(gslSeed), name: "", gslSeed: gslSeed)
    }

    private init(seed: UInt64, name: String, gslSeed: UInt32) {
        GSLLibrary.prepare()
        guard let generator = gsl_rng_alloc(schedsim_gsl_rng_mt19937()) else {
            // Only fails when malloc fails; there is nothing sensible to continue with.
            fatalError("gsl_rng_alloc failed: out of memory")
        }
        gsl_rng_set(generator, UInt(gslSeed))
        self.seed = seed
        self.name = name
        self.gslSeed = gslSeed
        self.generator = generator
    }

    deinit {
        gsl_rng_free(generator)
    }

    /// The independent stream `name + "/" + child` under the same run seed.
    ///
    /// The result depends only on the run seed and the names, never on how
    /// many numbers were already drawn from this stream, and drawing from one
    /// stream never changes another.
    public func derived(_ child: String) -> RandomStream {
        RandomStream(seed: seed, name: name + "/" + child)
    }

    /// The next raw 32-bit output of the generator (`gsl_rng_get`).
    @inline(__always)
    public func nextUInt32() -> UInt32 {
        // mt19937's range is [0, 2^32 - 1], so nothing is lost.
        UInt32(truncatingIfNeeded: gsl_rng_get(generator))
    }

    /// A uniform double in [0, 1) (`gsl_rng_uniform`; may return 0, never 1).
    @inline(__always)
    public func uniform() -> Double {
        gsl_rng_uniform(generator)
    }

    /// A uniform double in (0, 1) (`gsl_rng_uniform_pos`; never 0, so safe under `log`).
    @inline(__always)
    public func uniformPositive() -> Double {
        gsl_rng_uniform_pos(generator)
    }

    /// A uniform integer in `0..<n` (`gsl_rng_uniform_int`, which rejects
    /// rather than taking a biased modulo).
    ///
    /// - Precondition: `1 <= n <= 4_294_967_295` (mt19937 produces 32 bits).
    ///   These bounds come from the caller's code, not from user data.
    @inline(__always)
    public func uniformInt(below n: Int) -> Int {
        precondition(n >= 1 && n <= Int(UInt32.max), "uniformInt(below:) needs 1 <= n <= 2^32 - 1, got \(n)")
        return Int(gsl_rng_uniform_int(generator, UInt(n)))
    }
}
