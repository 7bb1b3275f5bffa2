/// Why a byte stream is not a valid sequence of frames, as one line that
/// names the problem and the limit:
///
///     header length 2063597568 exceeds 65536 (is the sender little-endian?)
public enum FrameError: Error, Equatable, CustomStringConvertible {
    /// The 4-byte length is 0: there is no header, so no `total_size`.
    case emptyHeader
    /// The 4-byte length is over the limit. Checked before the header is
    /// read or any buffer allocated, so a hostile length costs nothing.
    case headerTooLong(length: UInt32, limit: Int)
    /// The header's bytes are not valid UTF-8.
    case headerNotUTF8
    /// The header is not a JSON object (the text is given, quoted).
    case headerNotObject(String)
    /// The header has no `total_size`.
    case totalSizeMissing
    /// `total_size` is not a whole number 0 or more (what it is instead).
    case totalSizeInvalid(String)
    /// `total_size` is over the receiver's limit; checked before allocating.
    case bodyTooLarge(size: Int, limit: Int)
    /// The stream ended in the middle of a frame.
    case endedPartWay(part: FramePart, received: Int, expected: Int)

    public var description: String {
        switch self {
        case .emptyHeader:
            "header length 0: a frame needs a header with total_size"
        case .headerTooLong(let length, let limit):
            "header length \(length) exceeds \(limit)" + byteOrderHint(length, limit: limit)
        case .headerNotUTF8:
            "header is not valid UTF-8"
        case .headerNotObject(let text):
            "header is not a JSON object: \(text)"
        case .totalSizeMissing:
            "header has no total_size"
        case .totalSizeInvalid(let value):
            "total_size must be a whole number 0 or more, not \(value)"
        case .bodyTooLarge(let size, let limit):
            "total_size \(size) exceeds the limit of \(limit) bytes"
        case .endedPartWay(let part, let received, let expected):
            "the connection ended part-way through \(part): \(received) of \(expected) bytes"
        }
    }
}

/// The three parts of a frame, as the decoder waits for them.
public enum FramePart: Sendable, Equatable, CustomStringConvertible {
    case length
    case header
    case body

    public var description: String {
        switch self {
        case .length: "the header length"
        case .header: "the header"
        case .body: "the body"
        }
    }
}

/// A guess at why a header length is absurd, when the bytes suggest one.
///
/// A little-endian writer (C's `struct.pack('i')` on x86 or ARM) sends 123
/// as `7B 00 00 00`, which big-endian reads as 2063597568. A sender that
/// left the length out entirely makes the first 4 bytes text, such as `{"to`.
private func byteOrderHint(_ length: UInt32, limit: Int) -> String {
    let swapped = length.byteSwapped
    if swapped > 0 && swapped <= limit {
        return " (is the sender little-endian?)"
    }
    let bytes = withUnsafeBytes(of: length.bigEndian, Array.init)
    if bytes.allSatisfy({ (0x20...0x7E).contains($0) }) {
        return " (its 4 bytes are the text \(quoted(bytes)): was the length left out?)"
    }
    return ""
}
