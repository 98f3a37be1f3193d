/// The stable functions that turn a run seed and a stream name into a GSL seed.
///
/// They are written out here, and documented in `docs/randomness.md`, because
/// reproducibility across processes, machines and Swift versions depends on
/// them: Swift's `Hasher` is randomly seeded per process and must never be used
/// for this.
public enum SeedMixing {
    /// FNV-1a, 64-bit: offset basis 0xcbf29ce484222325, prime 0x100000001b3,
    /// applied to the bytes of the name's UTF-8 encoding.
    public static func fnv1a64(_ name: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The first output of a SplitMix64 generator whose state is `x`
    /// (Steele, Lea & Flood 2014): add the golden-ratio increment, then the
    /// variant-13 finaliser. A bijection on 64-bit values with strong avalanche.
    public static func splitMix64(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The 64-bit key of the stream `name` under run seed `seed`:
    /// `splitMix64(splitMix64(seed) ^ fnv1a64(name))`.
    ///
    /// Mixing the seed before the xor keeps nearby run seeds (1, 2, 3 …) from
    /// producing related keys for the same name.
    public static func streamKey(seed: UInt64, name: String) -> UInt64 {
        splitMix64(splitMix64(seed) ^ fnv1a64(name))
    }

    /// The value handed to `gsl_rng_set` for a stream key.
    ///
    /// GSL's mt19937 keeps only the low 32 bits of its seed and silently
    /// replaces seed 0 by 4357. So the 64-bit key is folded to 32 bits
    /// (`low32(key ^ (key >> 32))`) and a fold of 0 is replaced by
    /// `zeroReplacement`, which makes the mapping explicit instead of leaving
    /// it to GSL. Distinct streams therefore collide with probability 2⁻³² per
    /// pair.
    public static func gslSeed(forKey key: UInt64) -> UInt32 {
        let folded = UInt32(truncatingIfNeeded: key ^ (key >> 32))
        return folded == 0 ? zeroReplacement : folded
    }

    /// Used instead of a folded seed of 0 (see `gslSeed(forKey:)`).
    public static let zeroReplacement: UInt32 = 0x9e37_79b9
}
