/// Why a byte stream is not a valid sequence of frames, as one line that
/// names the problem and the limit:
///
///     header length 2063597568 exceeds 65536 (is the sender little-endian?)
public enum FrameError: Error, Equatable, CustomStringConvertible {
    /// The 4-byte length is 0: there is no header, so no `total_size`.
    case emptyHeader
    /// The 4-byte length is over the limit. Checked before the header is
    /// read or any buffer allocated, so a hostile length costs nothing.
    /// `next` holds up to 16 bytes that had already arrived after it, if
    /// any: they tell a little-endian length from text that is no frame.
    case headerTooLong(length: UInt32, limit: Int, next: [UInt8] = [])
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
        case .headerTooLong(let length, let limit, let next):
            "header length \(length) exceeds \(limit)"
                + byteOrderHint(length, limit: limit, next: next)
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
/// A sender that frames nothing at all (a plain-text server, a lesson 04
/// program) makes the first bytes text, such as `seq ` or `{"to`: four
/// printable ASCII bytes are far more likely text than a length, since a
/// real length that large would be over a gigabyte. A little-endian writer
/// (C's `struct.pack('i')` on x86 or ARM) sends 123 as `7B 00 00 00`, which
/// big-endian reads as 2063597568: a small number once the bytes are swapped,
/// and followed by a header that starts with `{`. When the bytes after the
/// length are known and are not a header, but mostly text, it is text too:
/// lesson 04's server quoting a frame back starts `"`, 0, 0, 0.
private func byteOrderHint(_ length: UInt32, limit: Int, next: [UInt8]) -> String {
    let bytes = withUnsafeBytes(of: length.bigEndian, Array.init)
    let notAFrame = "; this looks like text, not a frame (does the sender frame its messages?)"
    if bytes.allSatisfy(isText) {
        return ": its 4 bytes are the text \(quoted(bytes))" + notAFrame
    }
    let swapped = length.byteSwapped
    let headerFollows = next.isEmpty || next.first == UInt8(ascii: "{")
    if swapped > 0 && swapped <= limit && headerFollows {
        return " (is the sender little-endian?)"
    }
    if next.count >= 4 && next.filter(isText).count * 4 >= next.count * 3 {
        return ": the bytes after it are \(quoted(next))" + notAFrame
    }
    return ""
}

/// Printable ASCII, a tab or a newline: what text is made of.
private func isText(_ byte: UInt8) -> Bool {
    (0x20...0x7E).contains(byte) || byte == 0x09 || byte == 0x0A
}
