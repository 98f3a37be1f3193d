// swift-tools-version: 6.1
// schedsim — a deterministic simulator and policy-research toolkit for
// Dask-style distributed task scheduling. See DESIGN.md for the module map.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "schedsim",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "schedsim", targets: ["schedsim"]),
        .library(name: "SchedSimCore", targets: [
            "Stochastics", "Workload", "TraceFormats", "Messages",
            "Scheduler", "Worker", "Simulation", "Recording", "Planning", "Policies", "Report",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
    ],
    targets: [
        // GNU GSL through pkg-config (Debian: libgsl-dev).
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // zlib for .json.gz traces (Debian: zlib1g-dev).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "Stochastics", dependencies: ["CGSL"], swiftSettings: strict),
        .target(
            name: "Workload",
            dependencies: [
                "Stochastics",
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TraceFormats",
            dependencies: ["Workload", "Stochastics", "CZlib"],
            swiftSettings: strict
        ),
        // The message vocabulary shared by scheduler, worker, simulator and executor.
        .target(name: "Messages", dependencies: ["Workload"], swiftSettings: strict),
        .target(
            name: "Scheduler",
            dependencies: [
                "Workload", "Messages", "Stochastics",
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Worker",
            dependencies: [
                "Workload", "Messages",
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        // Static list-scheduling planners (HEFT, b-level, t-level, DLS, ETF, MCP): pure
        // algorithms over a workload and a cluster description. `Messages` only for `Time`,
        // `Stochastics` for the seeded stream behind the `user` information mode.
        .target(
            name: "Planning",
            dependencies: [
                "Workload", "Messages", "Stochastics",
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        // Scheduling policies and the registry the CLI finds them in (docs/policies.md);
        // Simulation and Worker only to build a run's machines from a registered policy.
        .target(
            name: "Policies",
            dependencies: ["Workload", "Messages", "Scheduler", "Planning", "Stochastics", "Worker", "Simulation"],
            swiftSettings: strict
        ),
        .target(
            name: "Recording",
            dependencies: ["Workload", "Stochastics"],
            swiftSettings: strict
        ),
        // `schedsim report`: self-contained HTML pictures of a run, a compare or a validate folder.
        // Reads the CSV logs itself (Foundation only), so it builds without the simulator.
        .target(name: "Report", swiftSettings: strict),
        .target(
            name: "Simulation",
            dependencies: [
                "Workload", "Messages", "Scheduler", "Worker", "Stochastics", "Recording",
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // The real backend: scheduler, worker and client processes over TCP (SwiftNIO).
        // NIO stays out of every other module.
        .target(
            name: "Executor",
            dependencies: [
                "Scheduler", "Worker", "Messages", "Workload", "Recording", "Stochastics",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // prctl(PR_SET_PDEATHSIG) for the children of `schedsim run` (prctl is variadic:
        // Swift cannot call it directly).
        .target(name: "CProcessControl"),
        .executableTarget(
            name: "schedsim",
            dependencies: [
                "Workload", "TraceFormats", "Stochastics", "Messages", "Scheduler",
                "Worker", "Simulation", "Recording", "Executor", "Planning", "Policies", "Report", "CProcessControl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // Tiny helper that prints a stream's draws; StochasticsTests runs it in two
        // processes to check that streams do not depend on the process.
        .executableTarget(
            name: "schedsim-stochastics-probe",
            dependencies: ["Stochastics"],
            swiftSettings: strict
        ),
        .testTarget(name: "StochasticsTests", dependencies: ["Stochastics", "CGSL"]),
        .testTarget(name: "WorkloadTests", dependencies: ["Workload", "TraceFormats"]),
        .testTarget(name: "TraceFormatsTests", dependencies: ["TraceFormats", "Workload"], exclude: ["Fixtures"]),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "Messages", "Workload", "Stochastics"]),
        .testTarget(name: "WorkerTests", dependencies: ["Worker", "Messages", "Workload"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Recording", "TraceFormats", "Workload", "Scheduler", "Worker", "Messages"]),
        .testTarget(
            name: "ExecutorTests",
            dependencies: [
                // The fault test kills real `schedsim worker` processes; the dependency builds the binary.
                "Executor", "Scheduler", "Worker", "Messages", "Workload", "schedsim",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // ReportTests also run the built `schedsim report` (the dependency builds it first).
        .testTarget(name: "ReportTests", dependencies: ["Report", "schedsim"]),
        .testTarget(name: "PoliciesTests", dependencies: ["Policies", "Planning", "Scheduler", "Messages", "Workload", "Simulation", "Stochastics", "TraceFormats"]),
        .testTarget(name: "PlanningTests", dependencies: ["Planning", "Workload", "Messages", "Stochastics", "TraceFormats"]),
        .testTarget(name: "RecordingTests", dependencies: ["Recording"]),
        // Seeded chaos runs (random graphs, clusters, policies, faults) with every check on;
        // `make chaos N=...` runs the long one. `schedsim` for the --validate command-line test.
        .testTarget(
            name: "ChaosTests",
            dependencies: ["Simulation", "Policies", "Scheduler", "Worker", "Messages", "Workload", "Recording", "Stochastics", "schedsim"]
        ),
        // CLITests run the built `schedsim` binary; the dependency makes `swift test` build it first.
        .testTarget(name: "CLITests", dependencies: ["Workload", "TraceFormats", "schedsim"], exclude: ["Fixtures"]),
    ]
)
