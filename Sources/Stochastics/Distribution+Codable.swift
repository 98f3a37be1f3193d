/// A distribution is stored in JSON (scenario files, run records) as its
/// specification string, e.g. `"lognormal:mu=0,sigma=1"`, so files stay
/// readable and use the same syntax as the command line.
extension Distribution: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let spec = try container.decode(String.self)
        do {
            self = try Distribution.parse(spec)
        } catch {
            // The decoding error carries the coding path (the JSON location).
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
