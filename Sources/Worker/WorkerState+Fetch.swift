import HeapModule
import Messages

/// The fetch path: `data_needed` per peer, `_ensure_communicating`, transfer
/// completions, replica lists (`who_has` / `has_what`), peers leaving.
extension WorkerState {
    // MARK: peers

    /// The slot of a peer, created on first sight (its host is asked once).
    func peerSlot(_ worker: WorkerID) -> Int32 {
        if let p = peerSlotOf[worker] { return p }
        let p = Int32(peers.count)
        let sameHost = hostOf(worker).map { $0 == spec.host } ?? false
        peers.append(PeerRecord(id: worker, sameHost: sameHost))
        peerSlotOf[worker] = p
        return p
    }

    // MARK: data_needed

    /// Puts a `fetch` task into the `data_needed` heap of every holder.
    func addToDataNeeded(_ slot: Int32) {
        let stamp = nextStamp()
        records[Int(slot)].fetchStamp = stamp
        fetchDirty = true
        let entry = SlotHeapEntry(priority: records[Int(slot)].priority, stamp: stamp, slot: slot)
        for w in records[Int(slot)].whoHas {
            let p = Int(peerSlot(w))
            peers[p].dataNeeded.push(entry)
            peers[p].dataNeededCount += 1
            if !peers[p].listedAsNeeded {
                peers[p].listedAsNeeded = true
                neededPeers.append(Int32(p))
            }
        }
    }

    /// Takes a task out of every `data_needed` heap (its entries become stale).
    func removeFromDataNeeded(_ slot: Int32) {
        guard records[Int(slot)].fetchStamp != 0 else { return }
        records[Int(slot)].fetchStamp = 0
        fetchDirty = true
        for w in records[Int(slot)].whoHas {
            if let p = peerSlotOf[w] {
                peers[Int(p)].dataNeededCount -= 1
                if peers[Int(p)].dataNeeded.count > 2 * peers[Int(p)].dataNeededCount + 64 {
                    peers[Int(p)].dataNeeded.compact { records[Int($0.slot)].fetchStamp == $0.stamp }
                }
            }
        }
    }

    /// The most urgent live task in a peer's `data_needed`.
    private func liveNeeded(_ p: Int) -> SlotHeapEntry? {
        while let top = peers[p].dataNeeded.top {
            if records[Int(top.slot)].fetchStamp == top.stamp { return top }
            peers[p].dataNeeded.popTop()
        }
        return nil
    }

    // MARK: who_has

    /// Dask's `_update_who_has`: replace each known key's holder list (never this worker).
    func updateWhoHas(_ replicas: [DependencyReplicas]) {
        for replica in replicas {
            guard let slot = slotOf[replica.key] else { continue }
            let holders = normalizedHolders(replica.whoHas)
            if holders == records[Int(slot)].whoHas { continue }
            setWhoHas(slot, holders)
            if holders.isEmpty && records[Int(slot)].state == .fetch {
                recommend(slot, .missing)
            }
        }
    }

    /// Changes a task's holders, keeping `data_needed` in step. (Dask's `has_what` is
    /// not stored: the rare events that need it scan the known tasks' `who_has`.)
    func setWhoHas(_ slot: Int32, _ holders: [WorkerID]) {
        let inFetch = records[Int(slot)].fetchStamp != 0
        if inFetch { removeFromDataNeeded(slot) }
        records[Int(slot)].whoHas = holders
        if inFetch && !holders.isEmpty { addToDataNeeded(slot) }
    }

    /// Holders sorted by id, without duplicates and without this worker. The scheduler
    /// usually sends them like that already, and then the array is used as it is.
    private func normalizedHolders(_ list: [WorkerID]) -> [WorkerID] {
        var clean = true
        for i in list.indices where list[i] == id || (i > 0 && list[i - 1] >= list[i]) {
            clean = false
            break
        }
        if clean { return list }
        var result: [WorkerID] = []
        result.reserveCapacity(list.count)
        for w in list.sorted() where w != id && result.last != w { result.append(w) }
        return result
    }

    // MARK: _ensure_communicating

    /// Dask's `_should_throttle_incoming_transfers`.
    var incomingThrottled: Bool {
        (inFlightPeerCount >= config.connectionsOutgoing && incomingBytes >= config.incomingBytesThrottleThreshold)
            || incomingBytes >= incomingBytesLimit
    }

    /// Dask's `transfer_incoming_bytes_limit`: `memory.transfer × memory_limit`, unlimited without a limit.
    var incomingBytesLimit: Int64 {
        guard spec.memoryLimit > 0, let fraction = config.transferFraction else { return Int64.max }
        return Int64((Double(spec.memoryLimit) * fraction).rounded(.down))
    }

    @inline(__always)
    func fetchBytes(_ slot: Int32) -> Int64 {
        let n = records[Int(slot)].nbytes
        return n >= 0 ? n : config.defaultDataSize
    }

    /// A peer to gather from, in Dask's order: most urgent task first, then a peer on
    /// this host, then the peer with most wanted tasks, then (instead of Dask's seeded
    /// random number) the smaller worker id.
    private struct GatherCandidate: Comparable {
        var priority: WorkerPriority
        var remote: Bool
        var count: Int
        var peer: WorkerID
        var slot: Int32

        static func < (a: GatherCandidate, b: GatherCandidate) -> Bool {
            if a.priority != b.priority { return a.priority < b.priority }
            if a.remote != b.remote { return !a.remote }
            if a.count != b.count { return a.count > b.count }
            return a.peer < b.peer
        }
    }

    /// Dask's `_ensure_communicating`: start one `gather-dep` per chosen peer until
    /// nothing is left to fetch or the incoming limits are reached.
    func ensureCommunicating() {
        guard running, fetchDirty else { return }
        defer { fetchDirty = false }  // what this run leaves is a fixed point
        guard stateCounts[WorkerTaskStateName.fetch.counterIndex] > 0, !neededPeers.isEmpty else { return }
        guard !incomingThrottled else { return }

        var candidates = Heap<GatherCandidate>()
        var kept = 0
        for i in neededPeers.indices {
            let p = neededPeers[i]
            let pi = Int(p)
            guard peers[pi].dataNeededCount > 0 else {
                // Nothing wanted from this peer any more: drop it from the list.
                peers[pi].listedAsNeeded = false
                peers[pi].dataNeeded.removeAll()
                continue
            }
            neededPeers[kept] = p
            kept += 1
            if peers[pi].inFlight || peers[pi].busy { continue }
            guard let top = liveNeeded(pi) else { continue }
            candidates.insert(GatherCandidate(priority: top.priority, remote: !peers[pi].sameHost,
                                              count: peers[pi].dataNeededCount, peer: peers[pi].id, slot: p))
        }
        neededPeers.removeLast(neededPeers.count - kept)
        guard !candidates.isEmpty else { return }

        while let candidate = candidates.popMin() {
            let pi = Int(candidate.slot)
            // Earlier gathers may have taken some of this peer's tasks: re-rank it.
            guard peers[pi].dataNeededCount > 0, let top = liveNeeded(pi) else { continue }
            if peers[pi].dataNeededCount != candidate.count || top.priority != candidate.priority {
                candidates.insert(GatherCandidate(priority: top.priority, remote: candidate.remote,
                                                  count: peers[pi].dataNeededCount, peer: candidate.peer,
                                                  slot: candidate.slot))
                continue
            }
            let (keys, bytes) = selectKeysForGather(pi)
            if keys.isEmpty { break }
            for slot in keys { recommend(slot, .flight(peer: candidate.peer)) }
            out.append(.gatherDep(peer: candidate.peer, keys: keys.map { records[Int($0)].id },
                                  totalBytes: bytes, stimulusID: stimulusID))
            peers[pi].inFlight = true
            peers[pi].inFlightKeys = keys
            peers[pi].inFlightBytes = bytes
            inFlightPeerCount += 1
            incomingBytes += bytes
            if incomingThrottled { break }
        }
    }

    /// Dask's `_select_keys_for_gather`: the peer's tasks by priority, up to the
    /// message and incoming byte limits; each chosen task leaves every heap.
    private func selectKeysForGather(_ pi: Int) -> ([Int32], Int64) {
        var keys: [Int32] = []
        var messageBytes: Int64 = 0
        while let top = liveNeeded(pi) {
            let n = fetchBytes(top.slot)
            if exceedsTransferLimits(n, messageBytes: messageBytes) { break }
            // Pop before removing: `removeFromDataNeeded` may compact this very heap,
            // which drops `top` (now stale) and puts another live task on top; popping
            // after it lost that task, which then stayed in `fetch` forever (issue 15).
            peers[pi].dataNeeded.popTop()
            removeFromDataNeeded(top.slot)
            keys.append(top.slot)
            messageBytes += n
        }
        return (keys, messageBytes)
    }

    /// Dask's `_task_exceeds_transfer_limits`: with nothing in flight the first key
    /// always goes; the first key of a message ignores the message limit.
    private func exceedsTransferLimits(_ n: Int64, messageBytes: Int64) -> Bool {
        if incomingBytes == 0 && messageBytes == 0 { return false }
        var allowance = incomingBytesLimit == Int64.max ? Int64.max : incomingBytesLimit - incomingBytes
        if messageBytes != 0 {
            allowance = min(allowance, config.messageBytesLimit) - messageBytes
        }
        return n > allowance
    }

    // MARK: transfer completions

    /// Dask's `_gather_dep_done_common`: frees the peer's connection and returns the
    /// keys of the transfer (nil for a report about no transfer in progress).
    private func gatherDone(_ peer: WorkerID) -> [Int32]? {
        guard let p = peerSlotOf[peer], peers[Int(p)].inFlight else { return nil }
        let keys = peers[Int(p)].inFlightKeys
        incomingBytes -= peers[Int(p)].inFlightBytes
        fetchDirty = true
        peers[Int(p)].inFlight = false
        peers[Int(p)].inFlightKeys = []
        peers[Int(p)].inFlightBytes = 0
        inFlightPeerCount -= 1
        for slot in keys {
            records[Int(slot)].done = true
            records[Int(slot)].comingFrom = nil
            if records[Int(slot)].inFlight {
                records[Int(slot)].inFlight = false
                inFlightTaskCount -= 1
            }
        }
        return keys
    }

    /// Keys received go to memory; a key the peer did not have is reported to the
    /// scheduler (`missing-data`), the peer is struck from its holders and it is fetched
    /// again elsewhere (or becomes `missing`).
    func handleGatherDepSuccess(peer: WorkerID, received: [ReceivedKey]) {
        guard let keys = gatherDone(peer) else { return }
        // Small answers are searched directly; large ones through a dictionary.
        var sizes: [TaskID: Int64] = [:]
        if received.count > 16 {
            sizes.reserveCapacity(received.count)
            for item in received { sizes[item.key] = item.nbytes }
        }
        for slot in keys {
            let key = records[Int(slot)].id
            let size = received.count > 16 ? sizes[key] : received.first { $0.key == key }?.nbytes
            if let n = size {
                records[Int(slot)].resultBytes = max(0, n)
                recommend(slot, .memory(runID: records[Int(slot)].runID))
            } else {
                setWhoHas(slot, records[Int(slot)].whoHas.filter { $0 != peer })
                out.append(.toScheduler(.missingData(key: key, errantWorker: peer, stimulusID: stimulusID)))
                recommend(slot, .fetch)
            }
        }
    }

    /// The peer is busy: try other holders now, this one after `busyRetryDelay`; ask the
    /// scheduler for more holders of keys whose every holder is busy.
    func handleGatherDepBusy(peer: WorkerID) {
        guard let keys = gatherDone(peer) else { return }
        let p = Int(peerSlot(peer))  // index first: peerSlot may append to `peers`
        peers[p].busy = true
        var refresh: [TaskID] = []
        for slot in keys {
            recommend(slot, .fetch)
            let allBusy = records[Int(slot)].whoHas.allSatisfy { w in
                peerSlotOf[w].map { peers[Int($0)].busy } ?? false
            }
            if allBusy { refresh.append(records[Int(slot)].id) }
        }
        out.append(.retryBusyWorkerLater(peer: peer, after: config.busyRetryDelay))
        if !refresh.isEmpty {
            out.append(.toScheduler(.requestRefreshWhoHas(keys: refresh, stimulusID: stimulusID)))
        }
    }

    /// Dask treats a network failure as the peer's death: every replica it held is
    /// struck, and the transfer's keys are fetched elsewhere or become `missing`.
    func handleGatherDepNetworkFailure(peer: WorkerID) {
        guard let keys = gatherDone(peer) else { return }
        for slot in keys { recommend(slot, .fetch) }
        forgetPeerReplicas(peer)
    }

    func handleGatherDepFailure(peer: WorkerID, exception: String) {
        guard let keys = gatherDone(peer) else { return }
        for slot in keys {
            records[Int(slot)].exception = exception
            recommend(slot, .error(runID: records[Int(slot)].runID))
        }
    }

    /// Dask's `_handle_remove_worker` (and the tail of the network-failure handler):
    /// `fetch` tasks only that peer held become `missing`; the peer leaves every holder list.
    func forgetPeerReplicas(_ peer: WorkerID) {
        // Dask's `has_what[peer]`, sorted by task id so that the order of recommendations is fixed.
        let held = heldBy(peer)
        for slot in held where records[Int(slot)].state == .fetch && records[Int(slot)].whoHas == [peer] {
            recommend(slot, .missing)
        }
        for slot in held {
            setWhoHas(slot, records[Int(slot)].whoHas.filter { $0 != peer })
        }
        // Tasks in flight from this peer are settled when their transfer completes.
    }

    /// Slots of the known tasks `peer` holds, by task id (Dask's `has_what[peer]`).
    /// Scans every known task: used on peer loss, which is rare.
    func heldBy(_ peer: WorkerID) -> [Int32] {
        var held: [Int32] = []
        for i in records.indices where records[i].whoHas.contains(peer) {
            held.append(Int32(i))
        }
        return held.sorted { records[Int($0)].id < records[Int($1)].id }
    }

    // MARK: replicas and missing keys

    /// Dask's `_handle_acquire_replicas`: fetch these keys with priority `(1,)`.
    func handleAcquireReplicas(_ replicas: [DependencyReplicas]) {
        for replica in replicas {
            let slot = ensureTask(replica.key, priority: .replica)
            if records[Int(slot)].state != .memory {
                records[Int(slot)].nbytes = replica.nbytes
                recommend(slot, .fetch)
            }
        }
        updateWhoHas(replicas)
    }

    /// Dask's `_handle_refresh_who_has`.
    func handleRefreshWhoHas(_ replicas: [DependencyReplicas]) {
        updateWhoHas(replicas)
        for replica in replicas {
            guard let slot = slotOf[replica.key] else { continue }
            let r = records[Int(slot)]
            if !r.whoHas.isEmpty && r.state == .missing {
                recommend(slot, .fetch)
            } else if r.whoHas.isEmpty && r.state == .fetch {
                recommend(slot, .missing)
            }
        }
    }

    /// Dask's `_handle_find_missing`: ask the scheduler where the `missing` keys are.
    func handleFindMissing() {
        guard stateCounts[WorkerTaskStateName.missing.counterIndex] > 0 else { return }
        let keys = keys(inState: .missing)
        out.append(.toScheduler(.requestRefreshWhoHas(keys: keys, stimulusID: stimulusID)))
    }
}
