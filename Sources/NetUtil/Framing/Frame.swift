/// One message on a stream, from lesson 05 on: a length, a header, a body.
///
///     +----------------------+-----------------------------+------------------------+
///     | header length        | header                      | body                   |
///     | 4 bytes, unsigned,   | UTF-8 JSON object, at least | exactly total_size     |
///     | big-endian           | {"total_size": N}           | bytes, anything at all |
///     +----------------------+-----------------------------+------------------------+
///
/// TCP delivers bytes, not messages, so the receiver has to be told where
/// each part ends. The first 4 bytes say how long the header is; the
/// header's `total_size` says how long the body is. Big-endian ("network
/// byte order") is a choice both sides make on purpose, so it reads the
/// same whatever machine wrote it; unsigned, so no length is negative.
public struct Frame: Sendable, Equatable {
    public let header: FrameHeader
    public let body: [UInt8]
}

extension Frame {
    /// A frame to send: `fields` go into the header next to `total_size`,
    /// which is always the body's length.
    public init(fields: [String: HeaderValue] = [:], body: [UInt8]) {
        self.init(header: FrameHeader(fields: fields, totalSize: body.count), body: body)
    }

    /// The bytes before the body: the header's length, big-endian, then the header.
    public var prefix: [UInt8] {
        withUnsafeBytes(of: UInt32(header.json.count).bigEndian, Array.init) + header.json
    }
}

/// A header value the lessons use: a whole number or a string.
public enum HeaderValue: Sendable, Equatable {
    case integer(Int)
    case string(String)
}

/// A frame's header: its JSON text, and `total_size`, the one field read as
/// it arrives. Others stay in the text until asked for: a frame whose header
/// nobody looks at costs no dictionary, on either side.
public struct FrameHeader: Sendable, Equatable {
    /// The header exactly as it travels: UTF-8 JSON.
    public let json: [UInt8]
    /// How many body bytes follow the header.
    public let totalSize: Int

    /// Every field that is a whole number or a string (others are ignored).
    public var fields: [String: HeaderValue] {
        (JSONReader.object(from: json) ?? [:]).compactMapValues {
            switch $0 {
            case .wholeNumber(let number): .integer(number)
            case .string(let text): .string(text)
            default: nil
            }
        }
    }

    public func integer(_ name: String) -> Int? {
        if case .integer(let value) = fields[name] { value } else { nil }
    }

    public func string(_ name: String) -> String? {
        if case .string(let value) = fields[name] { value } else { nil }
    }

    /// Reads a received header, and checks `total_size` against `maximumBodySize`
    /// before anyone allocates a buffer for the body.
    static func parse(_ json: [UInt8], maximumBodySize: Int) throws(FrameError) -> FrameHeader {
        // ASCII is valid UTF-8: most headers are checked without making a String.
        guard json.allSatisfy({ $0 < 0x80 }) || String(validating: json, as: UTF8.self) != nil
        else { throw .headerNotUTF8 }
        var size: JSONValue?
        let isObject = JSONReader.members(of: json) { name, value in
            if name == "total_size" { size = value }  // a repeated name: the last one counts
        }
        guard isObject else { throw .headerNotObject(quoted(json)) }
        guard let size else { throw .totalSizeMissing }
        guard case .wholeNumber(let totalSize) = size, totalSize >= 0 else {
            throw .totalSizeInvalid(size.summary)
        }
        guard totalSize <= maximumBodySize else {
            throw .bodyTooLarge(size: totalSize, limit: maximumBodySize)
        }
        return FrameHeader(json: json, totalSize: totalSize)
    }
}

extension FrameHeader {
    /// A header to send: `fields` and `total_size`, written straight to bytes.
    /// A streamed frame (lesson 09) sends it alone, then its body in pieces.
    public init(fields: [String: HeaderValue], totalSize: Int) {
        var json: [UInt8] = []
        if fields.isEmpty {  // the header of most frames, {"total_size":N}: no dictionary
            json.reserveCapacity(32)
            json += #"{"total_size":"#.utf8
            json += String(totalSize).utf8
            json.append(UInt8(ascii: "}"))
        } else {
            json = encodeJSON(fields.merging(["total_size": .integer(totalSize)]) { $1 })
        }
        self.init(json: json, totalSize: totalSize)
    }
}

/// The fields as compact JSON with sorted keys, so one header always has one spelling.
func encodeJSON(_ fields: [String: HeaderValue]) -> [UInt8] {
    // By hand, not with Foundation's JSONSerialization, which cost more than
    // the rest of sending a small frame: a header holds numbers and strings.
    var json: [UInt8] = [UInt8(ascii: "{")]
    json.reserveCapacity(64)
    for (index, key) in fields.keys.sorted().enumerated() {
        if index > 0 { json.append(UInt8(ascii: ",")) }
        json += jsonString(key).utf8
        json.append(UInt8(ascii: ":"))
        switch fields[key]! {
        case .integer(let number): json += String(number).utf8
        case .string(let text): json += jsonString(text).utf8
        }
    }
    json.append(UInt8(ascii: "}"))
    return json
}

/// `text` as a JSON string: in quotes, with `"`, `\` and control characters escaped.
func jsonString(_ text: String) -> String {
    var quoted = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": quoted += "\\\""
        case "\\": quoted += "\\\\"
        case "\n": quoted += "\\n"
        case "\r": quoted += "\\r"
        case "\t": quoted += "\\t"
        case _ where scalar.value < 0x20:
            quoted += "\\u00" + hexDigits(UInt8(scalar.value))
        default: quoted.unicodeScalars.append(scalar)
        }
    }
    return quoted + "\""
}
