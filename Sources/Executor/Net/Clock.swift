import Messages
import NIOCore

/// The executor's clock: the system-wide monotonic clock (CLOCK_MONOTONIC on
/// Linux), so times from the scheduler, worker and client processes on one
/// machine are directly comparable. Only the executor reads it; the state machines
/// get it as `now` with each stimulus.
public enum ExecutorClock {
    public static func now() -> Time {
        Time(nanoseconds: Int64(truncatingIfNeeded: NIODeadline.now().uptimeNanoseconds))
    }
}

extension TimeAmount {
    init(_ t: Time) { self = .nanoseconds(max(0, t.nanoseconds)) }
}
