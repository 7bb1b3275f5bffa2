/// A JSON value, told apart as finely as a frame header needs.
enum JSONValue: Equatable {
    /// A number written without fraction or exponent that fits in an `Int`: `12`, `-3`.
    case wholeNumber(Int)
    /// Any other number: `1.5`, `1e3`, or one too large for an `Int`.
    case otherNumber
    case string(String)
    case boolean, null, array
    case object([String: JSONValue])

    /// What the value is, for an error line: `-1`, `a string`, `true or false`.
    var summary: String {
        switch self {
        case .wholeNumber(let number): "\(number)"
        case .otherNumber: "a fraction or a number too large"
        case .string: "a string"
        case .boolean: "true or false"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Reads JSON text (RFC 8259) from UTF-8 bytes, by recursive descent: one
/// function per kind of value, each starting where the previous one stopped.
/// Not Foundation's `JSONSerialization`: for a header of a few fields, it and
/// the casts its `Any` results need cost more than the rest of receiving a frame.
struct JSONReader {
    /// Nesting deeper than this is refused: a 64 KiB header of `[[[[...` must
    /// not be able to exhaust the stack.
    static let maximumDepth = 32

    private let bytes: [UInt8]
    private var index = 0

    /// The object `bytes` holds, or nil if they are not exactly one JSON object.
    static func object(from bytes: [UInt8]) -> [String: JSONValue]? {
        var fields: [String: JSONValue] = [:]
        return members(of: bytes) { fields[$0] = $1 } ? fields : nil
    }

    /// Hands each name and value of the object `bytes` holds to `visit`, in order,
    /// collecting nothing; false if `bytes` are not exactly one JSON object.
    static func members(of bytes: [UInt8], _ visit: (String, JSONValue) -> Void) -> Bool {
        var reader = JSONReader(bytes: bytes)
        reader.skipWhitespace()
        guard reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: "{"),
            reader.members(depth: 0, visit)
        else { return false }
        reader.skipWhitespace()
        return reader.index == bytes.count
    }

    private mutating func value(depth: Int) -> JSONValue? {
        guard depth <= Self.maximumDepth else { return nil }
        skipWhitespace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):  // a repeated name keeps its last value
            var fields: [String: JSONValue] = [:]
            return members(depth: depth) { fields[$0] = $1 } ? .object(fields) : nil
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true", .boolean)
        case UInt8(ascii: "f"): return literal("false", .boolean)
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return number()
        }
    }

    /// `{ "name": value, ... }`: each member, as it is read, to `visit`.
    private mutating func members(depth: Int, _ visit: (String, JSONValue) -> Void) -> Bool {
        index += 1
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            skipWhitespace()
            guard let name = string() else { return false }
            skipWhitespace()
            guard take(UInt8(ascii: ":")), let value = value(depth: depth + 1) else { return false }
            visit(name, value)
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// `[ value, ... ]`; the elements are checked, not kept.
    private mutating func array(depth: Int) -> JSONValue? {
        index += 1
        skipWhitespace()
        if take(UInt8(ascii: "]")) { return .array }
        repeat {
            guard value(depth: depth + 1) != nil else { return nil }
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? .array : nil
    }

    /// `"text"`, with its escapes undone: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX`.
    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        var text = String.UnicodeScalarView()
        var pendingHighSurrogate: UInt32?
        while index < bytes.count {
            // Plain text up to the next quote, backslash or control character: as UTF-8.
            let start = index
            index =
                bytes[index...].firstIndex { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 } ?? bytes.count
            let plain = String(decoding: bytes[start..<index], as: UTF8.self)
            // A raw control character (below 0x20) is not allowed inside a string.
            guard index < bytes.count, bytes[index] >= 0x20 else { return nil }
            if take(UInt8(ascii: "\"")) {  // the end; most strings hold no escapes: just `plain`
                guard pendingHighSurrogate == nil else { return nil }
                return text.isEmpty ? plain : String(text) + plain
            }
            text.append(contentsOf: plain.unicodeScalars)
            index += 1  // the backslash
            guard index < bytes.count else { return nil }
            let escaped = bytes[index]
            index += 1
            if escaped == UInt8(ascii: "u") {
                guard let code = hexQuad() else { return nil }
                if (0xD800..<0xDC00).contains(code) {  // first half of a surrogate pair
                    guard pendingHighSurrogate == nil else { return nil }
                    pendingHighSurrogate = code
                    continue
                }
                var scalarValue = code
                if let high = pendingHighSurrogate {
                    guard (0xDC00..<0xE000).contains(code) else { return nil }
                    scalarValue = 0x10000 + (high - 0xD800) << 10 + (code - 0xDC00)
                    pendingHighSurrogate = nil
                }
                guard let scalar = Unicode.Scalar(scalarValue) else { return nil }
                text.append(scalar)
                continue
            }
            guard pendingHighSurrogate == nil else { return nil }
            // The letter after the backslash, and the character it stands for.
            guard let at = Array(#""\/bfnrt"#.utf8).firstIndex(of: escaped) else { return nil }
            text.append(
                (["\"", "\\", "/", "\u{8}", "\u{C}", "\n", "\r", "\t"] as [Unicode.Scalar])[at])
        }
        return nil  // no closing quote
    }

    /// The four hex digits after `\u`: exactly four (`UInt32(_:radix:)` would also take a sign).
    private mutating func hexQuad() -> UInt32? {
        let digits = bytes[index..<min(index + 4, bytes.count)]
        let isHex = digits.allSatisfy { Character(Unicode.Scalar($0)).isHexDigit }
        guard digits.count == 4, isHex else { return nil }
        index += 4
        return UInt32(String(decoding: digits, as: UTF8.self), radix: 16)
    }

    /// `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`
    private mutating func number() -> JSONValue? {
        let start = index
        _ = take(UInt8(ascii: "-"))
        let integerStart = index
        guard skipDigits() > 0 else { return nil }
        // A leading zero may only stand alone: `0` and `0.5`, never `012`.
        if bytes[integerStart] == UInt8(ascii: "0") && index - integerStart > 1 { return nil }
        var isWhole = true
        if take(UInt8(ascii: ".")) {
            guard skipDigits() > 0 else { return nil }
            isWhole = false
        }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            _ = take(UInt8(ascii: "+")) || take(UInt8(ascii: "-"))
            guard skipDigits() > 0 else { return nil }
            isWhole = false
        }
        guard isWhole else { return .otherNumber }
        var number = 0  // built as a negative number, so that Int.min fits too
        for digit in bytes[integerStart..<index] {
            let (tenTimes, overflow) = number.multipliedReportingOverflow(by: 10)
            let (next, under) = tenTimes.subtractingReportingOverflow(Int(digit) - 0x30)
            guard !overflow && !under else { return .otherNumber }
            number = next
        }
        if bytes[start] == UInt8(ascii: "-") { return .wholeNumber(number) }
        return number == .min ? .otherNumber : .wholeNumber(-number)
    }

    private mutating func literal(_ word: String, _ value: JSONValue) -> JSONValue? {
        guard bytes[index...].starts(with: word.utf8) else { return nil }
        index += word.utf8.count
        return value
    }

    /// Steps over `byte` if it comes next.
    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }  // 0-9
        return index - start
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }
}
