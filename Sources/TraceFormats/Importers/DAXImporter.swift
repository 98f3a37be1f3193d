import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import OrderedCollections
import Workload

/// Reads Pegasus DAX workflows (XML, schema 2.1 and 3.x).
///
///     <adag name="montage" version="2.1" jobCount="25" childCount="20">
///       <job id="ID00000" namespace="Montage" name="mProjectPP" runtime="13.39">
///         <uses file="region.hdr" link="input" size="304"/>
///         ...
///       </job>
///       <child ref="ID00003"><parent ref="ID00000"/></child>
///     </adag>
///
/// Keys are the job `id`s; the prefix (duration estimates, groups) is the job
/// `name` (the transformation). Durations come from the `runtime` attribute
/// (WorkflowGenerator's extension) or a `pegasus::runtime` profile; sizes from
/// `size`. A real DAX written by a user has neither: each missing runtime or
/// size is counted in the warnings. Files are named by `file` (2.1) or `name`
/// (3.x). Edges and bytes follow `FileFlowGraph`.
public struct DAXImporter: TraceImporter {
    public var externalInputs: ExternalInputs

    public init(externalInputs: ExternalInputs = .dataTasks) {
        self.externalInputs = externalInputs
    }

    public var name: String { "dax" }
    public var summary: String { "Pegasus DAX XML workflows (2.1, 3.x)" }

    public func detect(prefix: ArraySlice<UInt8>, path: String) -> Bool {
        let text = String(decoding: prefix.prefix(4096), as: UTF8.self)
        return text.contains("<adag")
    }

    /// Reads a whole file for the format registry.
    public func read(bytes: [UInt8], path: String) throws -> LoadedTrace {
        try importTrace(bytes: bytes, path: path).loaded(format: name, path: path)
    }

    /// Reads a whole file, keeping the warnings' codes and counts.
    public func importTrace(bytes: [UInt8], path: String) throws(TraceImportError) -> ImportedTrace {
        // XMLParser accepts some bytes that are not UTF-8; check first so the error names the place.
        _ = try TextInput.decode(bytes, file: path)
        let collector = DAXCollector(path: path)
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = collector
        parser.shouldProcessNamespaces = false
        let ok = parser.parse()
        if let failure = collector.failure {
            throw failure
        }
        // libxml2 recovers from some errors and parse() then still returns true,
        // so the first error the delegate saw is what counts.
        if let (code, line, column) = collector.xmlError {
            throw TraceImportError(file: path, place: "line \(line), column \(column)", "malformed XML: \(Self.describe(xmlError: code))")
        }
        if !ok || parser.parserError != nil {
            let code = (parser.parserError as NSError?)?.code ?? -1
            throw TraceImportError(
                file: path, place: "line \(parser.lineNumber), column \(parser.columnNumber)",
                "malformed XML: \(Self.describe(xmlError: code))")
        }
        guard collector.sawRoot else {
            throw TraceImportError(file: path, place: "line 1", "not a DAX file: no <adag> root element")
        }
        var warnings = collector.warnings
        var metadata: OrderedDictionary<String, String> = ["format": "dax"]
        for key in ["name", "version", "jobCount", "childCount"] {
            if let value = collector.rootAttributes[key] { metadata["dax.\(key)"] = value }
        }
        if let stated = collector.rootAttributes["jobCount"].flatMap(Int.init), stated != collector.graph.jobs.count {
            warnings.add("count-mismatch", "<adag jobCount=\"\(stated)\"> but the file has \(collector.graph.jobs.count) jobs", at: "line \(collector.rootLine)")
        }
        let workload = try collector.graph.build(
            name: TextInput.stem(path),
            source: path, metadata: metadata, externalInputs: externalInputs, warnings: &warnings)
        return ImportedTrace(workload: workload, warnings: warnings.list)
    }

    static func describe(xmlError code: Int) -> String {
        switch code {
        case 4: return "the document is empty"
        case 5: return "the document ends early (truncated file?)"
        case 9: return "invalid character"
        case 38, 39, 40, 41: return "malformed attribute"
        case 73: return "'>' expected"
        case 76: return "closing tag does not match the open element"
        case 77: return "premature end of data in a tag (truncated file?)"
        default: return "libxml2 parser error \(code)"
        }
    }
}

/// XMLParser delegate that collects jobs, files and child/parent links.
private final class DAXCollector: NSObject, XMLParserDelegate {
    let path: String
    var graph = FileFlowGraph()
    var warnings = ImportWarnings()
    var failure: TraceImportError?
    var sawRoot = false
    var rootAttributes: [String: String] = [:]
    var rootLine = 1
    /// Index into `graph.jobs` of the open <job>, if any.
    var openJob: Int?
    /// Whether the open job had a runtime attribute (a profile may supply one later).
    var openJobHasRuntime = false
    var openProfileKey: String?
    var profileText = ""
    var openChild: String?
    var openChildLine = 0
    var jobIndex: [String: Int] = [:]
    /// Explicit parents per child key, collected from <child> elements.
    var parents: [String: [String]] = [:]
    var parentsLine: [String: Int] = [:]

    /// The first XML syntax error: libxml2 code, line, column.
    var xmlError: (Int, Int, Int)?

    init(path: String) {
        self.path = path
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if xmlError == nil {
            xmlError = ((parseError as NSError).code, parser.lineNumber, parser.columnNumber)
        }
    }

    func fail(_ parser: XMLParser, _ message: String) {
        if failure == nil {
            failure = TraceImportError(file: path, place: "line \(parser.lineNumber)", message)
        }
        parser.abortParsing()
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes: [String: String] = [:]
    ) {
        let place = "line \(parser.lineNumber)"
        switch elementName {
        case "adag":
            sawRoot = true
            rootAttributes = attributes
            rootLine = parser.lineNumber
        case "job", "dax", "dag":
            guard let id = attributes["id"], !id.isEmpty else {
                return fail(parser, "<\(elementName)> without an id attribute")
            }
            if elementName != "job" {
                warnings.add("subworkflow", "<\(elementName) id=\"\(id)\"> is a sub-workflow; it is imported as one task of runtime 0, not expanded", at: place)
            }
            var duration = 0.0
            openJobHasRuntime = false
            if let text = attributes["runtime"] {
                guard let value = Double(text), value.isFinite, value >= 0 else {
                    return fail(parser, "job '\(id)': runtime '\(text)' is not a number of seconds >= 0")
                }
                duration = value
                openJobHasRuntime = true
            }
            let name = attributes["name"] ?? attributes["file"] ?? elementName
            var annotations: OrderedDictionary<String, String> = [:]
            if let ns = attributes["namespace"] { annotations["namespace"] = ns }
            if jobIndex[id] != nil {
                // Passed on: the workload builder reports the duplicate with both places.
                warnings.add("duplicate-job", "job id '\(id)' appears twice", at: place)
            } else {
                jobIndex[id] = graph.jobs.count
            }
            graph.jobs.append(FileFlowGraph.Job(
                key: id, prefix: name, duration: duration, inputs: [], outputs: [], parents: [],
                place: place, annotations: annotations))
            openJob = graph.jobs.count - 1
        case "uses":
            guard let j = openJob else { return }   // <uses> of an <executable> or <file> catalog entry
            guard let file = attributes["file"] ?? attributes["name"] ?? attributes["lfn"], !file.isEmpty else {
                return fail(parser, "job '\(graph.jobs[j].key)': <uses> without a file name")
            }
            let link = attributes["link"] ?? attributes["type"] ?? ""
            switch link {
            case "input": graph.jobs[j].inputs.append(file)
            case "output": graph.jobs[j].outputs.append(file)
            case "inout":
                warnings.add("inout-file", "file '\(file)' is read and written by one job; treated as an output", at: place)
                graph.jobs[j].outputs.append(file)
            default:
                warnings.add("unknown-link", "job '\(graph.jobs[j].key)': <uses> link '\(link)' is neither input nor output; ignored", at: place)
                return
            }
            if let text = attributes["size"] {
                var size = Int64(text)
                if size == nil, let real = Double(text), real.isFinite, real >= 0, real < Double(WorkloadBuilder.maximumBytes) {
                    size = Int64(real)
                }
                guard let size, size >= 0 else {
                    return fail(parser, "file '\(file)': size '\(text)' is not a number of bytes >= 0")
                }
                // One file is at most 1 PiB, as every other size; so the sums
                // of a job's files below stay far from Int64's range.
                guard size <= WorkloadBuilder.maximumBytes else {
                    return fail(parser, "file '\(file)': size \(size) bytes is outside 0...\(WorkloadBuilder.maximumBytes) (1 PiB)")
                }
                // DAX gives a size per <uses>; the writer's statement is the file's size.
                graph.setSize(size, of: file, at: place, byProducer: link != "input", warnings: &warnings)
                if link != "input" { graph.jobs[j].outputSizes[file] = size }
            }
        case "profile":
            if openJob != nil, attributes["namespace"] == "pegasus", attributes["key"] == "runtime" {
                openProfileKey = "runtime"
                profileText = ""
            }
        case "child":
            guard let ref = attributes["ref"] else { return fail(parser, "<child> without a ref attribute") }
            openChild = ref
            openChildLine = parser.lineNumber
            if parentsLine[ref] == nil { parentsLine[ref] = parser.lineNumber }
        case "parent":
            guard let child = openChild else { return fail(parser, "<parent> outside a <child> element") }
            guard let ref = attributes["ref"] else { return fail(parser, "<parent> without a ref attribute") }
            parents[child, default: []].append(ref)
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if openProfileKey != nil { profileText += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch elementName {
        case "job", "dax", "dag":
            if let j = openJob, !openJobHasRuntime {
                warnings.add("job-without-runtime", "job '\(graph.jobs[j].key)' has no runtime; 0 s assumed", at: graph.jobs[j].place)
            }
            openJob = nil
        case "profile":
            if openProfileKey != nil, let j = openJob {
                let text = profileText.trimmedBlanks
                if let value = Double(text), value.isFinite, value >= 0 {
                    graph.jobs[j].duration = value
                    openJobHasRuntime = true
                } else {
                    fail(parser, "job '\(graph.jobs[j].key)': runtime profile '\(text)' is not a number of seconds >= 0")
                }
            }
            openProfileKey = nil
        case "child":
            openChild = nil
        case "adag":
            // Attach explicit parents now that every job is known.
            for (child, refs) in parents.sorted(by: { $0.key < $1.key }) {
                if let j = jobIndex[child] {
                    graph.jobs[j].parents.append(contentsOf: refs)
                } else {
                    failure = failure ?? TraceImportError(
                        file: path, place: "line \(parentsLine[child] ?? 0)", "<child ref=\"\(child)\"> names no job of this file")
                }
            }
        default:
            break
        }
    }
}
