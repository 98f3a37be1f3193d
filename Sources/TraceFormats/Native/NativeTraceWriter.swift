import Workload

/// Writes a `Workload` as `schedsim-trace` version 1.
///
/// The output is deterministic: fields in a fixed order, one task per line,
/// doubles in Swift's shortest round-trip form, defaults omitted. Reading the
/// output gives an equal workload, and writing that again gives the same bytes.
public enum NativeTraceWriter {
    /// The document as UTF-8 bytes.
    public static func encode(_ workload: Workload) -> [UInt8] {
        var out = JSONOutput()
        out.bytes.reserveCapacity(workload.count * 96 + 256)
        out.raw("{\n  \"format\": \"schedsim-trace\",\n  \"version\": 1,\n  \"name\": ")
        out.string(workload.name)
        if !workload.metadata.isEmpty {
            out.raw(",\n  \"metadata\": {")
            for (i, (key, value)) in workload.metadata.enumerated() {
                out.raw(i == 0 ? "\n    " : ",\n    ")
                out.string(key)
                out.raw(": ")
                out.string(value)
            }
            out.raw("\n  }")
        }
        let defaults = defaultWanted(workload)
        if !isDefaultSubmissionList(workload, defaults: defaults) {
            out.raw(",\n  \"submissions\": [")
            for (i, submission) in workload.submissions.enumerated() {
                out.raw(i == 0 ? "\n    " : ",\n    ")
                writeSubmission(submission, defaultWanted: defaults[i], workload: workload, to: &out)
            }
            out.raw("\n  ]")
        }
        out.raw(",\n  \"tasks\": [")
        for (i, spec) in workload.tasks.enumerated() {
            out.raw(i == 0 ? "\n    " : ",\n    ")
            writeTask(spec, workload: workload, to: &out)
        }
        out.raw("\n  ]\n}\n")
        return out.bytes
    }

    /// Writes atomically (temporary file, then rename). A path ending in `.gz` is gzip-compressed.
    public static func write(_ workload: Workload, to path: String) throws(TraceFileError) {
        try TraceFile.writeAtomically(encode(workload), to: path, gzip: path.hasSuffix(".gz"))
    }

    static func writeTask(_ spec: TaskSpec, workload: Workload, to out: inout JSONOutput) {
        out.raw("{\"key\": ")
        out.string(spec.key)
        if spec.prefix != KeyNames.keySplit(spec.key) {
            out.raw(", \"prefix\": ")
            out.string(spec.prefix)
        }
        if spec.group != KeyNames.keySplitGroup(spec.key) {
            out.raw(", \"group\": ")
            out.string(spec.group)
        }
        if spec.kind != .compute {
            out.raw(", \"kind\": ")
            out.string(spec.kind.rawValue)
        }
        out.raw(", \"duration\": ")
        out.double(spec.duration)
        out.raw(", \"output_bytes\": ")
        out.integer(spec.outputBytes)
        if !spec.dependencies.isEmpty {
            out.raw(", \"dependencies\": [")
            for (i, dep) in spec.dependencies.enumerated() {
                if i > 0 { out.raw(", ") }
                out.string(workload.tasks[dep.index].key)
            }
            out.raw("]")
        }
        if let bytes = spec.dependencyBytes {
            out.raw(", \"dependency_bytes\": [")
            for (i, value) in bytes.enumerated() {
                if i > 0 { out.raw(", ") }
                out.integer(value)
            }
            out.raw("]")
        }
        if let parts = spec.dependencyParts {
            out.raw(", \"dependency_parts\": [")
            for (i, value) in parts.enumerated() {
                if i > 0 { out.raw(", ") }
                out.integer(Int64(value))
            }
            out.raw("]")
        }
        let r = spec.restrictions
        if !r.workers.isEmpty || !r.hosts.isEmpty || r.loose {
            out.raw(", \"restrictions\": {")
            var first = true
            func separator() { if !first { out.raw(", ") }; first = false }
            if !r.workers.isEmpty { separator(); out.raw("\"workers\": "); out.strings(r.workers) }
            if !r.hosts.isEmpty { separator(); out.raw("\"hosts\": "); out.strings(r.hosts) }
            if r.loose { separator(); out.raw("\"loose\": true") }
            out.raw("}")
        }
        if !spec.resources.isEmpty {
            out.raw(", \"resources\": {")
            for (i, resource) in spec.resources.enumerated() {
                if i > 0 { out.raw(", ") }
                out.string(resource.name)
                out.raw(": ")
                out.double(resource.amount)
            }
            out.raw("}")
        }
        if spec.userPriority != 0 { out.raw(", \"priority\": "); out.integer(Int64(spec.userPriority)) }
        if spec.retries != 0 { out.raw(", \"retries\": "); out.integer(Int64(spec.retries)) }
        if let order = spec.order { out.raw(", \"order\": "); out.integer(Int64(order)) }
        if spec.isActor { out.raw(", \"actor\": true") }
        if let actor = spec.actor { out.raw(", \"calls_actor\": "); out.string(workload.tasks[actor.index].key) }
        if spec.secedes { out.raw(", \"secede\": true") }
        if spec.submission != 0 { out.raw(", \"submission\": "); out.integer(Int64(spec.submission)) }
        if !spec.annotations.isEmpty {
            out.raw(", \"annotations\": {")
            for (i, (key, value)) in spec.annotations.enumerated() {
                if i > 0 { out.raw(", ") }
                out.string(key)
                out.raw(": ")
                out.string(value)
            }
            out.raw("}")
        }
        out.raw("}")
    }

    static func writeSubmission(_ submission: Submission, defaultWanted: [TaskID], workload: Workload, to out: inout JSONOutput) {
        out.raw("{\"client\": ")
        out.string(submission.client)
        out.raw(", \"time\": ")
        out.double(submission.time)
        if let submitter = submission.submitter {
            out.raw(", \"submitter\": ")
            out.string(workload.tasks[submitter.index].key)
        }
        if submission.wanted != defaultWanted {
            out.raw(", \"wanted\": ")
            out.strings(submission.wanted.map { workload.tasks[$0.index].key })
        }
        out.raw("}")
    }

    /// What a reader assumes when a submission has no `wanted`: the tasks of
    /// that submission nothing depends on, in id order (see `WorkloadBuilder`).
    static func defaultWanted(_ workload: Workload) -> [[TaskID]] {
        var result = [[TaskID]](repeating: [], count: workload.submissions.count)
        for (i, spec) in workload.tasks.enumerated()
        where workload.dependents[i].isEmpty && spec.submission >= 0 && spec.submission < result.count {
            result[spec.submission].append(TaskID(i))
        }
        return result
    }

    /// One `client-0` submission at time 0 wanting the leaves: what a reader assumes when `submissions` is absent.
    static func isDefaultSubmissionList(_ workload: Workload, defaults: [[TaskID]]) -> Bool {
        guard workload.submissions.count == 1, let only = workload.submissions.first else { return false }
        return only.client == "client-0" && only.time == 0 && only.time.sign == .plus
            && only.submitter == nil && only.wanted == defaults[0]
    }
}

/// A growing UTF-8 buffer with the few JSON primitives the writers need.
struct JSONOutput {
    var bytes: [UInt8] = []

    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func string(_ s: String) { JSONText.appendQuoted(s, to: &bytes) }

    mutating func strings(_ list: [String]) {
        raw("[")
        for (i, s) in list.enumerated() {
            if i > 0 { raw(", ") }
            string(s)
        }
        raw("]")
    }

    mutating func integer(_ value: Int64) { bytes.append(contentsOf: String(value).utf8) }

    /// Shortest text that reads back as the same double (`0.1`, `1e-07`, `2.0`).
    /// Callers never pass NaN or infinity: validation rejects them.
    mutating func double(_ value: Double) { bytes.append(contentsOf: value.description.utf8) }
}
