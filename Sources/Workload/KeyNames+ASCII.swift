/// Byte-level `key_split` for ASCII keys. Building a million-task workload
/// calls `keySplit` and `keySplitGroup` once per task; splitting `Character`s
/// and trimming through a `Set` made that a third of the load time.
extension KeyNames {
    /// `nil` when the key is not plain ASCII or starts with `<` (left to the
    /// reference version).
    static func asciiKeySplit(_ key: String) -> String? {
        key.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            let dash = UInt8(ascii: "-")
            let firstEnd = bytes.firstIndex(of: dash) ?? bytes.count
            guard firstEnd > 0 else { return "Other" }
            // The first word, cut at a comma and stripped of _'()" unless it starts with a letter.
            var start = 0
            var end = firstEnd
            if !isASCIILetter(bytes[0]) {
                end = bytes[0..<firstEnd].firstIndex(of: UInt8(ascii: ",")) ?? firstEnd
                while start < end, isStripped(bytes[start]) { start += 1 }
                while end > start, isStripped(bytes[end - 1]) { end -= 1 }
            }
            // Following words join while they are all letters and not an 8-letter word starting a-f.
            var tailEnd = firstEnd
            var cursor = firstEnd
            while cursor < bytes.count {
                let wordStart = cursor + 1
                let wordEnd = bytes[wordStart...].firstIndex(of: dash) ?? bytes.count
                let length = wordEnd - wordStart
                guard length > 0, bytes[wordStart..<wordEnd].allSatisfy(isASCIILetter),
                      !(length == 8 && (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(bytes[wordStart]))
                else { break }
                tailEnd = wordEnd
                cursor = wordEnd
            }
            let length = (end - start) + (tailEnd - firstEnd)
            if length == 32 {
                let isHex32 = (start..<end).allSatisfy { isLowerHex(bytes[$0]) }
                    && (firstEnd..<tailEnd).allSatisfy { isLowerHex(bytes[$0]) }
                if isHex32 { return "data" }
            }
            if length == 0 { return "Other" }
            if end > start && bytes[start] == UInt8(ascii: "<") { return nil }
            if end == firstEnd || tailEnd == firstEnd {
                // One contiguous run of the key: no intermediate copies.
                let runEnd = tailEnd == firstEnd ? end : tailEnd
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<runEnd]), as: UTF8.self)
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                + String(decoding: UnsafeBufferPointer(rebasing: bytes[firstEnd..<tailEnd]), as: UTF8.self)
        } ?? nil
    }

    /// `nil` when the key is not plain ASCII or the answer needs the reference version.
    static func asciiKeySplitGroup(_ key: String) -> String? {
        key.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            guard bytes.first == UInt8(ascii: "(") else { return asciiKeySplit(key) }
            var end = bytes.firstIndex(of: UInt8(ascii: ",")) ?? bytes.count
            var start = 0
            while start < end, isGroupStripped(bytes[start]) { start += 1 }
            while end > start, isGroupStripped(bytes[end - 1]) { end -= 1 }
            if start == end { return asciiKeySplit(key) }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        } ?? nil
    }

    @inline(__always)
    static func isASCIILetter(_ b: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
    }

    @inline(__always)
    static func isLowerHex(_ b: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(b)
    }

    /// The characters Dask strips from a tuple key's first element: `_'()"`.
    @inline(__always)
    static func isStripped(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "_") || b == UInt8(ascii: "'") || b == UInt8(ascii: "(") || b == UInt8(ascii: ")") || b == UInt8(ascii: "\"")
    }

    /// `key_split_group` strips `()"'` (no underscore).
    @inline(__always)
    static func isGroupStripped(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "'") || b == UInt8(ascii: "(") || b == UInt8(ascii: ")") || b == UInt8(ascii: "\"")
    }
}
