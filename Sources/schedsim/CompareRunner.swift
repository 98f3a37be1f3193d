#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Recording

/// Runs `compare`'s grid on `jobs` threads. Each thread takes the next run
/// from a shared counter and stores its result at the run's own index, so the
/// results come back in grid order whatever the completion order.
struct CompareRunner {
    let setup: CompareSetup
    let runs: [CompareRun]
    let jobs: Int
    let showProgress: Bool

    func run() -> [CompareResult] {
        let shared = Shared(count: runs.count, showProgress: showProgress)
        let group = DispatchGroup()
        let setup = self.setup
        let runs = self.runs
        for _ in 0..<max(1, min(jobs, runs.count)) {
            group.enter()
            RunnerThread.start {
                while let index = shared.next() {
                    let result = setup.execute(runs[index])
                    shared.store(result, at: index, label: "\(setup.traces[runs[index].trace].workload.name) \(runs[index].policyLabel) seed \(runs[index].seed)")
                }
                group.leave()
            }
        }
        group.wait()
        shared.finishProgress()
        return shared.results()
    }

    /// The state the threads share, behind one lock.
    final class Shared: @unchecked Sendable {
        private var lock = pthread_mutex_t()
        private var nextIndex = 0
        private var slots: [CompareResult?]
        private var done = 0
        private var failed = 0
        private let showProgress: Bool
        private let started = WallClock.now()

        init(count: Int, showProgress: Bool) {
            slots = Array(repeating: nil, count: count)
            self.showProgress = showProgress
            pthread_mutex_init(&lock, nil)
        }

        deinit { pthread_mutex_destroy(&lock) }

        private func locked<T>(_ body: () -> T) -> T {
            pthread_mutex_lock(&lock)
            defer { pthread_mutex_unlock(&lock) }
            return body()
        }

        func next() -> Int? {
            locked {
                guard nextIndex < slots.count else { return nil }
                defer { nextIndex += 1 }
                return nextIndex
            }
        }

        func store(_ result: CompareResult, at index: Int, label: String) {
            locked {
                slots[index] = result
                done += 1
                if result.row.outcome != "completed" { failed += 1 }
                if showProgress { drawProgress(last: label) }
            }
        }

        /// `[########............] 12/40 runs, 1 not completed, 3 s — last: montage heft/exact seed 2`
        private func drawProgress(last: String) {
            let width = 24
            let filled = slots.isEmpty ? width : width * done / slots.count
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let elapsed = Int(WallClock.now() - started)
            let failures = failed > 0 ? ", \(failed) not completed" : ""
            printErrorInline("compare [\(bar)] \(done)/\(slots.count) runs\(failures), \(elapsed) s — last: \(last)")
        }

        func finishProgress() {
            if showProgress { printErrorInline(nil) }
        }

        func results() -> [CompareResult] {
            locked { slots.compactMap { $0 } }
        }
    }
}

/// A plain POSIX thread running one closure (Dispatch's global pool would cap
/// or share the concurrency; `--jobs` asks for exactly N runners).
enum RunnerThread {
    static func start(_ body: @escaping @Sendable () -> Void) {
        final class Box: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        // Simulations of deep graphs need more than the default thread stack; 64 MiB is plenty.
        pthread_attr_setstacksize(&attributes, 64 << 20)
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let status = pthread_create(&thread, &attributes, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        pthread_attr_destroy(&attributes)
        if status != 0 {
            // Could not start a thread: run the work on this one instead.
            Unmanaged<Box>.fromOpaque(box).takeRetainedValue().body()
        } else {
            pthread_detach(thread)
        }
    }
}
