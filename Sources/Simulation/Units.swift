import Workload

/// Parsing of the human-readable quantities in flags and cluster files:
/// sizes (`4GiB`, `500MB`, `1000`), durations (`10us`, `1.5ms`, `2s`) and
/// bandwidths (`1.25GB/s`, `10Gbit/s`).
public enum Units {
    /// Bytes: decimal (kB, MB, GB, TB) and binary (KiB, MiB, GiB, TiB) suffixes; a
    /// bare number is bytes. The one shared parser (`Workload.ByteSize`).
    public static func bytes(_ text: String) -> Int64? { ByteSize.parse(text) }

    /// Nanoseconds. Suffixes ns, us (µs), ms, s; a bare number is seconds.
    public static func duration(_ text: String) -> Int64? {
        let (number, unit) = split(text)
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        let factors: [String: Double] = ["": 1e9, "s": 1e9, "ms": 1e6, "us": 1e3, "µs": 1e3, "ns": 1]
        guard let factor = factors[unit.lowercased()] else { return nil }
        let ns = (value * factor).rounded()
        guard ns < 9.2e18 else { return nil }
        return Int64(ns)
    }

    /// Bytes per second. `B/s` suffixes as for sizes (`1.25GB/s`, `100MiB/s`), or bits
    /// (`10Gbit/s`, `10Gbps`); a bare number is bytes per second. Must be > 0.
    public static func bandwidth(_ text: String) -> Double? {
        let lower = text.lowercased()
        let bitUnits: [(String, Double)] = [("gbit/s", 1e9 / 8), ("gbps", 1e9 / 8), ("mbit/s", 1e6 / 8), ("mbps", 1e6 / 8)]
        for (suffix, factor) in bitUnits where lower.hasSuffix(suffix) {
            guard let value = Double(lower.dropLast(suffix.count).trimmingSpaces), value.isFinite, value > 0 else { return nil }
            return value * factor
        }
        let stem = lower.hasSuffix("/s") ? String(lower.dropLast(2)) : lower
        guard let bytes = bytesPerSecond(stem), bytes > 0 else { return nil }
        return bytes
    }

    private static func bytesPerSecond(_ text: String) -> Double? {
        let (number, unit) = split(text)
        guard let value = Double(number), value.isFinite else { return nil }
        let factors: [String: Double] = [
            "": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
            "kib": 1024, "mib": 1_048_576, "gib": 1_073_741_824,
        ]
        guard let factor = factors[unit] else { return nil }
        return value * factor
    }

    /// Splits `12.5GiB` into `("12.5", "GiB")`.
    static func split(_ text: String) -> (String, String) {
        let trimmed = text.trimmingSpaces
        var end = trimmed.startIndex
        while end < trimmed.endIndex, let ascii = trimmed[end].asciiValue,
              (ascii >= 0x30 && ascii <= 0x39) || ascii == 0x2E || ascii == 0x65 || ascii == 0x45 || ascii == 0x2B || ascii == 0x2D {
            // Stop at an `e` that starts a unit rather than an exponent ("1e9" vs "...").
            if (ascii == 0x65 || ascii == 0x45) {
                let next = trimmed.index(after: end)
                guard next < trimmed.endIndex, let n = trimmed[next].asciiValue,
                      (n >= 0x30 && n <= 0x39) || n == 0x2B || n == 0x2D else { break }
            }
            end = trimmed.index(after: end)
        }
        return (String(trimmed[..<end]), String(trimmed[end...]).trimmingSpaces)
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " { start = index(after: start) }
        while end > start, self[index(before: end)] == " " { end = index(before: end) }
        return String(self[start..<end])
    }
}
