import Messages
import NIOCore
import NIOPosix
import Worker
import Workload

/// Worker-to-worker transfers: fetching (`gatherDep`) on our own connections to
/// peers, and serving `get_data` on the data listener.
extension WorkerNode {
    // MARK: fetching

    func gather(from peer: WorkerID, keys: [TaskID], totalBytes: Int64, now: Time) {
        gathers[peer] = Gather(keys: keys, totalBytes: totalBytes, start: now)
        if let channel = fetchChannels[peer] {
            channel.send(.getData(keys: keys))
            return
        }
        guard let id, peer.index < addresses.count, let address = addresses[peer.index] else {
            gathers[peer] = nil
            feed(.gatherDepNetworkFailure(peer: peer, requested: keys, totalBytes: totalBytes))
            return
        }
        let limits = config.connectionLimits
        let hello = Hello(role: .peer, token: config.token, name: config.name, peerID: id.rawValue)
        ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .channelInitializer { [self] channel in channel.addFrameHandlers(receiver: self, limits: limits, inbound: false) }
            .connect(host: address.host, port: Int(address.port))
            .whenComplete { [self] result in
                switch result {
                case .success(let channel):
                    guard !stopped else {
                        channel.close(promise: nil)
                        return
                    }
                    kinds[ObjectIdentifier(channel)] = .fetchFrom(peer)
                    fetchChannels[peer] = channel
                    channel.send(.hello(hello))
                    if let g = gathers[peer] { channel.send(.getData(keys: g.keys)) }
                case .failure(let error):
                    config.log("worker '\(config.name)': cannot reach \(peer) at \(address.host):\(address.port): \(error)")
                    if let g = gathers.removeValue(forKey: peer) {
                        feed(.gatherDepNetworkFailure(peer: peer, requested: g.keys, totalBytes: g.totalBytes))
                    }
                }
            }
    }

    func fromFetchPeer(_ message: WireMessage, peer: WorkerID, channel: any Channel) {
        guard let g = gathers[peer], let workload else { return }
        switch message {
        case .data(let items):
            gathers[peer] = nil
            var received: [ReceivedKey] = []
            var problems: [String] = []
            for item in items {
                let key = workload[item.key].key
                if !g.keys.contains(item.key) {
                    problems.append("key '\(key)' was not asked for")
                } else if let problem = TaskData.verify(key: key, expectedBytes: workload[item.key].outputBytes, item: item) {
                    problems.append(problem)
                } else {
                    received.append(ReceivedKey(key: item.key, nbytes: Int64(item.payload.readableBytes)))
                }
            }
            if !problems.isEmpty {
                config.log("worker '\(config.name)': corrupt data from \(peer): \(problems.joined(separator: "; "))")
                feed(.gatherDepFailure(peer: peer, requested: g.keys, totalBytes: g.totalBytes,
                                       exception: "corrupt data from \(peer): " + problems.joined(separator: "; ")))
                return
            }
            let now = ExecutorClock.now()
            let bytes = received.reduce(Int64(0)) { $0 + $1.nbytes }
            let delay = receiveLink.reserveArrival(bytes: bytes, now: now)
            let deliver: @Sendable () -> Void = { [self, received] in
                guard !stopped else { return }
                let end = ExecutorClock.now()
                for item in items { store[item.key] = Stored(data: item.payload, checksum: item.checksum) }
                feed(.gatherDepSuccess(peer: peer, received: received, requested: g.keys, totalBytes: g.totalBytes))
                dropUnheld(received.map(\.key))
                if let id {
                    schedulerChannel?.send(.transferLog(received.map {
                        TransferEntry(key: $0.key, from: peer.rawValue, to: id.rawValue, bytes: $0.nbytes, start: g.start, end: end)
                    }))
                }
            }
            if delay.nanoseconds > 0 { loop.scheduleTask(in: TimeAmount(delay), deliver) } else { deliver() }
        case .busy:
            gathers[peer] = nil
            feed(.gatherDepBusy(peer: peer, requested: g.keys, totalBytes: g.totalBytes))
        case .refused(let reason):
            config.log("worker '\(config.name)': \(peer) refused our data connection: \(reason)")
            channel.close(promise: nil)
        default:
            config.log("worker '\(config.name)': unexpected op '\(message.op)' from \(peer); closing")
            channel.close(promise: nil)
        }
    }

    // MARK: serving

    func inboundHello(_ message: WireMessage, channel: any Channel) {
        guard case .hello(let hello) = message, hello.role == .peer else {
            config.log("worker '\(config.name)': data connection did not start with a peer 'hello' (got '\(message.op)'); closing")
            channel.close(promise: nil)
            return
        }
        guard config.token.isEmpty || hello.token == config.token else {
            config.log("worker '\(config.name)': data connection with a wrong token; closing")
            channel.writeAndFlush(WireCodec.encode(.refused(reason: "wrong or missing token"))).whenComplete { _ in
                channel.close(promise: nil)
            }
            return
        }
        channel.acceptHandshake()
        if hello.peerID >= 0 {
            let peer = WorkerID(Int(hello.peerID))
            kinds[ObjectIdentifier(channel)] = .inboundPeer(peer)
            servingChannels[peer] = channel
        } else {
            kinds[ObjectIdentifier(channel)] = .inboundClient
        }
    }

    func fromServedPeer(_ message: WireMessage, peer: WorkerID, channel: any Channel) {
        guard case .getData(let keys) = message else {
            config.log("worker '\(config.name)': unexpected op '\(message.op)' from \(peer) on the data port; closing")
            channel.close(promise: nil)
            return
        }
        feed(.getData(from: peer, keys: keys))
    }

    /// Sends the keys the state machine agreed to send, after the emulated link delay.
    func serve(to peer: WorkerID, keys: [TaskID], now: Time) {
        guard let channel = servingChannels[peer] else {
            loop.execute { [self] in feed(.getDataDone(to: peer)) }
            return
        }
        let items = keys.compactMap { key in store[key].map { DataItem(key: key, checksum: $0.checksum, payload: $0.data) } }
        let bytes = items.reduce(Int64(0)) { $0 + Int64($1.payload.readableBytes) }
        let delay = sendLink.reserve(bytes: bytes, now: now)
        let send: @Sendable () -> Void = { [self] in
            channel.writeAndFlush(WireCodec.encode(.data(items: items))).whenComplete { [self] _ in
                feed(.getDataDone(to: peer))
            }
        }
        if delay.nanoseconds > 0 { loop.scheduleTask(in: TimeAmount(delay), send) } else { send() }
    }

    /// A client gathers results (`get_data`) or scatters data (`scatter-data`).
    func fromClient(_ message: WireMessage, channel: any Channel) {
        switch message {
        case .getData(let keys):
            let items = keys.compactMap { key in store[key].map { DataItem(key: key, checksum: $0.checksum, payload: $0.data) } }
            channel.send(.data(items: items))
        case .scatterData(let items):
            guard let workload else { return }
            var keys: [ReceivedKey] = []
            for item in items {
                if let problem = TaskData.verify(key: workload[item.key].key, expectedBytes: nil, item: item) {
                    config.log("worker '\(config.name)': rejecting scattered data: \(problem)")
                    channel.send(.refused(reason: problem))
                    channel.close(promise: nil)
                    return
                }
                keys.append(ReceivedKey(key: item.key, nbytes: Int64(item.payload.readableBytes)))
            }
            for item in items { store[item.key] = Stored(data: item.payload, checksum: item.checksum) }
            feed(.updateData(keys: keys))
            channel.send(.scatterDone)
        default:
            config.log("worker '\(config.name)': unexpected op '\(message.op)' from a client; closing")
            channel.close(promise: nil)
        }
    }
}
