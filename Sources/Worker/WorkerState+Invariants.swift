import Messages

/// Broken worker invariants, one line each, naming the key and the rule.
public struct WorkerInvariantError: Error, CustomStringConvertible {
    public var worker: WorkerID
    public var problems: [String]
    public var description: String { "\(worker): " + problems.joined(separator: "; ") }
}

/// Dask's `validate_state` / `validate_task`: every per-task rule and every counter
/// recomputed from scratch. Expensive; tests run it after each stimulus.
extension WorkerState {
    /// Throws if any invariant is broken, or a transition was refused earlier.
    public func _checkInvariants() throws {
        let problems = invariantViolations + invariantProblems()
        if !problems.isEmpty { throw WorkerInvariantError(worker: id, problems: problems) }
    }

    func invariantProblems() -> [String] {
        var problems: [String] = []
        func check(_ ok: Bool, _ slot: Int32, _ rule: @autoclosure () -> String) {
            if !ok { problems.append("\(keyName(slot)) [\(records[Int(slot)].state.rawValue)]: \(rule())") }
        }
        var counts = [Int](repeating: 0, count: 15)
        var executing = 0, longRunning = 0, inFlight = 0, managed: Int64 = 0, spilled: Int64 = 0
        var needed = [Int](repeating: 0, count: peers.count)
        var heldResources = [Double](repeating: 0, count: totalResources.count)

        var pairs: [(TaskID, Int32)] = []
        slotOf.forEach { pairs.append(($0, $1)) }
        for (key, slot) in pairs {
            guard Int(slot) < records.count, records[Int(slot)].id == key else {
                problems.append("slot map entry for \(key) is wrong")
                continue
            }
            let r = records[Int(slot)]
            counts[r.state.counterIndex] += 1
            if r.inExecuting { executing += 1 }
            if r.inLongRunning { longRunning += 1 }
            if r.inFlight { inFlight += 1 }
            if r.state == .memory {
                managed += r.nbytes
                if r.spilled { spilled += r.nbytes }
            }
            if r.inExecuting || r.inLongRunning {
                for use in r.resources where use.index >= 0 { heldResources[Int(use.index)] += use.amount }
            }
            check(!(r.inExecuting && r.inLongRunning), slot, "both executing and long-running")
            check(!r.whoHas.contains(id), slot, "who_has lists this worker")
            check(r.whoHas == r.whoHas.sorted(), slot, "who_has not sorted")
            for w in r.whoHas {
                if r.fetchStamp != 0 {
                    let p = peerSlotOf[w]
                    check(p != nil, slot, "in data_needed of \(w), which is not a known peer")
                    if let p { needed[Int(p)] += 1 }
                }
            }
            for d in r.dependencies {
                check(slotOf[records[Int(d)].id] == d, slot, "dependency slot \(d) is not live")
                check(records[Int(d)].dependents.contains(slot), slot, "dependency \(keyName(d)) lacks the dependent link")
            }
            for d in r.dependents {
                check(slotOf[records[Int(d)].id] == d, slot, "dependent slot \(d) is not live")
                check(records[Int(d)].dependencies.contains(slot), slot, "dependent \(keyName(d)) lacks the dependency link")
            }
            check((r.fetchStamp != 0) == (r.state == .fetch), slot, "in data_needed iff fetch")
            check((r.queueStamp != 0) == (r.state == .ready || r.state == .constrained), slot,
                  "in the ready/constrained heap iff ready/constrained")
            check(r.inLRU == (r.state == .memory && !r.spilled && !r.isActor), slot, "LRU membership")
            check(r.recPos == -1, slot, "recommendation left pending")

            let computing = r.state == .executing || r.state == .longRunning
                || ((r.state == .cancelled || r.state == .resumed) && (r.previous == .executing || r.previous == .longRunning))
            let transferring = r.state == .flight
                || ((r.state == .cancelled || r.state == .resumed) && r.previous == .flight)
            check(computing == (r.inExecuting || r.inLongRunning), slot, "executing/long_running membership")
            if computing {
                let realState = r.state == .executing || r.state == .longRunning ? r.state : r.previous
                check(r.inExecuting == (realState == .executing), slot, "executing set vs previous")
                check(r.waitingForData.isEmpty, slot, "running with waiting_for_data")
            }
            check(transferring == r.inFlight, slot, "in_flight_tasks membership")
            if transferring {
                let peerOK = r.comingFrom.flatMap { peerSlotOf[$0] }.map {
                    peers[Int($0)].inFlight && peers[Int($0)].inFlightKeys.contains(slot)
                } ?? false
                check(peerOK, slot, "coming_from is not a peer in flight with this key")
            }
            switch r.state {
            case .waiting:
                let expected = r.dependencies.filter { records[Int($0)].state != .memory }.sorted()
                check(!r.waitingForData.isEmpty, slot, "waiting with empty waiting_for_data")
                check(r.waitingForData.sorted() == expected, slot, "waiting_for_data differs from deps not in memory")
                check(!r.done, slot, "waiting but done")
            case .ready, .constrained:
                check(r.waitingForData.isEmpty, slot, "queued with waiting_for_data")
                check(r.dependencies.allSatisfy { records[Int($0)].state == .memory }, slot, "queued with deps not in memory")
                check((r.state == .constrained) == !r.resources.isEmpty, slot, "constrained iff resources")
            case .fetch:
                check(!r.whoHas.isEmpty, slot, "fetch without holders")
                check(!r.done, slot, "fetch but done")
            case .missing:
                check(r.whoHas.isEmpty, slot, "missing with holders")
            case .cancelled:
                check(r.next == nil, slot, "cancelled with next")
                check(computing || transferring, slot, "cancelled but neither running nor in flight")
            case .resumed:
                check((r.previous == .flight && r.next == .waiting) || (r.previous != .flight && r.next == .fetch),
                      slot, "resumed previous/next mismatch")
            case .released:
                check(r.previous == nil && r.next == nil, slot, "released with previous/next")
                check(r.waitingForData.isEmpty, slot, "released with waiting_for_data")
                check(!r.done, slot, "released but done")
                check(r.exception == nil, slot, "released with an exception")
                check(r.fetchStamp == 0 && r.queueStamp == 0 && !r.inLRU, slot, "released but still queued")
            case .memory:
                check(r.nbytes >= 0, slot, "memory without nbytes")
                check(r.waitingForData.isEmpty, slot, "memory with waiting_for_data")
            default:
                break
            }
            for w in r.waitingForData {
                check(r.dependencies.contains(w), slot, "waits for a non-dependency")
            }
        }
        if counts != stateCounts { problems.append("state counts \(stateCounts) != recount \(counts)") }
        if executing != executingTasks { problems.append("executing count \(executingTasks) != \(executing)") }
        if longRunning != longRunningTasks { problems.append("long-running count \(longRunningTasks) != \(longRunning)") }
        if inFlight != inFlightTaskCount { problems.append("in-flight task count \(inFlightTaskCount) != \(inFlight)") }
        if managed != managedBytesTotal { problems.append("managed bytes \(managedBytesTotal) != \(managed)") }
        if spilled != spilledBytesTotal { problems.append("spilled bytes \(spilledBytesTotal) != \(spilled)") }
        if executingTasks > spec.nthreads { problems.append("\(executingTasks) executing on \(spec.nthreads) threads") }

        var flightPeers = 0
        var flightBytes: Int64 = 0
        for (p, peer) in peers.enumerated() {
            if needed[p] != peer.dataNeededCount {
                problems.append("data_needed[\(peer.id)] count \(peer.dataNeededCount) != \(needed[p])")
            }
            // The heap itself, not only its counter: every `fetch` task this peer holds
            // must have exactly one live entry in it. (Counting alone missed a live entry
            // lost from the heap while the counter still included it: issue 15.)
            var live = 0
            for entry in peer.dataNeeded.entries where records[Int(entry.slot)].fetchStamp == entry.stamp {
                live += 1
                let r = records[Int(entry.slot)]
                if r.state != .fetch || !r.whoHas.contains(peer.id) {
                    problems.append("data_needed[\(peer.id)] has a live entry for \(keyName(entry.slot)), not fetched from it")
                }
            }
            if live != needed[p] {
                problems.append("data_needed[\(peer.id)] heap has \(live) live entries for \(needed[p]) tasks in fetch")
            }
            if peer.dataNeededCount > 0 && !peer.listedAsNeeded {
                problems.append("\(peer.id) has data_needed but is not listed")
            }
            if peer.inFlight {
                flightPeers += 1
                flightBytes += peer.inFlightBytes
                if peer.inFlightKeys.isEmpty { problems.append("\(peer.id) in flight with no keys") }
            }
        }
        if flightPeers != inFlightPeerCount { problems.append("in-flight peers \(inFlightPeerCount) != \(flightPeers)") }
        if flightBytes != incomingBytes { problems.append("incoming bytes \(incomingBytes) != \(flightBytes)") }

        for i in totalResources.indices {
            let sum = availableResources[i] + heldResources[i]
            if abs(sum - totalResources[i]) > 1e-9 || availableResources[i] < -1e-9 {
                problems.append("resource \(resourceNames[i]): available \(availableResources[i]) + held \(heldResources[i]) != total \(totalResources[i])")
            }
        }

        var lruCount = 0
        var cursor = lruHead
        var prev: Int32 = -1
        while cursor >= 0 && lruCount <= records.count {
            if records[Int(cursor)].lruPrev != prev { problems.append("LRU back link broken at \(keyName(cursor))") }
            prev = cursor
            cursor = records[Int(cursor)].lruNext
            lruCount += 1
        }
        if prev != lruTail { problems.append("LRU tail is wrong") }
        let inLRU = pairs.reduce(0) { $0 + (records[Int($1.1)].inLRU ? 1 : 0) }
        if lruCount != inLRU { problems.append("LRU list has \(lruCount) keys, \(inLRU) flagged") }
        if !recStack.isEmpty { problems.append("recommendations left after a stimulus") }
        return problems.sorted()
    }
}
