import Testing
@testable import TraceFormats
import Workload

/// import -> native schedsim-trace -> import gives the same workload, for every
/// bundled trace of every format and for generated graphs.
@Suite("Importers: native round trip")
struct ImportersRoundTripTests {
    static let files = [
        "stg/robot.stg", "dax/Montage_25.xml", "dax/CyberShake_30.xml",
        "wfcommons/1000genome-chameleon-2ch-100k-001.json", "wfcommons/montage-chameleon-2mass-01d-001.json",
        "wfcommons/legacy-v1.2/srasearch-chameleon-50a-001.json", "dask/array_matmul.json", "dask/dataframe_groupby.json",
    ]

    private func assertSame(_ original: Workload, _ copy: Workload) {
        #expect(copy.tasks == original.tasks)
        #expect(copy.submissions == original.submissions)
        #expect(copy.metadata == original.metadata)
    }

    @Test(arguments: files)
    func bundledTraceSurvivesNativeRoundTrip(_ file: String) throws {
        let original = try TraceLoader.load(path: TraceFiles.path(file))
        let bytes = NativeTraceWriter.encode(original.workload)
        let copy = try TraceLoader.load(bytes: bytes, path: "copy.json")
        #expect(copy.format == "schedsim-trace")
        assertSame(original.workload, copy.workload)
    }

    @Test(arguments: GeneratorCatalog.kinds)
    func generatedGraphSurvivesNativeRoundTrip(_ kind: String) throws {
        let original = try GeneratorCatalog.generate(GeneratorRequest(kind: kind, seed: 3))
        let copy = try TraceLoader.load(bytes: NativeTraceWriter.encode(original), path: "copy.json")
        assertSame(original, copy.workload)
    }
}
