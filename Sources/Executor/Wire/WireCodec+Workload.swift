import Messages
import NIOCore
import Workload

/// The task graph on the wire (`update-graph-spec`): every `TaskSpec` field the
/// scheduler and worker state machines read, plus the submissions. Annotations and
/// trace metadata stay with the client. The receiver rebuilds the graph with
/// `WorkloadBuilder`, so a malformed graph gets the same validation as a trace file.
extension WireCodec {
    static func encodeWorkload(_ w: Workload, into b: inout ByteBuffer) {
        b.put(w.name)
        b.put(w.source)
        b.putCount(w.tasks.count)
        for t in w.tasks {
            b.put(t.key)
            b.put(t.prefix)
            b.put(t.group)
            b.put(t.kind == .data)
            b.put(t.duration)
            b.put(t.outputBytes)
            b.put(t.dependencies)
            b.put(t.dependencyBytes != nil)
            if let bytes = t.dependencyBytes {
                b.putCount(bytes.count)
                for x in bytes { b.put(x) }
            }
            b.put(t.dependencyParts != nil)
            if let parts = t.dependencyParts {
                b.putCount(parts.count)
                for x in parts { b.put(Int64(x)) }
            }
            b.put(t.restrictions.workers)
            b.put(t.restrictions.hosts)
            b.put(t.restrictions.loose)
            put(t.resources, into: &b)
            b.put(Int64(t.userPriority))
            b.put(Int32(truncatingIfNeeded: t.retries))
            b.put(t.order != nil)
            b.put(Int64(t.order ?? 0))
            b.put(t.isActor)
            b.put(t.actor)
            b.put(t.secedes)
            b.put(Int32(truncatingIfNeeded: t.submission))
        }
        b.putCount(w.submissions.count)
        for s in w.submissions {
            b.put(s.client)
            b.put(s.time)
            b.put(s.submitter)
            b.put(s.wanted)
        }
    }

    static func decodeWorkload(_ r: inout WireReader) throws(WireError) -> Workload {
        let name = try r.string("name")
        let source = try r.string("source")
        let count = try r.count("tasks", minimumSize: 60)
        // Ids inside the graph refer to the graph itself.
        var inner = WireReader(r.buffer, taskCount: count, workerLimit: r.workerLimit)
        inner.op = r.op
        var builder = WorkloadBuilder(name: name, source: source)
        var keys: [String] = []
        keys.reserveCapacity(count)
        var pending: [(spec: TaskSpec, deps: [TaskID], actor: TaskID?)] = []
        pending.reserveCapacity(count)
        for i in 0..<count {
            let f = "tasks[\(i)]"
            let key = try inner.string(f + ".key")
            let prefix = try inner.string(f + ".prefix")
            let group = try inner.string(f + ".group")
            let isData = try inner.bool(f + ".kind")
            let duration = try inner.double(f + ".duration")
            let outputBytes = try inner.bytes(f + ".output_bytes")
            let deps = try inner.tasks(f + ".dependencies")
            var depBytes: [Int64]?
            if try inner.bool(f + ".dependency_bytes.present") {
                let n = try inner.count(f + ".dependency_bytes", minimumSize: 8)
                var xs: [Int64] = []
                for j in 0..<n { xs.append(try inner.bytes(f + ".dependency_bytes[\(j)]")) }
                depBytes = xs
            }
            var depParts: [Int]?
            if try inner.bool(f + ".dependency_parts.present") {
                let n = try inner.count(f + ".dependency_parts", minimumSize: 8)
                var xs: [Int] = []
                for j in 0..<n { xs.append(Int(try inner.i64(f + ".dependency_parts[\(j)]"))) }
                depParts = xs
            }
            let restrictions = Restrictions(workers: try inner.strings(f + ".restrictions.workers"),
                                            hosts: try inner.strings(f + ".restrictions.hosts"),
                                            loose: try inner.bool(f + ".restrictions.loose"))
            let res = try resources(f + ".resources", &inner)
            let userPriority = try inner.i64(f + ".priority")
            let retries = try inner.natural32(f + ".retries")
            let hasOrder = try inner.bool(f + ".order.present")
            let order = try inner.i64(f + ".order")
            let isActor = try inner.bool(f + ".actor")
            let actor = try inner.optionalTask(f + ".actor_of")
            let secedes = try inner.bool(f + ".secedes")
            let submission = try inner.natural32(f + ".submission")
            guard userPriority >= Int64(Int32.min), userPriority <= Int64(Int32.max) else {
                throw inner.fail(f + ".priority", "out of range")
            }
            let spec = TaskSpec(
                key: key, prefix: prefix, group: group, kind: isData ? .data : .compute, duration: duration,
                outputBytes: outputBytes, dependencyBytes: depBytes, dependencyParts: depParts, restrictions: restrictions, resources: res,
                userPriority: Int(userPriority), retries: Int(retries), order: hasOrder ? Int(order) : nil,
                isActor: isActor, secedes: secedes, submission: Int(submission))
            keys.append(key)
            pending.append((spec, deps, actor))
        }
        for (i, p) in pending.enumerated() {
            builder.add(p.spec, dependencies: p.deps.map { keys[$0.index] }, actor: p.actor.map { keys[$0.index] },
                        origin: "tasks[\(i)]")
        }
        let submissions = try inner.count("submissions", minimumSize: 17)
        for i in 0..<submissions {
            let f = "submissions[\(i)]"
            let client = try inner.string(f + ".client")
            let time = try inner.nonNegativeDouble(f + ".time")
            let submitter = try inner.optionalTask(f + ".submitter")
            let wanted = try inner.tasks(f + ".wanted")
            builder.addSubmission(client: client, time: time, submitter: submitter.map { keys[$0.index] },
                                  wanted: wanted.map { keys[$0.index] }, origin: f)
        }
        r.buffer = inner.buffer
        do {
            let workload = try builder.build()
            guard workload.count == count else { throw WireError("'update-graph-spec': rebuilt graph has \(workload.count) tasks, expected \(count)") }
            return workload
        } catch let error as WorkloadValidationError {
            throw WireError("'update-graph-spec': invalid graph: \(error)")
        } catch let error as WireError {
            throw error
        } catch {
            throw WireError("'update-graph-spec': \(error)")
        }
    }
}
