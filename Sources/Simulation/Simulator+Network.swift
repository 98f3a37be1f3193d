import Messages
import Recording

/// Bytes moving between two hosts.
struct Transfer {
    enum Kind {
        /// A worker fetches dependencies from a peer (`gather_dep` → `get_data`).
        case peer(requester: Int32, peer: Int32, received: [ReceivedKey], requested: [TaskID], totalBytes: Int64)
        /// A client scatters pure-data keys to a worker (`update_data`).
        case scatter(client: Int32, batch: Int32, worker: Int32, keys: [ReceivedKey])
        /// A client gathers a wanted result from a worker (one of `holders`).
        case gather(client: Int32, task: TaskID, worker: Int32, holders: [WorkerID])
    }

    var kind: Kind
    var source: Int
    var destination: Int
    var bytes: Int64
    var start: Int64
    /// A worker at either end died; the pending event for this transfer is ignored.
    var cancelled = false
    /// The flow is registered in the max-min network (after its latency elapsed).
    var inNetwork = false

    func involves(worker w: Int32) -> Bool {
        switch kind {
        case .peer(let requester, let peer, _, _, _): requester == w || peer == w
        case .scatter(_, _, let worker, _): worker == w
        case .gather(_, _, let worker, _): worker == w
        }
    }
}

extension Simulator {
    /// Starts moving bytes. `simple`: done after latency + bytes / bandwidth.
    /// `maxmin`: after the latency the flow joins the shared network.
    func startTransfer(_ transfer: Transfer) {
        let slot = transfers.put(transfer)
        let link = cluster.network.parameters(cluster.linkClass(transfer.source, transfer.destination))
        // The runtime's request handling and (de)serialisation, in series with the network.
        let serialisation = serialisationDelay(bytes: transfer.bytes)
        if flows != nil {
            schedule(.flowStart(slot), at: Simulator.later(now + link.latency, by: serialisation))
        } else {
            schedule(.transferDone(slot), at: Simulator.later(now + link.latency + Simulator.transmissionTime(bytes: transfer.bytes, bandwidth: link.bandwidth), by: serialisation))
        }
    }

    /// ⌈bytes / bandwidth⌉ in nanoseconds (a quotient within floating-point noise of an integer counts as that integer).
    static func transmissionTime(bytes: Int64, bandwidth: Double) -> Int64 {
        FlowNetwork.finishTime(now: 0, remaining: bytes, rate: bandwidth / 1e9)
    }

    func flowStarts(_ slot: Int32) {
        guard let transfer = transfers.peek(slot) else { return }
        if transfer.cancelled {
            _ = transfers.take(slot)
            return
        }
        let link = cluster.network.parameters(cluster.linkClass(transfer.source, transfer.destination))
        transfers.update(slot) { $0.inNetwork = true }
        flows?.start(tag: Int(slot), from: transfer.source, to: transfer.destination, bytes: transfer.bytes, cap: link.bandwidth, now: now)
        rescheduleNetworkWake()
    }

    func transferArrived(_ slot: Int32) {
        let transfer = transfers.take(slot)
        if transfer.cancelled { return }
        completeTransfer(transfer)
    }

    func networkWake() {
        guard flows != nil else { return }
        var done: [Int] = []
        flows!.finish(upTo: now, into: &done)
        scheduledWake = -1
        for tag in done {
            completeTransfer(transfers.take(Int32(tag)))
        }
        rescheduleNetworkWake()
    }

    /// Keeps exactly one live wake-up event at the network's next flow completion.
    func rescheduleNetworkWake() {
        guard let next = flows?.nextFinish else {
            scheduledWake = -1
            return
        }
        if next != scheduledWake {
            wakeGeneration &+= 1
            scheduledWake = next
            schedule(.networkWake(wakeGeneration), at: next)
        }
    }

    func completeTransfer(_ transfer: Transfer) {
        transferCount += 1
        transferBytes += transfer.bytes
        switch transfer.kind {
        case .peer(let requester, let peer, let received, let requested, let totalBytes):
            for key in received {
                transferRows.append(TransferRow(
                    task: key.key.rawValue, from: cluster.workers[Int(peer)].name, to: cluster.workers[Int(requester)].name,
                    bytes: key.nbytes, start: transfer.start, end: now))
                fetchedBytes[Int64(requester) << 32 | Int64(key.key.rawValue)] = key.nbytes
            }
            // Dask's worker keeps an EWMA of the bandwidth of fetches larger than 1 MB.
            let elapsed = now - transfer.start
            if transfer.bytes > 1_000_000 && elapsed > 0 {
                let observed = Double(transfer.bytes) / (Double(elapsed) / 1e9)
                measuredBandwidth[Int(requester)] = measuredBandwidth[Int(requester)] * 0.95 + observed * 0.05
            }
            if life[Int(requester)] == .running {
                deliver(.gatherDepSuccess(peer: WorkerID(Int(peer)), received: received, requested: requested, totalBytes: totalBytes), to: Int(requester))
            }
            if life[Int(peer)] == .running {
                deliver(.getDataDone(to: WorkerID(Int(requester))), to: Int(peer))
            }
        case .scatter(let client, let batch, let worker, let keys):
            for key in keys {
                transferRows.append(TransferRow(
                    task: key.key.rawValue, from: clients[Int(client)].name, to: cluster.workers[Int(worker)].name,
                    bytes: key.nbytes, start: transfer.start, end: now))
                if firstMemory[key.key.index] < 0 { firstMemory[key.key.index] = now }
                lastWorker[key.key.index] = worker
            }
            if life[Int(worker)] == .running {
                deliver(.updateData(keys: keys), to: Int(worker))
            }
            scatterTransferDone(client: Int(client), batch: Int(batch))
        case .gather(let client, let task, let worker, _):
            transferRows.append(TransferRow(
                task: task.rawValue, from: cluster.workers[Int(worker)].name, to: clients[Int(client)].name,
                bytes: transfer.bytes, start: transfer.start, end: now))
            resolve(client: Int(client), task: task, held: true)
        }
    }

    /// Worker `w` is gone: every transfer to or from it stops; the other ends learn it.
    func cancelTransfers(involving w: Int) {
        var affected: [Transfer] = []
        var inNetwork: Set<Int> = []
        for slot in transfers.occupiedSlots {
            guard let transfer = transfers.peek(slot), !transfer.cancelled, transfer.involves(worker: Int32(w)) else { continue }
            affected.append(transfer)
            if transfer.inNetwork {
                inNetwork.insert(Int(slot))
                _ = transfers.take(slot)
            } else {
                transfers.update(slot) { $0.cancelled = true }
            }
        }
        if !inNetwork.isEmpty {
            flows?.cancel(now: now) { inNetwork.contains($0) }
            rescheduleNetworkWake()
        }
        // `affected` is in slot order, which depends only on the run's history.
        for transfer in affected {
            switch transfer.kind {
            case .peer(let requester, let peer, _, let requested, let totalBytes):
                if Int(peer) == w, life[Int(requester)] == .running {
                    deliver(.gatherDepNetworkFailure(peer: WorkerID(w), requested: requested, totalBytes: totalBytes), to: Int(requester))
                } else if Int(requester) == w, life[Int(peer)] == .running {
                    deliver(.getDataDone(to: WorkerID(w)), to: Int(peer))
                }
            case .scatter(let client, let batch, _, let keys):
                // The data never arrived. To a killed worker the client's scatter failed; to a
                // retired one the client places the keys again (`finishScatter`).
                if life[w] == .dead { for key in keys { lostScattered.append(key.key) } }
                scatterTransferDone(client: Int(client), batch: Int(batch))
            case .gather(let client, let task, _, let holders):
                gather(client: Int(client), task: task, holders: holders)
            }
        }
    }
}
