import OrderedCollections
import Workload

extension NativeTraceReader {
    /// Converts one element of `tasks` and adds it to the builder. Fields are
    /// read in one pass over the object's members.
    static func readTask(_ value: JSONValue, index: Int, into state: inout ReadState) {
        let origin = "tasks[\(index)] (line \(value.location.line))"
        guard case .object(let members) = value.content else {
            state.builder.report(WorkloadIssue(
                .invalidValue, key: nil, place: origin, "expected a task object, got \(value.summary)"))
            return
        }
        var fields = FieldReader("tasks", index: index)
        var key: String?
        var prefix: String?
        var group: String?
        var kind = TaskKind.compute
        var duration = 0.0
        var outputBytes: Int64 = 0
        var dependencies: [String] = []
        var dependencyBytes: [Int64]?
        var dependencyParts: [Int]?
        var restrictions = Restrictions()
        var resources: [ResourceRequest] = []
        var priority = 0
        var retries = 0
        var order: Int?
        var isActor = false
        var actor: String?
        var secedes = false
        var submission = 0
        var annotations: OrderedDictionary<String, String> = [:]

        for member in members {
            let v = member.value
            switch member.key {
            case "key": key = fields.string(v, "key")
            case "prefix": prefix = fields.string(v, "prefix")
            case "group": group = fields.string(v, "group")
            case "kind":
                if let text = fields.string(v, "kind") {
                    if let parsed = TaskKind(rawValue: text) {
                        kind = parsed
                    } else {
                        fields.problem("kind", v, "expected \"compute\" or \"data\", got \(v.summary)")
                    }
                }
            case "duration": duration = fields.double(v, "duration", unit: "seconds") ?? 0
            case "output_bytes": outputBytes = fields.int64(v, "output_bytes") ?? 0
            case "dependencies": dependencies = fields.strings(v, "dependencies") ?? []
            case "dependency_bytes": dependencyBytes = fields.int64s(v, "dependency_bytes")
            case "dependency_parts": dependencyParts = fields.int64s(v, "dependency_parts")?.map { Int($0) }
            case "restrictions": restrictions = readRestrictions(v, fields: &fields, state: &state)
            case "resources": resources = readResources(v, fields: &fields)
            case "priority": priority = fields.int(v, "priority") ?? 0
            case "retries": retries = fields.int(v, "retries") ?? 0
            case "order": order = fields.int(v, "order")
            case "actor": isActor = fields.bool(v, "actor") ?? false
            case "calls_actor": actor = fields.string(v, "calls_actor")
            case "secede": secedes = fields.bool(v, "secede") ?? false
            case "submission": submission = fields.int(v, "submission") ?? 0
            case "annotations": annotations = fields.stringMap(v, "annotations")
            default:
                state.noteUnknownField(member.key, scope: "task", place: "\(member.keyLocation)")
            }
        }
        for problem in fields.problems {
            state.builder.report(WorkloadIssue(.invalidValue, key: key, place: problem.place, problem.message))
        }
        guard let key else {
            if !members.contains(where: { $0.key == "key" }) {
                state.builder.report(WorkloadIssue(.emptyKey, key: nil, place: origin, "task has no \"key\" field"))
            }
            return
        }
        let spec = TaskSpec(
            key: key, prefix: prefix, group: group, kind: kind, duration: duration, outputBytes: outputBytes,
            dependencyBytes: dependencyBytes, dependencyParts: dependencyParts, restrictions: restrictions, resources: resources,
            userPriority: priority, retries: retries, order: order, isActor: isActor, secedes: secedes,
            submission: submission, annotations: annotations)
        state.builder.add(spec, dependencies: dependencies, actor: actor, origin: origin)
    }

    /// `{"workers": [...], "hosts": [...], "loose": false}`.
    static func readRestrictions(_ value: JSONValue, fields: inout FieldReader, state: inout ReadState) -> Restrictions {
        guard case .object(let members) = value.content else {
            fields.problem("restrictions", value, "expected an object, got \(value.summary)")
            return Restrictions()
        }
        var restrictions = Restrictions()
        for member in members {
            switch member.key {
            case "workers": restrictions.workers = fields.strings(member.value, "restrictions.workers") ?? []
            case "hosts": restrictions.hosts = fields.strings(member.value, "restrictions.hosts") ?? []
            case "loose": restrictions.loose = fields.bool(member.value, "restrictions.loose") ?? false
            default: state.noteUnknownField(member.key, scope: "restrictions", place: "\(member.keyLocation)")
            }
        }
        return restrictions
    }

    /// `{"GPU": 1, "memory": 4e9}`: resource name -> amount needed while running.
    static func readResources(_ value: JSONValue, fields: inout FieldReader) -> [ResourceRequest] {
        guard case .object(let members) = value.content else {
            fields.problem("resources", value, "expected an object of numbers, got \(value.summary)")
            return []
        }
        return members.compactMap { member in
            fields.double(member.value, "resources.\(member.key)", unit: "amount")
                .map { ResourceRequest(name: member.key, amount: $0) }
        }
    }

    /// One element of `submissions`: `{"client": "c", "time": 0, "submitter": "k", "wanted": ["k"]}`.
    static func readSubmission(_ value: JSONValue, index: Int, into state: inout ReadState) {
        let origin = "submissions[\(index)] (line \(value.location.line))"
        var fields = FieldReader("submissions", index: index)
        var client: String?
        var time = 0.0
        var submitter: String?
        var wanted: [String]?
        if case .object(let members) = value.content {
            for member in members {
                let v = member.value
                switch member.key {
                case "client": client = fields.string(v, "client")
                case "time": time = fields.double(v, "time", unit: "seconds") ?? 0
                case "submitter": submitter = fields.string(v, "submitter")
                case "wanted": wanted = fields.strings(v, "wanted")
                default: state.noteUnknownField(member.key, scope: "submission", place: "\(member.keyLocation)")
                }
            }
            if client == nil && !members.contains(where: { $0.key == "client" }) {
                state.builder.report(WorkloadIssue(.badSubmission, key: nil, place: origin, "missing required field \"client\""))
            }
        } else {
            fields.problems.append((origin, "expected a submission object, got \(value.summary)"))
        }
        for problem in fields.problems {
            state.builder.report(WorkloadIssue(.badSubmission, key: nil, place: problem.place, problem.message))
        }
        // Always added, so task `submission` indices keep pointing at the right entry.
        state.builder.addSubmission(client: client ?? "", time: time, submitter: submitter, wanted: wanted, origin: origin)
    }
}
