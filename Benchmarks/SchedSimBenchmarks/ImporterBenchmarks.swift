import Benchmark
import Foundation
import TraceFormats
import Workload

/// Importing the largest bundled WfCommons file and a Dask capture from bytes
/// in memory (parse + graph build), and generating a 100k-task array sum.
func importerBenchmarks() {
    let traces = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("traces")
    func bytes(_ relative: String) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: traces.appendingPathComponent(relative)))) ?? []
    }
    let epigenomics = bytes("wfcommons/epigenomics-chameleon-ilmn-6seq-50k-001.json")
    let matmul = bytes("dask/array_matmul.json")

    Benchmark("Import WfCommons epigenomics (1,695 tasks, 3.4 MB)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try WfCommonsImporter().importTrace(bytes: epigenomics, path: "epigenomics.json"))
        }
    }
    Benchmark("Import Dask capture array_matmul (769 tasks, 2.5 MB)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try DaskCaptureImporter().importTrace(bytes: matmul, path: "array_matmul.json"))
        }
    }
    Benchmark("Generate array-sum 100k tasks") { benchmark in
        // 208 × 208 blocks: 2 × 43,264 block tasks plus the reduction tree ≈ 101k tasks.
        let request = GeneratorRequest(kind: "array-sum", seed: 1, parameters: ["blocks": "208"])
        for _ in benchmark.scaledIterations {
            blackHole(try GeneratorCatalog.generate(request))
        }
    }
}
