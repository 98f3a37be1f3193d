/// A point in time or a span of time, in integer nanoseconds.
///
/// Simulated time is integer nanoseconds so that sums are exact and runs are
/// reproducible; seconds as `Double` appear only at the edges (traces, logs).
public struct Time: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// Rounds to the nearest nanosecond (ties away from zero), saturating at the
    /// representable range so absurd inputs cannot trap.
    @inlinable
    public init(seconds: Double) {
        let ns = (seconds * 1e9).rounded(.toNearestOrAwayFromZero)
        if ns >= 9.2e18 { self.nanoseconds = Int64.max }
        else if ns <= -9.2e18 { self.nanoseconds = Int64.min }
        else { self.nanoseconds = Int64(ns) }
    }

    public static let zero = Time(nanoseconds: 0)
    public static let never = Time(nanoseconds: Int64.max)

    @inlinable public static func seconds(_ s: Double) -> Time { Time(seconds: s) }
    @inlinable public static func milliseconds(_ ms: Int64) -> Time { Time(nanoseconds: ms * 1_000_000) }
    @inlinable public static func microseconds(_ us: Int64) -> Time { Time(nanoseconds: us * 1_000) }

    @inlinable public var seconds: Double { Double(nanoseconds) / 1e9 }

    @inlinable public static func < (a: Time, b: Time) -> Bool { a.nanoseconds < b.nanoseconds }
    @inlinable public static func + (a: Time, b: Time) -> Time { Time(nanoseconds: a.nanoseconds &+ b.nanoseconds) }
    @inlinable public static func - (a: Time, b: Time) -> Time { Time(nanoseconds: a.nanoseconds &- b.nanoseconds) }
    @inlinable public static func += (a: inout Time, b: Time) { a.nanoseconds = a.nanoseconds &+ b.nanoseconds }

    /// Fixed notation with nanosecond precision, as the CSV logs print times: `12.000000500`.
    public var description: String { Time.format(nanoseconds) }

    public static func format(_ ns: Int64) -> String {
        let negative = ns < 0
        let magnitude = ns.magnitude
        let whole = magnitude / 1_000_000_000
        let frac = magnitude % 1_000_000_000
        var fracText = String(frac)
        fracText = String(repeating: "0", count: 9 - fracText.count) + fracText
        return (negative ? "-" : "") + "\(whole).\(fracText)"
    }
}
