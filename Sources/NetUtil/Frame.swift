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
        self.header = FrameHeader(fields: fields, totalSize: body.count)
        self.body = body
    }

    init(header: FrameHeader, body: [UInt8]) {
        self.header = header
        self.body = body
    }

    /// The bytes before the body: the header's length, big-endian, then the header.
    public var prefix: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 4 + header.json.count) { buffer, count in
            let length = UInt32(header.json.count)
            for index in 0..<4 {
                buffer[index] = UInt8(truncatingIfNeeded: length >> (24 - 8 * index))
            }
            count = 4 + buffer[4...].initialize(fromContentsOf: header.json) - 4
        }
    }
}

/// A header value the lessons use: a whole number or a string.
public enum HeaderValue: Sendable, Equatable {
    case integer(Int)
    case string(String)
}

/// A frame's header: its JSON text, and the one field every frame has, `total_size`.
///
/// Only `total_size` is read when a frame arrives: it is the one number the
/// receiver cannot go on without. Other fields stay in the JSON text until a
/// program asks for one, so a frame whose header nobody looks at costs no
/// dictionary, on either side.
public struct FrameHeader: Sendable, Equatable {
    /// The header exactly as it travels: UTF-8 JSON.
    public let json: [UInt8]
    /// How many body bytes follow the header.
    public let totalSize: Int

    init(json: [UInt8], totalSize: Int) {
        self.json = json
        self.totalSize = totalSize
    }

    /// For code that has the fields at hand: they are read back from `json`, never stored twice.
    init(json: [UInt8], totalSize: Int, fields _: [String: HeaderValue]) {
        self.init(json: json, totalSize: totalSize)
    }

    /// A header to send: `fields` and `total_size`, written straight to bytes.
    init(fields: [String: HeaderValue], totalSize: Int) {
        guard fields.isEmpty else {
            var fields = fields
            fields["total_size"] = .integer(totalSize)
            self.init(json: encodeJSON(fields), totalSize: totalSize)
            return
        }
        // The header of most frames, `{"total_size":N}`, needs no dictionary.
        var json: [UInt8] = []
        json.reserveCapacity(32)
        json += #"{"total_size":"#.utf8
        appendDigits(of: totalSize, to: &json)
        json.append(UInt8(ascii: "}"))
        self.init(json: json, totalSize: totalSize)
    }

    /// Every field that is a whole number or a string (others are ignored).
    public var fields: [String: HeaderValue] {
        var fields: [String: HeaderValue] = [:]
        _ = JSONReader.members(of: json) { name, value in
            switch value {
            case .wholeNumber(let number): fields[name] = .integer(number)
            case .string(let text): fields[name] = .string(text)
            default: break
            }
        }
        return fields
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
        case .integer(let number): appendDigits(of: number, to: &json)
        case .string(let text): appendJSONString(text, to: &json)
        }
    }
    json.append(UInt8(ascii: "}"))
    return json
}

/// Appends `number` in decimal, digit by digit: no String made on the way.
private func appendDigits(of number: Int, to json: inout [UInt8]) {
    if number < 0 { json.append(UInt8(ascii: "-")) }
    appendDigits(of: number.magnitude, to: &json)
}

private func appendDigits(of number: UInt, to json: inout [UInt8]) {
    if number >= 10 { appendDigits(of: number / 10, to: &json) }  // the higher digits first
    json.append(UInt8(ascii: "0") + UInt8(number % 10))
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
