import Messages

/// The serving side of peer transfers (Dask's `Worker.get_data`): the limit on
/// concurrent outgoing transfers (`connections.incoming`) is enforced here.
extension WorkerState {
    /// The number of `get_data` requests served at once for this requester: the
    /// configured limit, doubled for a peer on this host, 1 while paused.
    func outgoingLimit(for requester: WorkerID) -> Int {
        if !running { return 1 }
        let p = Int(peerSlot(requester))  // index first: peerSlot may append to `peers`
        let sameHost = peers[p].sameHost
        return sameHost ? 2 * config.connectionsIncoming : config.connectionsIncoming
    }

    /// Answers with the requested keys this worker holds (possibly none), or `busy`.
    func handleGetData(from requester: WorkerID, keys: [TaskID]) {
        if outgoingCount >= outgoingLimit(for: requester) {
            out.append(.busy(to: requester, keys: keys))
            return
        }
        outgoingCount += 1
        var slots: [Int32] = []
        var sent: [ReceivedKey] = []
        for key in keys {
            guard let slot = slotOf[key], records[Int(slot)].state == .memory else { continue }
            slots.append(slot)
            sent.append(ReceivedKey(key: key, nbytes: records[Int(slot)].nbytes))
        }
        readKeys(slots)
        out.append(.sendData(to: requester, keys: sent))
    }
}
