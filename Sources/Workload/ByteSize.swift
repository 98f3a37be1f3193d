/// The one parser of human-readable sizes (`4GiB`, `500MB`, `1e9`, `1000`), for
/// flags, cluster files and scheduler settings alike. It lives in `Workload`, the
/// lowest module every user depends on (`Scheduler` for its settings, `Simulation`
/// for clusters, the CLI for the executor's `--memory-limit`), so all three read
/// a size the same way and none can trap on a huge one.
public enum ByteSize {
    /// Units, matched case-insensitively: decimal (kB, MB, GB, TB) and binary
    /// (KiB, MiB, GiB, TiB); none or `B` is bytes.
    static let factors: [String: Double] = [
        "": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
        "kib": 1024, "mib": 1_048_576, "gib": 1_073_741_824, "tib": 1_099_511_627_776,
    ]

    /// Bytes, or nil for text that is not a size >= 0 or whose value does not fit
    /// `Int64` (the guard: `Int64(Double)` traps at 2^63 and above, `1e30GB` included).
    public static func parse(_ text: String) -> Int64? {
        let (number, unit) = split(text)
        guard let value = Double(number), value.isFinite, value >= 0,
              let factor = factors[unit.lowercased()] else { return nil }
        let bytes = (value * factor).rounded()
        // Double(Int64.max) is exactly 2^63, one past the largest Int64.
        guard bytes < Double(Int64.max) else { return nil }
        return Int64(bytes)
    }

    /// Splits `12.5 GiB` into `("12.5", "GiB")`: the longest prefix of digits, `.`,
    /// signs and exponents (an `e` starts a unit unless a digit or sign follows it).
    static func split(_ text: String) -> (String, String) {
        let chars = Array(text.trimmingWhitespace)
        var end = 0
        while end < chars.count {
            let c = chars[end]
            if c == "e" || c == "E" {
                guard end + 1 < chars.count, chars[end + 1].isASCII,
                      chars[end + 1].isNumber || chars[end + 1] == "+" || chars[end + 1] == "-" else { break }
            } else if !(c.isASCII && (c.isNumber || c == "." || c == "+" || c == "-")) {
                break
            }
            end += 1
        }
        return (String(chars[..<end]), String(chars[end...]).trimmingWhitespace)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line breaks.
    fileprivate var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
