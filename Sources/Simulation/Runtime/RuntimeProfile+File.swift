import Foundation
import Yams

/// Runtime profile files (`schedsim-runtime/1`, YAML or JSON):
///
///     format: schedsim-runtime/1
///     name: my-cluster
///     source: fitted by schedsim calibrate from 12 captures
///     base: ideal            # optional: ideal (default), dask or executor
///     parameters:
///       scheduler-transition: 40us
///       worker-task: 1.2ms
///       transfer-bandwidth: 120MB/s
///
/// Parameters not listed keep the value of `base`. Unknown fields and
/// parameters are errors, so a misspelt name never silently means zero.
extension RuntimeProfile {
    public static let fileFormat = "schedsim-runtime/1"

    /// A built-in profile by name, or nil.
    public static func builtin(named name: String) -> RuntimeProfile? {
        switch name {
        case "ideal": .ideal
        case "dask": .dask
        case "executor": .executor
        default: nil
        }
    }

    public static let builtinNames = ["dask", "executor", "ideal"]

    /// `--runtime VALUE`: a built-in name or a profile file.
    public static func resolve(_ value: String) throws(RuntimeProfileError) -> RuntimeProfile {
        if let profile = builtin(named: value) { return profile }
        let lowered = value.lowercased()
        guard lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") || lowered.hasSuffix(".json") else {
            throw RuntimeProfileError(source: "--runtime", "'\(value)' is neither a built-in profile (\(builtinNames.joined(separator: ", "))) nor a .yaml/.json profile file")
        }
        return try load(file: value)
    }

    public static func load(file path: String) throws(RuntimeProfileError) -> RuntimeProfile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuntimeProfileError(source: path, "cannot read the file")
        }
        guard data.count <= 1 << 20 else { throw RuntimeProfileError(source: path, "larger than 1 MiB: not a runtime profile") }
        guard let text = String(data: data, encoding: .utf8) else { throw RuntimeProfileError(source: path, "not UTF-8 text") }
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch {
            throw RuntimeProfileError(source: path, "not valid YAML or JSON (\(error))")
        }
        return try parse(root, source: path)
    }

    static func parse(_ root: Any?, source: String) throws(RuntimeProfileError) -> RuntimeProfile {
        guard let object = root as? [String: Any] else { throw RuntimeProfileError(source: source, "expected a mapping with format, name and parameters") }
        let known: Set<String> = ["format", "name", "source", "base", "parameters", "fit"]
        for key in object.keys.sorted() where !known.contains(key) {
            throw RuntimeProfileError(source: source, "$.\(key): unknown field (known: base, fit, format, name, parameters, source)")
        }
        guard let format = object["format"] as? String else {
            throw RuntimeProfileError(source: source, "$.format: missing; expected '\(fileFormat)'")
        }
        guard format == fileFormat else {
            throw RuntimeProfileError(source: source, "$.format: '\(format)' is not supported; expected '\(fileFormat)'")
        }
        var profile = RuntimeProfile.ideal
        if let base = object["base"] {
            guard let name = base as? String, let builtin = builtin(named: name) else {
                throw RuntimeProfileError(source: source, "$.base: expected one of \(builtinNames.joined(separator: ", "))")
            }
            profile = builtin
        }
        profile.name = (object["name"] as? String) ?? URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent
        profile.source = (object["source"] as? String) ?? "file \(source)"
        if let parameters = object["parameters"] {
            guard let mapping = parameters as? [String: Any] else {
                throw RuntimeProfileError(source: source, "$.parameters: expected a mapping of parameter names to values")
            }
            for name in mapping.keys.sorted() {
                let value = mapping[name]!
                let text: String
                switch value {
                case let s as String: text = s
                case let i as Int: text = String(i)
                case let d as Double: text = "\(d)"
                default: throw RuntimeProfileError(source: source, "$.parameters.\(name): expected a number or a string like 200us")
                }
                try profile.set(name, to: text, source: "\(source): $.parameters")
            }
        }
        return profile
    }

    /// The profile as a `schedsim-runtime/1` YAML document (every parameter, base ideal),
    /// followed by `extra` lines (e.g. the fit's residuals as a `fit:` mapping).
    public func yaml(extra: [String] = []) -> String {
        var lines = [
            "format: \(Self.fileFormat)",
            "name: \(Self.quoted(name))",
            "source: \(Self.quoted(source))",
            "parameters:",
        ]
        for parameter in Self.parameters {
            lines.append("  \(parameter.name): \(Self.quoted(text(of: parameter)))")
        }
        return (lines + extra).joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 { out += String(format: "\\x%02x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
