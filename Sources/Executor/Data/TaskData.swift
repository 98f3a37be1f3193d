import NIOCore
import Stochastics

/// A task's emulated result: `nbytes` bytes filled with a pattern derived from the
/// task's key, and a checksum over them. Every receiver recomputes the checksum
/// and compares it with both the sender's and the one expected from the key, so a
/// lost, truncated or corrupted buffer is detected, never silently accepted.
public enum TaskData {
    /// FNV-1a over the key's UTF-8 (the same stable hash that names random
    /// streams): the pattern's seed.
    public static func seed(forKey key: String) -> UInt64 {
        SeedMixing.fnv1a64(key)
    }

    /// The pattern's 8-byte word `i` (a splitmix64 step of seed + i).
    @inline(__always)
    static func word(_ seed: UInt64, _ i: UInt64) -> UInt64 {
        var z = seed &+ (i &* 0x9e37_79b9_7f4a_7c15)
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The checksum's starting value for a buffer of `count` bytes (the length is mixed in).
    @inline(__always)
    static func checksumStart(count: Int) -> UInt64 { 0x243f_6a88_85a3_08d3 ^ UInt64(count) }

    /// One checksum step: folds the next 8-byte word (little-endian) into the hash.
    /// The writer, `checksum` and `scan` all use it, so they cannot drift apart.
    @inline(__always)
    static func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
        let m = (h ^ w) &* 0x9e37_79b9_7f4a_7c15
        return m ^ (m >> 29)
    }

    /// The last, partial word of `raw` from byte `i` on, zero-padded.
    @inline(__always)
    static func tailWord(_ raw: UnsafeRawBufferPointer, from i: Int) -> UInt64 {
        var w: UInt64 = 0
        for j in 0..<(raw.count - i) { w |= UInt64(raw[i + j]) << (8 * UInt64(j)) }
        return w
    }

    /// A buffer of `nbytes` pattern bytes for `key`.
    public static func make(key: String, nbytes: Int, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        makeWithChecksum(key: key, nbytes: nbytes, allocator: allocator).data
    }

    /// A result buffer and its checksum (`checksum(data)`), written and hashed in one pass.
    public static func makeWithChecksum(key: String, nbytes: Int, allocator: ByteBufferAllocator = ByteBufferAllocator())
        -> (data: ByteBuffer, checksum: UInt64)
    {
        let s = seed(forKey: key)
        var buffer = allocator.buffer(capacity: nbytes)
        var h: UInt64 = checksumStart(count: nbytes)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: nbytes) { raw in
            var i = 0
            while i + 8 <= nbytes {
                let w = word(s, UInt64(i / 8))
                raw.storeBytes(of: w.littleEndian, toByteOffset: i, as: UInt64.self)
                h = mix(h, w)
                i += 8
            }
            if i < nbytes {
                let last = word(s, UInt64(i / 8))
                var w: UInt64 = 0
                for j in 0..<(nbytes - i) {
                    let byte = UInt8(truncatingIfNeeded: last >> (8 * UInt64(j)))
                    raw[i + j] = byte
                    w |= UInt64(byte) << (8 * UInt64(j))
                }
                h = mix(h, w)
            }
            return nbytes
        }
        return (buffer, h)
    }

    /// Checksum of the readable bytes: a 64-bit multiply-xor hash over 8-byte words
    /// (tail bytes zero-padded) mixed with the length.
    public static func checksum(_ buffer: ByteBuffer) -> UInt64 {
        buffer.withUnsafeReadableBytes { raw in
            var h = checksumStart(count: raw.count)
            var i = 0
            while i + 8 <= raw.count {
                let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                h = mix(h, w)
                i += 8
            }
            if i < raw.count {
                let w = tailWord(raw, from: i)
                h = mix(h, w)
            }
            return h
        }
    }

    /// The checksum a correct buffer of `nbytes` for `key` has (computed without keeping the buffer).
    public static func expectedChecksum(key: String, nbytes: Int) -> UInt64 {
        checksum(make(key: key, nbytes: nbytes))
    }

    /// Checksum of the bytes and whether they equal the key's pattern, in one pass.
    static func scan(_ buffer: ByteBuffer, key: String) -> (checksum: UInt64, matchesPattern: Bool) {
        let s = seed(forKey: key)
        return buffer.withUnsafeReadableBytes { raw in
            var h = checksumStart(count: raw.count)
            var same = true
            var i = 0
            while i + 8 <= raw.count {
                let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if w != word(s, UInt64(i / 8)) { same = false }
                h = mix(h, w)
                i += 8
            }
            if i < raw.count {
                let w = tailWord(raw, from: i)
                let tailBits = UInt64(8 * (raw.count - i))
                if w != word(s, UInt64(i / 8)) & ((1 << tailBits) - 1) { same = false }
                h = mix(h, w)
            }
            return (h, same)
        }
    }

    /// Why received data is not acceptable, or nil if it is: the checksum must match
    /// the sender's, the size the graph's, and the content the key's pattern.
    public static func verify(key: String, expectedBytes: Int64?, item: DataItem) -> String? {
        let (actual, matches) = scan(item.payload, key: key)
        if actual != item.checksum {
            return "key '\(key)': checksum mismatch (sent \(item.checksum), received bytes hash to \(actual))"
        }
        if let expectedBytes, Int64(item.payload.readableBytes) != expectedBytes {
            return "key '\(key)': \(item.payload.readableBytes) bytes received, \(expectedBytes) expected"
        }
        if !matches {
            return "key '\(key)': content differs from the key's pattern"
        }
        return nil
    }
}
