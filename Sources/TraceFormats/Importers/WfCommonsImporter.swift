import OrderedCollections
import Workload

/// Reads WfCommons WfFormat instances (the JSON of WfInstances): schema 1.5
/// and the older 1.0–1.4 dialects, following the differences table in the
/// trace-format notes.
///
/// - Task keys are the 1.5 task `id`s. For ≤1.4 files the same key is derived
///   with the official migration rule: `name` when the old `id` is part of
///   `name` (Pegasus: `bowtie2_ID0000003`), else `name_id` (Nextflow, whose
///   names repeat). Parents given by name are resolved by name first, then by id.
/// - The prefix is the task name without its instance suffix (`_ID0000003`,
///   `_00000001`): the transformation, as Dask's prefix is the function.
/// - Edges are parents ∪ children ∪ file producer→consumer pairs; bytes and
///   external inputs follow `FileFlowGraph` (per-task output bytes = Σ output
///   files; per-edge bytes = Σ files shared by producer and consumer).
/// - Duration is `runtimeInSeconds` (1.4, 1.5) or `runtime` (≤1.3); the machine
///   a task ran on and its core count are kept as annotations; the recorded
///   makespan goes to the workload metadata (`wfcommons.makespan_s`).
///
/// With the four srasearch files (1.2, 1.3, 1.4, 1.5) this gives identical graphs.
public struct WfCommonsImporter: TraceImporter {
    public var externalInputs: ExternalInputs

    public init(externalInputs: ExternalInputs = .dataTasks) {
        self.externalInputs = externalInputs
    }

    public var name: String { "wfcommons" }
    public var summary: String { "WfCommons WfFormat JSON (schema 1.0–1.5)" }

    public func detect(prefix: ArraySlice<UInt8>, path: String) -> Bool {
        jsonPrefixContains(prefix, ["\"schemaVersion\"", "\"wms\"", "\"runtimeSystem\""])
            && !jsonPrefixContains(prefix, ["\"dask-trace/", "\"schedsim-trace"])
    }

    public func read(bytes: [UInt8], path: String) throws -> LoadedTrace {
        try importTrace(bytes: bytes, path: path).loaded(format: name, path: path)
    }

    public func importTrace(bytes: [UInt8], path: String) throws(TraceImportError) -> ImportedTrace {
        let document = try readingJSON(path) { () throws(JSONError) in try JSONParser.parse(bytes, file: path) }
        var warnings = ImportWarnings()
        var metadata: OrderedDictionary<String, String> = ["format": "wfcommons"]
        let graph = try readingJSON(path) { () throws(JSONError) -> FileFlowGraph in
            guard case .object = document.content else { throw document.typeError("a WfFormat object") }
            if let version = try document.optional("schemaVersion") { metadata["wfcommons.schema"] = try version.string }
            if let name = try document.optional("name") { metadata["wfcommons.name"] = try name.string }
            for key in ["runtimeSystem", "wms"] {
                if let system = try document.optional(key), case .object = system.content,
                   let systemName = try system.optional("name") {
                    metadata["wfcommons.wms"] = try systemName.string
                }
            }
            let workflow = try document["workflow"]
            if try workflow.optional("specification") != nil {
                return try readCurrent(workflow, metadata: &metadata, warnings: &warnings)
            }
            return try readLegacy(workflow, metadata: &metadata, warnings: &warnings)
        }
        let workload = try graph.build(
            name: TextInput.stem(path), source: path, metadata: metadata,
            externalInputs: externalInputs, warnings: &warnings)
        return ImportedTrace(workload: workload, warnings: warnings.list)
    }

    /// The transformation name: the task name without an `_ID0000003` or `_00000001` suffix.
    static func prefix(ofName name: String) -> String {
        guard let underscore = name.lastIndex(of: "_") else { return name }
        var suffix = name[name.index(after: underscore)...]
        if suffix.hasPrefix("ID") { suffix = suffix.dropFirst(2) }
        guard !suffix.isEmpty, suffix.allSatisfy(\.isNumber), underscore != name.startIndex else { return name }
        return String(name[..<underscore])
    }

    // MARK: schema 1.5

    private func readCurrent(
        _ workflow: JSONValue, metadata: inout OrderedDictionary<String, String>, warnings: inout ImportWarnings
    ) throws(JSONError) -> FileFlowGraph {
        let specification = try workflow["specification"]
        var graph = FileFlowGraph()
        if let files = try specification.optional("files") {
            for file in try files.array {
                let id = try file["id"].string
                graph.setSize(try file["sizeInBytes"].byteCount("sizeInBytes"), of: id, at: file.place, warnings: &warnings)
            }
        }
        // Execution records by task id: runtime, machines, cores.
        var execution: [String: JSONValue] = [:]
        if let run = try workflow.optional("execution") {
            if let makespan = try run.optional("makespanInSeconds") {
                metadata["wfcommons.makespan_s"] = "\(try makespan.double)"
            }
            for record in try run.optional("tasks")?.array ?? [] {
                let id = try record["id"].string
                if execution[id] != nil {
                    warnings.add("duplicate-execution", "task '\(id)' has two execution records; the first is used", at: record.place)
                } else {
                    execution[id] = record
                }
            }
        }
        var children: [(parent: String, child: String)] = []
        for task in try specification["tasks"].array {
            let id = try task["id"].string
            let name = try task.optional("name")?.string ?? id
            var job = FileFlowGraph.Job(
                key: id, prefix: Self.prefix(ofName: name), duration: 0,
                inputs: try task.optional("inputFiles")?.strings ?? [],
                outputs: try task.optional("outputFiles")?.strings ?? [],
                parents: try task.optional("parents")?.strings ?? [], place: task.place)
            for child in try task.optional("children")?.strings ?? [] { children.append((id, child)) }
            if let record = execution[id] {
                try readExecution(record, into: &job, runtimeKey: "runtimeInSeconds", warnings: &warnings)
            } else {
                warnings.add("no-execution-record", "task '\(id)' has no execution record; runtime 0 s assumed", at: task.place)
            }
            graph.jobs.append(job)
        }
        addChildren(children, to: &graph)
        return graph
    }

    /// `children` lists become parent links of the child (deduplicated later).
    private func addChildren(_ children: [(parent: String, child: String)], to graph: inout FileFlowGraph) {
        var index: [String: Int] = [:]
        for (i, job) in graph.jobs.enumerated() where index[job.key] == nil { index[job.key] = i }
        for (parent, child) in children {
            if let c = index[child] {
                if !graph.jobs[c].parents.contains(parent) { graph.jobs[c].parents.append(parent) }
            } else if let p = index[parent] {
                // Reported by the builder as a dangling reference from the parent's place.
                graph.jobs[p].danglingChildren.append(child)
            }
        }
    }

    private func readExecution(
        _ record: JSONValue, into job: inout FileFlowGraph.Job, runtimeKey: String, warnings: inout ImportWarnings
    ) throws(JSONError) {
        let runtimeValue = try record.optional(anyOf: [runtimeKey, "runtime", "runtimeInSeconds"])
        if let runtimeValue {
            job.duration = try runtimeValue.nonNegative(runtimeKey, limit: WorkloadBuilder.maximumDuration)
        } else {
            warnings.add("no-runtime", "task '\(job.key)' has no \(runtimeKey); 0 s assumed", at: record.place)
        }
        if let machines = try record.optional("machines") {
            let names = try machines.strings
            if !names.isEmpty { job.annotations["machine"] = names.joined(separator: ",") }
        } else if let machine = try record.optional("machine"), case .string(let name) = machine.content {
            job.annotations["machine"] = name
        }
        if let cores = try record.optional(anyOf: ["coreCount", "cores"]) {
            let count = try cores.double
            if count != 1 { job.annotations["cores"] = count == count.rounded() ? "\(Int(count))" : "\(count)" }
        }
    }

    // MARK: schema 1.0–1.4

    private func readLegacy(
        _ workflow: JSONValue, metadata: inout OrderedDictionary<String, String>, warnings: inout ImportWarnings
    ) throws(JSONError) -> FileFlowGraph {
        guard let list = try workflow.optional(anyOf: ["tasks", "jobs"]) else {
            throw workflow.error("missing required field \"specification\" (schema 1.5), \"tasks\" (1.3, 1.4) or \"jobs\" (1.0–1.2)")
        }
        if let makespan = try workflow.optional(anyOf: ["makespanInSeconds", "makespan"]) {
            metadata["wfcommons.makespan_s"] = "\(try makespan.double)"
        }
        let tasks = try list.array
        var graph = FileFlowGraph()
        var keysByName: [String: [String]] = [:]
        var keysByID: [String: String] = [:]
        var parentNames: [[String]] = []
        var childNames: [[String]] = []
        for task in tasks {
            let name = try task["name"].string
            let id = try task.optional("id")?.string
            // The 1.4 -> 1.5 migration rule for the task's identity.
            let key = id.map { name.contains($0) ? name : "\(name)_\($0)" } ?? name
            keysByName[name, default: []].append(key)
            if let id { keysByID[id] = key }
            var job = FileFlowGraph.Job(
                key: key, prefix: Self.prefix(ofName: name), duration: 0,
                inputs: [], outputs: [], parents: [], place: task.place)
            for file in try task.optional("files")?.array ?? [] {
                let fileName = try file["name"].string
                let fileID = try (file.optional("path")?.string).map { $0 + fileName } ?? fileName
                let link = try file["link"].string
                let size = try file.optional(anyOf: ["sizeInBytes", "size"])?.byteCount("file size")
                switch link {
                case "input": job.inputs.append(fileID)
                case "output":
                    job.outputs.append(fileID)
                    if let size { job.outputSizes[fileID] = size }
                default:
                    warnings.add("unknown-link", "file link '\(link)' is neither input nor output; ignored", at: file.place)
                    continue
                }
                if let size {
                    graph.setSize(size, of: fileID, at: file.place, byProducer: link == "output", warnings: &warnings)
                }
            }
            let runtimeKey = try task.optional("runtimeInSeconds") != nil ? "runtimeInSeconds" : "runtime"
            try readExecution(task, into: &job, runtimeKey: runtimeKey, warnings: &warnings)
            parentNames.append(try task.optional("parents")?.strings ?? [])
            childNames.append(try task.optional("children")?.strings ?? [])
            graph.jobs.append(job)
        }
        // Parents and children name tasks by name (Pegasus) or id; resolve now that all are known.
        func resolve(_ reference: String, at place: String) -> String {
            if let keys = keysByName[reference] {
                if keys.count > 1 {
                    warnings.add("ambiguous-reference", "'\(reference)' names \(keys.count) tasks; the first is used", at: place)
                }
                return keys[0]
            }
            return keysByID[reference] ?? reference
        }
        var children: [(parent: String, child: String)] = []
        for i in graph.jobs.indices {
            graph.jobs[i].parents = parentNames[i].map { resolve($0, at: graph.jobs[i].place) }
            for child in childNames[i] { children.append((graph.jobs[i].key, resolve(child, at: graph.jobs[i].place))) }
        }
        addChildren(children, to: &graph)
        return graph
    }
}
