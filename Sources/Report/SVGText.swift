import Foundation

/// Small text helpers shared by the SVG and HTML writers. Output must be byte-identical for the
/// same logs, so every number goes through these fixed formats.
enum SVGText {
    /// Escapes text for XML/HTML content and attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// A JSON string literal that is also safe inside a `<script>` element.
    static func json(_ text: String) -> String {
        var result = "\""
        for character in text.unicodeScalars {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "<": result += "\\u003c"
            case ">": result += "\\u003e"
            case "&": result += "\\u0026"
            default:
                if character.value < 0x20 {
                    result += String(format: "\\u%04x", character.value)
                } else {
                    result.unicodeScalars.append(character)
                }
            }
        }
        return result + "\""
    }

    /// A coordinate with at most `digits` decimals and no trailing zeros ("12.5", "3").
    static func number(_ value: Double, digits: Int = 2) -> String {
        guard value.isFinite else { return "0" }
        var text = String(format: "%.\(digits)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if text == "-0" { text = "0" }
        return text
    }

    /// Seconds for people: "950 ms", "12.3 s", "4.2 min", "1.5 h".
    static func seconds(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude == 0 { return "0 s" }
        if magnitude < 1e-3 { return number(value * 1e6, digits: 1) + " µs" }
        if magnitude < 1 { return number(value * 1e3, digits: 1) + " ms" }
        if magnitude < 120 { return number(value, digits: 2) + " s" }
        if magnitude < 7200 { return number(value / 60, digits: 1) + " min" }
        return number(value / 3600, digits: 2) + " h"
    }

    /// Bytes for people, in powers of 1024: "512 B", "1.5 KiB", "3.2 GiB".
    static func bytes(_ value: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var scaled = value, unit = 0
        while abs(scaled) >= 1024 && unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return number(scaled, digits: unit == 0 ? 0 : 1) + " " + units[unit]
    }

    /// About `target` round tick values covering [0, maximum].
    static func ticks(maximum: Double, target: Int = 6) -> [Double] {
        guard maximum > 0, maximum.isFinite else { return [0] }
        let rough = maximum / Double(max(1, target))
        let power = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        var result: [Double] = []
        var tick = 0.0
        while tick <= maximum * (1 + 1e-9) && result.count < 100 {
            result.append(tick)
            tick += step
        }
        return result
    }
}
