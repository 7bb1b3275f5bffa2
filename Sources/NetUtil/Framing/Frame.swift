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

    /// A frame to send: `fields` go into the header next to `total_size`,
    /// which is always the body's length.
    public init(fields: [String: HeaderValue] = [:], body: [UInt8]) {
        var fields = fields
        fields["total_size"] = .integer(body.count)
        self.header = FrameHeader(json: encodeJSON(fields), totalSize: body.count, fields: fields)
        self.body = body
    }

    init(header: FrameHeader, body: [UInt8]) {
        self.header = header
        self.body = body
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

/// A frame's header: its JSON text, and the fields read from it.
public struct FrameHeader: Sendable, Equatable {
    /// The header exactly as it travels: UTF-8 JSON.
    public let json: [UInt8]
    /// How many body bytes follow the header.
    public let totalSize: Int
    /// Every field that is a whole number or a string (others are ignored).
    public let fields: [String: HeaderValue]

    public func integer(_ name: String) -> Int? {
        if case .integer(let value) = fields[name] { value } else { nil }
    }

    public func string(_ name: String) -> String? {
        if case .string(let value) = fields[name] { value } else { nil }
    }

    /// Reads a received header, and checks `total_size` against `maximumBodySize`
    /// before anyone allocates a buffer for the body.
    static func parse(_ json: [UInt8], maximumBodySize: Int) throws(FrameError) -> FrameHeader {
        guard String(validating: json, as: UTF8.self) != nil else { throw .headerNotUTF8 }
        guard let object = JSONReader.object(from: json) else {
            throw .headerNotObject(quoted(json))
        }
        guard let size = object["total_size"] else { throw .totalSizeMissing }
        guard case .wholeNumber(let totalSize) = size, totalSize >= 0 else {
            throw .totalSizeInvalid(size.summary)
        }
        guard totalSize <= maximumBodySize else {
            throw .bodyTooLarge(size: totalSize, limit: maximumBodySize)
        }
        var fields: [String: HeaderValue] = [:]
        for (name, value) in object {
            switch value {
            case .wholeNumber(let number): fields[name] = .integer(number)
            case .string(let text): fields[name] = .string(text)
            default: break
            }
        }
        return FrameHeader(json: json, totalSize: totalSize, fields: fields)
    }
}

/// The fields as compact JSON with sorted keys, so one header always has one spelling.
func encodeJSON(_ fields: [String: HeaderValue]) -> [UInt8] {
    // Written by hand, straight into bytes: a header holds only whole numbers
    // and strings, and Foundation's JSONSerialization cost more than the rest
    // of sending a small frame. Keys are sorted: one header, one spelling.
    var json: [UInt8] = [UInt8(ascii: "{")]
    json.reserveCapacity(64)
    for (index, key) in fields.keys.sorted().enumerated() {
        if index > 0 { json.append(UInt8(ascii: ",")) }
        appendJSONString(key, to: &json)
        json.append(UInt8(ascii: ":"))
        switch fields[key]! {
        case .integer(let number): json += String(number).utf8
        case .string(let text): appendJSONString(text, to: &json)
        }
    }
    json.append(UInt8(ascii: "}"))
    return json
}

/// Appends `text` as a JSON string; see `jsonString`.
private func appendJSONString(_ text: String, to json: inout [UInt8]) {
    let needsEscaping = text.utf8.contains {
        $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\")
    }
    if needsEscaping {
        json += jsonString(text).utf8
    } else {
        json.append(UInt8(ascii: "\""))
        json += text.utf8
        json.append(UInt8(ascii: "\""))
    }
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
