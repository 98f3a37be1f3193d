import ArgumentParser
import Messages
import Simulation

/// `--runtime` and the `runtime.*` part of `--set`, shared by `replay`, `compare`
/// and `validate` (docs/runtime.md).
struct RuntimeOptions: ParsableArguments {
    @Option(name: .customLong("runtime"), help: ArgumentHelp(
        "Runtime-cost profile: dask (fitted from real Dask captures), executor (fitted to schedsim's own executor), ideal (every cost zero), or a profile file (.yaml/.json, e.g. from schedsim calibrate). compare takes a comma-separated list as a grid axis. Default: dask (validate against the executor: executor).",
        valueName: "profile"))
    var runtime: String?

    /// The profiles named by `--runtime` (or `fallback`), each with the `runtime.NAME=VALUE`
    /// settings applied, then `--scheduler-service-time` (a shorthand for runtime.scheduler-message).
    func profiles(settings: [String], serviceTime: String? = nil, fallback: String = "dask", allowList: Bool = false) throws -> [RuntimeProfile] {
        let names = (runtime ?? fallback).split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters() }
        if names.count > 1 && !allowList { throw ValidationError("--runtime takes one profile here (compare takes a list)") }
        if names.contains(where: \.isEmpty) { throw ValidationError("--runtime '\(runtime ?? "")': empty profile name") }
        var seen: Set<String> = []
        var out: [RuntimeProfile] = []
        for name in names {
            guard seen.insert(name).inserted else { throw ValidationError("--runtime lists '\(name)' twice") }
            var profile: RuntimeProfile
            do { profile = try RuntimeProfile.resolve(name) } catch { throw ValidationError("\(error)") }
            for (parameter, value) in try Self.runtimeSettings(settings) {
                do { try profile.set(parameter, to: value, source: "--set runtime.\(parameter)") } catch { throw ValidationError("\(error)") }
            }
            if let serviceTime, serviceTime != "0" {
                do { try profile.set("scheduler-message", to: serviceTime, source: "--scheduler-service-time") } catch {
                    throw ValidationError("\(error)")
                }
            }
            out.append(profile)
        }
        return out
    }

    /// The `runtime.NAME=VALUE` entries of `--set`, as (NAME, VALUE).
    static func runtimeSettings(_ settings: [String]) throws -> [(String, String)] {
        try settings.compactMap { text in
            guard text.hasPrefix("runtime.") else { return nil }
            let parts = text.dropFirst("runtime.".count).split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("--set '\(text)': expected runtime.NAME=VALUE, e.g. runtime.scheduler-scale=0.1") }
            return (String(parts[0]), String(parts[1]))
        }
    }

    /// The entries of `--set` that are Dask scheduler settings (everything but `runtime.*`).
    static func schedulerSettings(_ settings: [String]) -> [String] {
        settings.filter { !$0.hasPrefix("runtime.") }
    }
}
