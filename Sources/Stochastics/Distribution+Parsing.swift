/// Parsing command-line distribution specifications.
///
/// Grammar (spaces around parts are ignored; kinds and names are lower case):
///
///     spec       = kind [":" parameters]
///     parameters = parameter ("," parameter)*
///     parameter  = name "=" number        (constant also takes a bare number)
///     weights    = number ("/" number)*   (the value of discrete's `weights`)
///
/// | kind        | parameters                  | example                      |
/// |-------------|-----------------------------|------------------------------|
/// | constant    | value (bare or `value=`)    | `constant:1`                 |
/// | uniform     | low, high                   | `uniform:low=0.5,high=2`     |
/// | normal      | mean, sd                    | `normal:mean=1,sd=0.1`       |
/// | lognormal   | mu, sigma — or mean, cv     | `lognormal:mean=1,cv=0.5`    |
/// | exponential | mean                        | `exponential:mean=2`         |
/// | gamma       | shape, scale                | `gamma:shape=2,scale=1`      |
/// | pareto      | shape (alias alpha), scale  | `pareto:shape=3,scale=1`     |
/// | weibull     | scale, shape                | `weibull:scale=1,shape=1.5`  |
/// | poisson     | mean                        | `poisson:mean=4`             |
/// | discrete    | weights                     | `discrete:weights=1/2/3`     |
extension Distribution {
    /// Every kind `parse` accepts, in the order they are listed in messages.
    public static let kinds = [
        "constant", "uniform", "normal", "lognormal", "exponential",
        "gamma", "pareto", "weibull", "poisson", "discrete",
    ]

    /// Parses and validates a specification such as `lognormal:mean=1,cv=0.5`.
    ///
    /// - Throws: `DistributionError` quoting `text` and naming the bad part:
    ///   an unknown kind, a missing, unknown, repeated or malformed parameter,
    ///   a value that is not a finite number, or a value outside its domain.
    public static func parse(_ text: String) throws(DistributionError) -> Distribution {
        do throws(DistributionError) {
            let distribution = try parseUnquoted(text)
            try distribution.validate()
            return distribution
        } catch {
            throw error.quoting(text)
        }
    }

    private static func parseUnquoted(_ text: String) throws(DistributionError) -> Distribution {
        let spec = trimmed(Substring(text))
        guard !spec.isEmpty else {
            throw DistributionError(reason:
                "empty specification; expected kind:parameters such as lognormal:mean=1,cv=0.5")
        }
        let kind: Substring
        let rest: Substring
        if let colon = spec.firstIndex(of: ":") {
            kind = trimmed(spec[..<colon])
            rest = spec[spec.index(after: colon)...]
        } else {
            kind = spec
            rest = ""
        }
        var p = try SpecParameters(kind: String(kind), text: rest)
        switch kind {
        case "constant":
            try p.allow(["value"], bare: "value")
            return .constant(try p.number("value"))
        case "uniform":
            try p.allow(["low", "high"])
            return .uniform(low: try p.number("low"), high: try p.number("high"))
        case "normal":
            try p.allow(["mean", "sd"])
            return .normal(mean: try p.number("mean"), sd: try p.number("sd"))
        case "lognormal":
            return try lognormal(&p)
        case "exponential":
            try p.allow(["mean"])
            return .exponential(mean: try p.number("mean"))
        case "gamma":
            try p.allow(["shape", "scale"])
            return .gamma(shape: try p.number("shape"), scale: try p.number("scale"))
        case "pareto":
            try p.rename("alpha", to: "shape")
            try p.allow(["shape", "scale"])
            return .pareto(shape: try p.number("shape"), scale: try p.number("scale"))
        case "weibull":
            try p.allow(["scale", "shape"])
            return .weibull(scale: try p.number("scale"), shape: try p.number("shape"))
        case "poisson":
            try p.allow(["mean"])
            return .poisson(mean: try p.number("mean"))
        case "discrete":
            try p.allow(["weights"])
            return .discrete(try DiscreteWeights(try p.weights("weights")))
        default:
            throw DistributionError(reason:
                "unknown kind '\(kind)'; known kinds: \(kinds.joined(separator: ", "))")
        }
    }

    /// Lognormal takes either `mu, sigma` or `mean, cv`, never a mix.
    private static func lognormal(_ p: inout SpecParameters) throws(DistributionError) -> Distribution {
        try p.allow(["mu", "sigma", "mean", "cv"])
        let logScale = p.has("mu") || p.has("sigma")
        let meanScale = p.has("mean") || p.has("cv")
        if logScale && meanScale {
            throw DistributionError(reason:
                "lognormal takes either mu and sigma, or mean and cv, not a mix; got \(p.names.joined(separator: ", "))")
        }
        if logScale {
            return .lognormal(mu: try p.number("mu"), sigma: try p.number("sigma"))
        }
        guard meanScale else {
            throw DistributionError(reason: "lognormal needs either mu and sigma, or mean and cv")
        }
        let mean = try p.number("mean")
        let cv = try p.number("cv")
        try check("lognormal", "mean", mean, .positive)
        try check("lognormal", "cv", cv, .nonNegative)
        return .lognormal(mean: mean, cv: cv)
    }

    /// `text` without leading and trailing spaces and tabs.
    static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
              let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return text[first...last]
    }
}

/// The `name=value` parameters of one specification, in the order given.
private struct SpecParameters {
    let kind: String
    /// Parameter names (nil for a bare value) and the value text, trimmed.
    private var entries: [(name: String?, text: Substring)] = []

    init(kind: String, text: Substring) throws(DistributionError) {
        self.kind = kind
        guard !Distribution.trimmed(text).isEmpty else { return }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        for (index, rawPart) in parts.enumerated() {
            let part = Distribution.trimmed(rawPart)
            guard !part.isEmpty else {
                throw DistributionError(reason: "parameter \(index + 1) is empty (stray comma?)")
            }
            if let equals = part.firstIndex(of: "=") {
                let name = String(Distribution.trimmed(part[..<equals]))
                guard !name.isEmpty else {
                    throw DistributionError(reason: "parameter \(index + 1) '\(part)' has no name before '='")
                }
                entries.append((name, Distribution.trimmed(part[part.index(after: equals)...])))
            } else {
                entries.append((nil, part))
            }
        }
    }

    /// The parameter names given, in order (bare values shown as their text).
    var names: [String] { entries.map { $0.name ?? String($0.text) } }

    func has(_ name: String) -> Bool {
        entries.contains { $0.name == name }
    }

    /// Treats `alias=` as `name=`; both together is an error.
    mutating func rename(_ alias: String, to name: String) throws(DistributionError) {
        if has(alias) && has(name) {
            throw DistributionError(reason:
                "\(kind) \(name) given twice ('\(alias)' is another name for '\(name)')")
        }
        for index in entries.indices where entries[index].name == alias {
            entries[index].name = name
        }
    }

    /// Rejects unknown and repeated names. A bare value is taken as
    /// parameter `bare` if the kind has one, and is an error otherwise.
    mutating func allow(_ allowed: [String], bare: String? = nil) throws(DistributionError) {
        let expected = allowed.map { "\($0)=…" }.joined(separator: ", ")
        var seen: [String] = []
        for index in entries.indices {
            guard let name = entries[index].name else {
                guard let bare, entries.count == 1 else {
                    throw DistributionError(reason:
                        "parameter '\(entries[index].text)' is not name=value; \(kind) takes \(expected)")
                }
                entries[index].name = bare
                continue
            }
            guard allowed.contains(name) else {
                throw DistributionError(reason:
                    "\(kind) has no parameter '\(name)'; it takes \(expected)")
            }
            guard !seen.contains(name) else {
                throw DistributionError(reason: "\(kind) parameter '\(name)' given twice")
            }
            seen.append(name)
        }
    }

    /// The value text of `name`, or an error saying it is missing.
    private func text(_ name: String) throws(DistributionError) -> Substring {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw DistributionError(reason: "\(kind) needs parameter '\(name)'")
        }
        return entry.text
    }

    /// The value of `name` as a finite number.
    func number(_ name: String) throws(DistributionError) -> Double {
        let text = try text(name)
        guard let value = Double(text) else {
            throw DistributionError(reason: "\(kind) \(name) is not a number: '\(text)'")
        }
        guard value.isFinite else {
            throw DistributionError(reason: "\(kind) \(name) must be a finite number, got '\(text)'")
        }
        return value
    }

    /// The value of `name` as a `/`-separated list of numbers (numbered from 1 in errors).
    func weights(_ name: String) throws(DistributionError) -> [Double] {
        let text = try text(name)
        var result: [Double] = []
        for (index, item) in text.split(separator: "/", omittingEmptySubsequences: false).enumerated() {
            let itemText = Distribution.trimmed(item)
            guard let value = Double(itemText) else {
                throw DistributionError(reason: "weight \(index + 1) is not a number: '\(itemText)'")
            }
            result.append(value)
        }
        return result
    }
}
