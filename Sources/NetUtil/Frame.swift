internal import Foundation

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
        // Foundation would guess UTF-16 or UTF-32 from the bytes; the format says UTF-8.
        guard String(decoding: json, as: UTF8.self).utf8.elementsEqual(json) else {
            throw .headerNotUTF8
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)),
            let dictionary = object as? [String: Any]
        else {
            throw .headerNotObject(quoted(json))
        }
        guard let size = dictionary["total_size"] else { throw .totalSizeMissing }
        guard let totalSize = wholeNumber(size), totalSize >= 0 else {
            throw .totalSizeInvalid(describe(size))
        }
        guard totalSize <= maximumBodySize else {
            throw .bodyTooLarge(size: totalSize, limit: maximumBodySize)
        }
        var fields: [String: HeaderValue] = [:]
        for (name, value) in dictionary {
            if let number = wholeNumber(value) {
                fields[name] = .integer(number)
            } else if let text = value as? String {
                fields[name] = .string(text)
            }
        }
        return FrameHeader(json: json, totalSize: totalSize, fields: fields)
    }
}

/// The fields as compact JSON with sorted keys, so one header always has one spelling.
private func encodeJSON(_ fields: [String: HeaderValue]) -> [UInt8] {
    let object = fields.mapValues { value -> Any in
        switch value {
        case .integer(let number): number
        case .string(let text): text
        }
    }
    // Whole numbers and strings always serialize, so this cannot throw.
    let data = try! JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return Array(data)
}

/// A JSON number written as a whole number (`12`, not `12.0`, `1e3` or `true`).
private func wholeNumber(_ value: Any) -> Int? {
    // Foundation hands back JSON true and false as numbers too; their type code is "c".
    guard let number = value as? NSNumber, !["c", "d", "f"].contains(typeCode(number)) else {
        return nil
    }
    return value as? Int
}

private func typeCode(_ number: NSNumber) -> String {
    String(cString: number.objCType)
}

/// What a JSON value is, for an error line: `a string`, `-1`, `true or false`.
private func describe(_ value: Any) -> String {
    switch value {
    case let number as NSNumber where typeCode(number) == "c": "true or false"
    case let number as NSNumber where wholeNumber(number) != nil: "\(number)"
    case is NSNumber: "a fraction or a number too large"
    case is String: "a string"
    case is NSNull: "null"
    case is [Any]: "an array"
    default: "an object"
    }
}
