import OrderedCollections
import Workload

/// What to do with files that tasks read but no task writes (a workflow's
/// external inputs).
public enum ExternalInputs: String, Sendable, CaseIterable {
    /// Each such file becomes a pure-data task (`TaskKind.data`, scattered from
    /// the client) of the file's size, and its readers depend on it.
    case dataTasks = "data-tasks"
    /// Such files are left out: their readers start with their data in place.
    case ignore
}

/// The workflow model shared by file-based formats (Pegasus DAX, WfCommons):
/// jobs that read and write named files, plus explicit parent links.
///
/// It turns that model into Dask's one-output-per-task model:
/// - edges are explicit parents ∪ file producer→consumer pairs;
/// - a task's `outputBytes` is the sum of its output files' sizes (option (a)
///   of the trace-format notes), and each edge carries the bytes of the files
///   the producer writes and the consumer reads (option (b), `dependencyBytes`);
///   an explicit link with no shared file carries 0 bytes; each edge's
///   `dependencyParts` label names the set of files it reads, so consumers of
///   the same files share one part when partial reads are split;
/// - external input files become data tasks or are ignored (`ExternalInputs`).
/// Dependencies are listed in the order their producers appear in the file,
/// so the graph does not depend on which redundant edge list the file used.
struct FileFlowGraph {
    struct Job {
        var key: String
        var prefix: String
        var duration: Double
        var inputs: [String]
        var outputs: [String]
        var parents: [String]
        var place: String
        var annotations: OrderedDictionary<String, String> = [:]
        /// Sizes this job itself states for its output files (DAX states a size
        /// per `<uses>`); they beat the global table for this job's outputs.
        var outputSizes: [String: Int64] = [:]
        /// `children` entries naming no task, reported as errors at build time.
        var danglingChildren: [String] = []
    }

    var jobs: [Job] = []
    /// File sizes in bytes; the first size given for a name wins.
    var fileSizes: [String: Int64] = [:]
    var fileSizePlace: [String: String] = [:]

    /// Files whose size was stated by a writer (which beats a reader's statement).
    var sizeFromProducer: Set<String> = []

    /// Records a stated size. Formats with one global file table (WfCommons) call
    /// this once per file; DAX states a size on every `<uses>`, and there the
    /// first writer's statement wins over readers', differences are counted.
    mutating func setSize(_ size: Int64, of file: String, at place: String, byProducer: Bool = true, warnings: inout ImportWarnings) {
        if let old = fileSizes[file] {
            if old != size {
                warnings.add("file-size-conflict", "file '\(file)' is given sizes \(old) and \(size); the writer's (else the first) is used", at: place)
            }
            if byProducer && !sizeFromProducer.contains(file) {
                fileSizes[file] = size
                fileSizePlace[file] = place
                sizeFromProducer.insert(file)
            }
        } else {
            fileSizes[file] = size
            fileSizePlace[file] = place
            if byProducer { sizeFromProducer.insert(file) }
        }
    }

    func build(
        name: String, source: String, metadata: OrderedDictionary<String, String>,
        externalInputs: ExternalInputs, warnings: inout ImportWarnings
    ) throws(TraceImportError) -> Workload {
        var position: [String: Int] = [:]
        position.reserveCapacity(jobs.count)
        for (i, job) in jobs.enumerated() where position[job.key] == nil { position[job.key] = i }

        // Producer of each file: the first job (in file order) that writes it.
        var producer: [String: Int] = [:]
        for (i, job) in jobs.enumerated() {
            for file in job.outputs {
                if let first = producer[file] {
                    if first != i {
                        warnings.add("file-two-producers", "file '\(file)' is written by '\(jobs[first].key)' and '\(job.key)'; the first writer is its producer", at: job.place)
                    }
                } else {
                    producer[file] = i
                }
            }
        }

        // External inputs in first-read order, for deterministic data-task ids.
        var external = OrderedSet<String>()
        for job in jobs {
            for file in job.inputs where producer[file] == nil { external.append(file) }
        }
        var dataKey: [String: String] = [:]
        var warningsOrIssues: [WorkloadIssue] = []
        var builder = WorkloadBuilder(name: name, source: source)
        builder.metadata = metadata
        if externalInputs == .dataTasks {
            for file in external {
                var key = file
                if position[key] != nil {
                    key = "input-file:" + file
                    warnings.add("file-key-collision", "input file '\(file)' has the same name as a task; its data task is called '\(key)'", at: fileSizePlace[file] ?? "")
                }
                dataKey[file] = key
                builder.add(
                    TaskSpec(key: key, prefix: "input-file", group: "input-file", kind: .data, outputBytes: size(of: file, &warnings)),
                    dependencies: [], origin: fileSizePlace[file] ?? "input file '\(file)'")
            }
        } else if !external.isEmpty {
            warnings.add("external-inputs-ignored", "\(external.count) input file(s) no task writes are ignored (first: '\(external[0])')", at: "")
        }

        // Per producer: the distinct sets of its files that consumers read, labelled 0, 1, …
        // in first-use order (`TaskSpec.dependencyParts`); only looked up, never iterated.
        var partLabels = [[[String]: Int]](repeating: [:], count: jobs.count)
        for (i, job) in jobs.enumerated() {
            // Bytes and files per producer (by file position) for this consumer.
            var bytesFrom: [Int: Int64] = [:]
            var filesFrom: [Int: [String]] = [:]
            var dataDeps: [(String, Int64)] = []
            var seenInput = Set<String>()
            for file in job.inputs where seenInput.insert(file).inserted {
                if let p = producer[file] {
                    if p == i {
                        warnings.add("reads-own-output", "task '\(job.key)' reads its own output file '\(file)'; no edge added", at: job.place)
                        continue
                    }
                    bytesFrom[p] = WorkloadBuilder.cappedSum(bytesFrom[p] ?? 0, jobs[p].outputSizes[file] ?? size(of: file, &warnings))
                    filesFrom[p, default: []].append(file)
                } else if let key = dataKey[file] {
                    dataDeps.append((key, size(of: file, &warnings)))
                }
            }
            var parentPositions = Set(bytesFrom.keys)
            var unknownParents: [String] = []
            for parent in job.parents {
                if let p = position[parent] {
                    if p == i {
                        warnings.add("self-parent", "task '\(job.key)' lists itself as a parent; ignored", at: job.place)
                        continue
                    }
                    parentPositions.insert(p)
                } else {
                    unknownParents.append(parent)
                }
            }
            var dependencies = dataDeps.map(\.0)
            var bytes = dataDeps.map(\.1)
            var labels = dataDeps.map { _ in 0 }  // a data task is one file, read whole
            for p in parentPositions.sorted() {
                dependencies.append(jobs[p].key)
                bytes.append(bytesFrom[p] ?? 0)
                let files = (filesFrom[p] ?? []).sorted()
                if let label = partLabels[p][files] {
                    labels.append(label)
                } else {
                    labels.append(partLabels[p].count)
                    partLabels[p][files] = partLabels[p].count
                }
            }
            for child in job.danglingChildren {
                warningsOrIssues.append(WorkloadIssue(.unknownDependency, key: job.key, place: job.place, "lists unknown child '\(child)'"))
            }
            // Unknown parents are passed on so the builder reports them as dangling references.
            dependencies.append(contentsOf: unknownParents)
            bytes.append(contentsOf: unknownParents.map { _ in 0 })
            labels.append(contentsOf: unknownParents.map { _ in 0 })
            var output: Int64 = 0
            var seenOutput = Set<String>()
            for file in job.outputs where seenOutput.insert(file).inserted {
                output = WorkloadBuilder.cappedSum(output, job.outputSizes[file] ?? size(of: file, &warnings))
            }
            builder.add(
                TaskSpec(key: job.key, prefix: job.prefix, group: job.prefix, duration: job.duration,
                         outputBytes: output, dependencyBytes: bytes, dependencyParts: labels, annotations: job.annotations),
                dependencies: dependencies, origin: job.place)
        }
        for issue in warningsOrIssues { builder.report(issue) }
        do {
            return try builder.build()
        } catch {
            throw TraceImportError(error)
        }
    }

    private func size(of file: String, _ warnings: inout ImportWarnings) -> Int64 {
        if let size = fileSizes[file] { return size }
        warnings.add("file-without-size", "file '\(file)' has no size; 0 bytes assumed", at: "")
        return 0
    }
}
