import Messages

/// The memory model: Dask's `SpillBuffer` (least recently used keys move to disk
/// above `target`) and memory monitor (`spill`, `pause`, `terminate` thresholds on
/// process memory = managed bytes in memory + `unmanagedMemory`).
///
/// The worker decides *what* is spilled or read back and reports it with `spill` /
/// `unspill` instructions; the driver models the disk time. Actor results are never
/// spilled (Dask keeps actors outside the `SpillBuffer`).
extension WorkerState {
    /// Process memory as the monitor sees it.
    public var processMemory: Int64 { memoryBytes + config.unmanagedMemory }

    private func bytes(forFraction fraction: Double?) -> Int64? {
        guard spec.memoryLimit > 0, let fraction else { return nil }
        return Int64((Double(spec.memoryLimit) * fraction).rounded(.down))
    }

    // MARK: LRU list

    private func lruAppend(_ slot: Int32) {
        records[Int(slot)].inLRU = true
        records[Int(slot)].lruPrev = lruTail
        records[Int(slot)].lruNext = -1
        if lruTail >= 0 { records[Int(lruTail)].lruNext = slot } else { lruHead = slot }
        lruTail = slot
    }

    private func lruRemove(_ slot: Int32) {
        guard records[Int(slot)].inLRU else { return }
        let prev = records[Int(slot)].lruPrev
        let next = records[Int(slot)].lruNext
        if prev >= 0 { records[Int(prev)].lruNext = next } else { lruHead = next }
        if next >= 0 { records[Int(next)].lruPrev = prev } else { lruTail = prev }
        records[Int(slot)].inLRU = false
        records[Int(slot)].lruPrev = -1
        records[Int(slot)].lruNext = -1
    }

    // MARK: SpillBuffer

    /// A result enters memory: most recently used; keys larger than the whole target
    /// go straight to disk; then the oldest keys spill until managed memory fits `target`.
    func storeInMemory(_ slot: Int32) {
        if records[Int(slot)].isActor { return }
        if let target = bytes(forFraction: config.memoryTarget), records[Int(slot)].nbytes > target {
            records[Int(slot)].spilled = true
            spilledBytesTotal += records[Int(slot)].nbytes
            out.append(.spill(keys: [records[Int(slot)].id], bytes: records[Int(slot)].nbytes))
            return
        }
        lruAppend(slot)
        if let target = bytes(forFraction: config.memoryTarget) {
            spill(downTo: target, counting: memoryBytes, sparing: EmptyCollection())
        }
    }

    /// A result leaves memory (released): forget it in the LRU list and the byte counts.
    func dropData(_ slot: Int32) {
        guard records[Int(slot)].state == .memory else { return }
        managedBytesTotal -= max(0, records[Int(slot)].nbytes)
        if records[Int(slot)].spilled {
            spilledBytesTotal -= max(0, records[Int(slot)].nbytes)
            records[Int(slot)].spilled = false
        }
        lruRemove(slot)
    }

    /// Reads keys for a task or a peer: spilled keys are read from disk (one `unspill`)
    /// and move back to memory unless larger than `target`; keys in memory become most
    /// recently used; then `target` is enforced again.
    func readKeys<Slots: Sequence<Int32>>(_ slots: Slots) {
        var unspilled: [TaskID] = []
        var unspilledBytes: Int64 = 0
        let target = bytes(forFraction: config.memoryTarget)
        for slot in slots where records[Int(slot)].state == .memory && !records[Int(slot)].isActor {
            if records[Int(slot)].spilled, let target, records[Int(slot)].nbytes > target {
                // Read from disk but left there: it would not fit in memory anyway (zict's
                // `Buffer` avoids this useless movement of heavy values).
                unspilled.append(records[Int(slot)].id)
                unspilledBytes += records[Int(slot)].nbytes
                continue
            }
            if records[Int(slot)].spilled {
                records[Int(slot)].spilled = false
                spilledBytesTotal -= records[Int(slot)].nbytes
                unspilled.append(records[Int(slot)].id)
                unspilledBytes += records[Int(slot)].nbytes
            } else {
                lruRemove(slot)
            }
            lruAppend(slot)
        }
        if !unspilled.isEmpty {
            out.append(.unspill(keys: unspilled, bytes: unspilledBytes))
            if let target {
                spill(downTo: target, counting: memoryBytes, sparing: slots)
            }
        }
    }

    func touchDependencies(_ slot: Int32) {
        let deps = records[Int(slot)].dependencies
        if !deps.isEmpty { readKeys(deps) }
    }

    /// Spills least recently used keys while `counting` (memory or process bytes) is
    /// above `limit`; keys in `sparing` (just read for a running task) stay.
    private func spill<Spared: Sequence<Int32>>(downTo limit: Int64, counting start: Int64, sparing: Spared) {
        var current = start
        var keys: [TaskID] = []
        var total: Int64 = 0
        var cursor = lruHead
        while current > limit && cursor >= 0 {
            let slot = cursor
            cursor = records[Int(slot)].lruNext
            if sparing.contains(slot) { continue }
            lruRemove(slot)
            records[Int(slot)].spilled = true
            let n = records[Int(slot)].nbytes
            spilledBytesTotal += n
            current -= n
            total += n
            keys.append(records[Int(slot)].id)
        }
        if !keys.isEmpty { out.append(.spill(keys: keys, bytes: total)) }
    }

    // MARK: memory monitor

    /// Dask's memory monitor, run after every stimulus: spill above `spill`, pause above
    /// `pause` (unpause below it), ask to be killed above `terminate`.
    func checkMemory() {
        if let spillBytes = bytes(forFraction: config.memorySpill), processMemory > spillBytes {
            let goal = bytes(forFraction: config.memoryTarget) ?? spillBytes
            spill(downTo: goal - config.unmanagedMemory, counting: memoryBytes, sparing: EmptyCollection())
        }
        if let pauseBytes = bytes(forFraction: config.memoryPause) {
            let wasRunning = running
            pausedByMemory = processMemory > pauseBytes
            if running != wasRunning { statusChanged() }
        }
        if let terminateBytes = bytes(forFraction: config.memoryTerminate), processMemory > terminateBytes,
           !terminateRequested {
            terminateRequested = true
            out.append(.terminate(reason: "process memory \(processMemory) bytes exceeds the terminate threshold of \(terminateBytes) bytes"))
        }
    }
}
