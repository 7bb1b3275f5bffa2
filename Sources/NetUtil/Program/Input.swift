/// Reads what the user types (or a script pipes in) on standard input, one
/// line at a time, with `read(2)`.
///
/// Like `Output`, it works on descriptor 0 directly and keeps no buffer of
/// its own: it reads one byte per call, so nothing past the newline is taken
/// from the kernel, and the next reader (a later call, or a child process)
/// finds it there. Lines are typed by hand, so the extra calls cost nothing.
public enum Input {
    /// The next line as raw bytes, without its `\n` (or `\r\n`); nil at end of
    /// input (Ctrl-D, or the end of a pipe). The bytes are not decoded: a line
    /// that is not valid UTF-8 comes back as it is.
    ///
    /// The corresponding C function is `read(2)`.
    public static func line() -> [UInt8]? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        // read returns 1 for each byte and 0 at the end; an error ends the input too.
        while (try? retryingOnInterrupt("read") { read(STDIN_FILENO, &byte, 1) }) == 1 {
            if byte == UInt8(ascii: "\n") { return withoutCarriageReturn(line) }
            line.append(byte)
        }
        // A last line with no newline still counts; nothing at all means the end.
        return line.isEmpty ? nil : withoutCarriageReturn(line)
    }

    /// A line typed on Windows, or sent by some terminals, ends in `\r\n`.
    private static func withoutCarriageReturn(_ line: [UInt8]) -> [UInt8] {
        line.last == UInt8(ascii: "\r") ? Array(line.dropLast()) : line
    }

    /// Whether standard input is a terminal with someone typing at it, rather
    /// than a pipe or a file.
    ///
    /// The corresponding C function is `isatty(3)`.
    public static var isTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// The next line as text, or nil at end of input. `prompt` is shown only
    /// when standard input is a terminal: a person typing needs it, while a
    /// script piping commands in (`printf ... |`) would only get it mixed into
    /// the trace. Bytes that are not UTF-8 become U+FFFD.
    public static func line(prompt: String) -> String? {
        if isTerminal { Output.prompt(prompt) }
        return line().map { String(decoding: $0, as: UTF8.self) }
    }
}

extension String {
    /// The string without spaces, tabs or newlines at either end.
    public var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
