import Planning

/// The `--info` flag: `exact`, `user:ERROR` (e.g. `user:0.3`), `mean`, `online`.
public enum InformationModeParsing {
    /// Parses one mode; the error names the flag and what is accepted.
    public static func parse(_ text: String) throws(PolicyError) -> InformationMode {
        let lower = text.lowercased()
        switch lower {
        case "exact": return .exact
        case "mean": return .mean
        case "online": return .online
        default: break
        }
        if lower == "user" || lower.hasPrefix("user:") {
            let number = lower == "user" ? "" : String(lower.dropFirst(5))
            guard let error = Double(number), error >= 0, error <= 1 else {
                throw PolicyError(policy: "--info", "'\(text)': the user mode needs an error in 0...1, e.g. user:0.3")
            }
            return .user(error: error)
        }
        throw PolicyError(policy: "--info", "'\(text)' is not an information mode; known: exact, user:ERROR, mean, online")
    }

    /// The mode's family name (`user` for any error).
    public static func name(of mode: InformationMode) -> String {
        switch mode {
        case .exact: "exact"
        case .user: "user"
        case .mean: "mean"
        case .online: "online"
        }
    }

    /// The mode as `--info` spells it (`user:0.3`).
    public static func label(of mode: InformationMode) -> String {
        switch mode {
        case .user(let error): "user:\(error)"
        default: name(of: mode)
        }
    }
}
