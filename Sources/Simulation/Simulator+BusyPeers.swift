import Messages

/// A requester waiting to retry a peer that answered `get_data` with `busy`.
///
/// Dask (`_handle_gather_dep_busy`, `Worker.retry_busy_worker_later`): the peer goes
/// into `busy_workers`, the keys back to `fetch`, a `RetryBusyWorkerLater` is armed on
/// every busy answer with a fixed 0.15 s delay (it never grows), and keys whose every
/// holder is busy are sent in `request-refresh-who-has`. Only the retry timer takes the
/// peer out of `busy_workers`; then `_ensure_communicating` asks it again. So a peer
/// saturated for an hour is polled every 0.15 s + one round trip for that hour.
///
/// A poll is *futile* when the peer still has every connection slot taken (the answer
/// is `busy` again) and the scheduler knows no new holder of a key the requester
/// fetches (the refresh changes nothing). The simulator does not run futile polls:
/// the requester stays parked, the peer flagged busy in its state machine, until a
/// poll could come out differently, and then its retry is delivered at the next point
/// of its own poll grid (`firstRetry + k × period`), which is when Dask's polling would
/// have asked. So cost follows transfers and replicas, not simulated time.
struct BusyPoll {
    var requester: Int32
    var peer: Int32
    var serial: UInt32
    /// When the busy answer reaches the requester.
    var answerAt: Int64
    /// The first retry: the answer plus the requester's retry delay; -1 until the
    /// requester has armed it (`retryBusyWorkerLater`).
    var firstRetry: Int64 = -1
    /// One poll cycle: the retry delay plus a round trip to the peer.
    var period: Int64 = 0
    /// Waiting in the parked lists (not yet woken).
    var parked = true
    /// Woken before the retry was armed: retry as soon as it is.
    var wokenEarly = false
    /// Woken by a freed slot: if the retry sends the peer nothing, the slot goes to the next poll.
    var passOn = false
}

struct PollRef: Equatable {
    var slot: Int32
    var serial: UInt32
}

extension Simulator {
    @inline(__always) static func pair(_ requester: Int, _ peer: Int) -> Int64 { Int64(requester) << 32 | Int64(peer) }

    /// A parked poll of a running requester (a dead requester's poll must not absorb a wake).
    @inline(__always) func live(_ ref: PollRef) -> Bool {
        guard let poll = busyPolls.peek(ref.slot) else { return false }
        return poll.serial == ref.serial && poll.parked && life[Int(poll.requester)] == .running
    }

    /// The peer answered `busy`: the requester will learn it at `answerAt`.
    func parkBusyPoll(requester: Int, peer: Int, answerAt: Int64) {
        let key = Simulator.pair(requester, peer)
        if let old = pollOfPair[key] { dropPoll(old) }
        busyPollSerial &+= 1
        let slot = busyPolls.put(BusyPoll(requester: Int32(requester), peer: Int32(peer), serial: busyPollSerial, answerAt: answerAt))
        let ref = PollRef(slot: slot, serial: busyPollSerial)
        pollOfPair[key] = slot
        pollsOnPeer[peer].append(ref)
        if !requesterListed[requester] {
            requesterListed[requester] = true
            requestersWithPolls.append(Int32(requester))
        }
        if pollsOfRequester[requester].count >= 64 { pollsOfRequester[requester].removeAll { !live($0) } }
        pollsOfRequester[requester].append(ref)
        parkedPolls += 1
    }

    /// The requester armed its retry (`retryBusyWorkerLater`): true if a parked poll
    /// takes it over, false if the driver should run a plain timer.
    func armBusyPoll(requester: Int, peer: Int, after: Int64) -> Bool {
        guard let slot = pollOfPair[Simulator.pair(requester, peer)], var poll = busyPolls.peek(slot),
              poll.parked, poll.firstRetry < 0 else { return false }
        poll.firstRetry = now + after
        poll.period = after + 2 * latency(host(ofWorker: requester), host(ofWorker: peer))
        lastRetryDelay = after
        busyPolls.update(slot) { $0 = poll }
        if poll.wokenEarly { wake(slot, passOn: poll.passOn) }
        return true
    }

    /// After the requester handled a busy answer: a poll it armed no retry for (a stale report) is dropped.
    func settleBusyAnswer(requester: Int, peer: Int) {
        guard let slot = pollOfPair[Simulator.pair(requester, peer)], let poll = busyPolls.peek(slot),
              poll.parked, poll.firstRetry < 0 else { return }
        dropPoll(slot)
    }

    private func dropPoll(_ slot: Int32) {
        guard let poll = busyPolls.peek(slot) else { return }
        if poll.parked { parkedPolls -= 1 }
        pollOfPair[Simulator.pair(Int(poll.requester), Int(poll.peer))] = nil
        _ = busyPolls.take(slot)
    }

    /// The first point of the poll's grid at or after now.
    private func nextRetry(_ poll: BusyPoll) -> Int64 {
        guard poll.firstRetry < now, poll.period > 0 else { return max(poll.firstRetry, now) }
        let cycles = (now - poll.firstRetry + poll.period - 1) / poll.period
        return poll.firstRetry + cycles * poll.period
    }

    /// Stops parking: the retry is delivered at the next grid point (or, if not yet
    /// armed, right when it is armed).
    private func wake(_ slot: Int32, passOn: Bool) {
        guard var poll = busyPolls.peek(slot), poll.parked else { return }
        if poll.firstRetry < 0 {
            poll.wokenEarly = true
            poll.passOn = poll.passOn || passOn
            busyPolls.update(slot) { $0 = poll }
            return
        }
        poll.parked = false
        poll.passOn = passOn
        parkedPolls -= 1
        pollOfPair[Simulator.pair(Int(poll.requester), Int(poll.peer))] = nil
        let at = nextRetry(poll)
        busyPolls.update(slot) { $0 = poll }
        schedule(.pollRetry(slot), at: at)
    }

    /// The woken poll's retry: Dask's `RetryBusyWorkerEvent`.
    func pollRetryDue(_ slot: Int32) {
        let poll = busyPolls.take(slot)
        let requester = Int(poll.requester), peer = Int(poll.peer)
        var sent = false
        if life[requester] == .running {
            gatherWatch = (requester, peer, false)
            deliver(.retryBusyWorker(peer: WorkerID(peer)), to: requester)
            sent = gatherWatch?.sent ?? false
            gatherWatch = nil
        }
        if poll.passOn && !sent { connectionFreed(on: peer) }
    }

    /// A `get_data` connection of `peer` ended: the parked poll that would reach the
    /// peer first gets its retry (the others would find the slot taken again).
    func connectionFreed(on peer: Int) {
        guard parkedPolls > 0, peer < pollsOnPeer.count, !pollsOnPeer[peer].isEmpty else { return }
        var best: Int32 = -1
        var bestArrival = Int64.max
        var kept = 0
        for i in pollsOnPeer[peer].indices {
            let ref = pollsOnPeer[peer][i]
            guard live(ref), let poll = busyPolls.peek(ref.slot) else { continue }
            pollsOnPeer[peer][kept] = ref
            kept += 1
            if poll.wokenEarly { continue }  // already holds an earlier freed slot
            let retry = poll.firstRetry >= 0 ? nextRetry(poll) : max(now, poll.answerAt + lastRetryDelay)
            let arrival = retry + latency(host(ofWorker: Int(poll.requester)), host(ofWorker: peer))
            if arrival < bestArrival {
                bestArrival = arrival
                best = ref.slot
            }
        }
        pollsOnPeer[peer].removeLast(pollsOnPeer[peer].count - kept)
        if best >= 0 { wake(best, passOn: true) }
    }

    /// The peer died, closed or resumed (its connection limit rose): every parked
    /// poll on it is retried (a dead peer's answer is a network failure).
    func wakeAllPolls(on peer: Int) {
        guard parkedPolls > 0, peer < pollsOnPeer.count else { return }
        let refs = pollsOnPeer[peer]
        pollsOnPeer[peer] = []
        for ref in refs where live(ref) { wake(ref.slot, passOn: false) }
    }

    /// Worker `holder` now has `key` and the scheduler will list it. Dask's requester
    /// learns it only from the `request-refresh-who-has` of a busy answer, which names
    /// the keys whose every holder is busy. So a requester fetching `key` whose every
    /// known holder has a parked poll gets the earliest of those polls retried: its
    /// busy answer carries the refresh that finds the new holder. (Waking the others
    /// would only repeat a refresh that changes nothing.)
    func replicaAdded(_ key: TaskID, on holder: Int) {
        guard parkedPolls > 0 else { return }
        var kept = 0
        for i in requestersWithPolls.indices {
            let r = Int(requestersWithPolls[i])
            pollsOfRequester[r].removeAll { !live($0) }
            guard !pollsOfRequester[r].isEmpty else {
                requesterListed[r] = false
                continue
            }
            requestersWithPolls[kept] = Int32(r)
            kept += 1
            guard r != holder, life[r] == .running, let holders = workers[r].fetchHolders(of: key),
                  !holders.isEmpty, !holders.contains(WorkerID(holder)) else { continue }
            var earliest: Int32 = -1
            var earliestRetry = Int64.max
            for h in holders {
                guard let slot = pollOfPair[Simulator.pair(r, h.index)], let poll = busyPolls.peek(slot), poll.parked else {
                    earliest = -1  // a holder is not busy: the requester needs no refresh
                    break
                }
                let retry = poll.firstRetry >= 0 ? nextRetry(poll) : max(now, poll.answerAt + lastRetryDelay)
                if retry < earliestRetry {
                    earliestRetry = retry
                    earliest = slot
                }
            }
            if earliest >= 0 { wake(earliest, passOn: false) }
        }
        requestersWithPolls.removeLast(requestersWithPolls.count - kept)
    }

    /// The requester died or closed: its parked polls go (a woken one settles when due).
    func dropAllPolls(of requester: Int) {
        for ref in pollsOfRequester[requester] {
            guard let poll = busyPolls.peek(ref.slot), poll.serial == ref.serial, poll.parked else { continue }
            dropPoll(ref.slot)
        }
        pollsOfRequester[requester] = []
    }

    /// Nothing else is pending but polls are parked (cannot happen while their peers
    /// serve transfers; a safety net so a run never ends with a parked poll).
    func wakeAllParkedPolls() {
        for peer in pollsOnPeer.indices { wakeAllPolls(on: peer) }
    }
}
