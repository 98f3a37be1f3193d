// swift-tools-version: 6.1
// Benchmarks live in their own package so `swift build` / `swift test` of the
// main package never build ordo-one/benchmark. Run from this folder:
//   swift package --allow-writing-to-package-directory benchmark --no-progress
import PackageDescription

let package = Package(
    name: "SchedSimBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        // The name pins the identity: without it SwiftPM names the package after its folder (main, wt-x, ...).
        .package(name: "schedsim", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SchedSimBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SchedSimCore", package: "schedsim"),
            ],
            path: "SchedSimBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
