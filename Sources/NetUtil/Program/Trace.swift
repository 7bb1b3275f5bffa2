import Synchronization

/// The trace every lesson prints: one event per line on standard output,
/// prefixed with the program's role, written the moment it happens.
///
///     server: listening on 127.0.0.1:8080
///     server: recv(2) -> "he" (2 bytes), 3 still queued
///
/// Tests and Notes.md read these lines, so their wording is part of the lessons.
public func trace(_ event: String) {
    Output.line("\(traceRole.withLock { $0 }): \(event)")
}

/// Prints `event` as the program's last trace line, such as a server's
/// `stopping (SIGINT)`: lines other threads trace after it are not printed.
public func traceLastLine(_ event: String) {
    Output.lastLine("\(traceRole.withLock { $0 }): \(event)")
}

/// "server" or "client", set once by `runLesson` before the lesson starts.
let traceRole = Mutex("lesson")

/// The line for one `recv(size)` call that returned `bytes`. After data, it
/// adds how many bytes are still queued in the kernel's receive buffer;
/// after an empty result, it says what empty means.
///
///     recv(2) -> "he" (2 bytes), 3 still queued
///     recv(1024) -> "" (0 bytes: peer closed)
public func describeReceive(size: Int, bytes: [UInt8], queued: Int) -> String {
    if bytes.isEmpty {
        return "recv(\(size)) -> \"\" (0 bytes: peer closed)"
    }
    return "recv(\(size)) -> \(quoted(bytes)) (\(byteCount(bytes.count))), \(queued) still queued"
}

/// "1 byte", "5 bytes".
public func byteCount(_ count: Int) -> String {
    count == 1 ? "1 byte" : "\(count) bytes"
}

/// Shows bytes as a quoted string a learner can read: printable ASCII as
/// itself, `\n`, `\r`, `\t`, `\\` and `\"` escaped, any other byte as `\xNN`.
/// Past `limit` bytes the text is cut and `...` follows the closing quote.
///
///     quoted(Array("hi\n".utf8))  // "hi\n"
public func quoted(_ bytes: some Collection<UInt8>, limit: Int = 64) -> String {
    let text = "\"" + escaped(bytes.prefix(limit), quote: true) + "\""
    return bytes.count > limit ? text + "..." : text
}

/// Shows bytes a peer sent with `quoted`'s escapes, for a trace line or the
/// program's output, so that no byte of them can end a line early and pass
/// for a trace line, move the cursor (`\r`) or start a terminal escape
/// sequence (`\x1b`).
///
/// - `quote`: escape `"` too, as inside `quoted`'s quotes. Without it, a JSON
///   header reads as JSON.
/// - `asLines`: for output shown as lines of text: `\n` and `\t` stay real
///   and `\` stays itself; `\r` and every other control byte are still escaped.
public func escaped(
    _ bytes: some Collection<UInt8>, quote: Bool = false, asLines: Bool = false
) -> String {
    // Most output is plain text; it is shown as it is, without a loop of appends.
    let plain = bytes.allSatisfy { byte in
        (0x20...0x7E).contains(byte) && (asLines || byte != UInt8(ascii: "\\"))
            && !(quote && byte == UInt8(ascii: "\""))
            || (asLines && (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t")))
    }
    if plain { return String(decoding: bytes, as: UTF8.self) }
    var text = ""
    for byte in bytes {
        switch byte {
        case UInt8(ascii: "\n") where asLines: text += "\n"
        case UInt8(ascii: "\t") where asLines: text += "\t"
        case UInt8(ascii: "\\") where asLines: text += "\\"
        case UInt8(ascii: "\n"): text += "\\n"
        case UInt8(ascii: "\r"): text += "\\r"
        case UInt8(ascii: "\t"): text += "\\t"
        case UInt8(ascii: "\\"): text += "\\\\"
        case UInt8(ascii: "\"") where quote: text += "\\\""
        case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
        default: text += "\\x" + hexDigits(byte)
        }
    }
    return text
}

/// The UTF-8 bytes of `text`, shown as `quoted` shows bytes: `send("hello")`.
public func quoted(_ text: String) -> String {
    quoted(Array(text.utf8))
}

/// Two lowercase hex digits.
func hexDigits(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
