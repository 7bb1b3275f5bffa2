/// Writes to standard output and standard error with `write(2)`, one whole
/// line per call.
///
/// C's `stdout` is a buffered global shared by the whole process; Swift 6
/// rightly refuses to touch it from concurrent code without care. Writing
/// straight to descriptors 1 and 2 needs no shared state, shows each line
/// the moment it happens (no buffering, even into a pipe), and keeps lines
/// from two threads from interleaving (one `write` per line).
public enum Output {
    /// Prints `line` and a newline on standard output.
    public static func line(_ line: String) {
        write(line + "\n", to: STDOUT_FILENO)
    }

    /// Prints `text` with no newline, so what the user types next follows it
    /// on the same line: a prompt such as `>>> `.
    public static func prompt(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    /// Prints `line` and a newline on standard error.
    public static func errorLine(_ line: String) {
        write(line + "\n", to: STDERR_FILENO)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes {
                posixWrite(descriptor, $0.baseAddress! + written, bytes.count - written)
            }
            if result > 0 {
                written += result
            } else if result == -1 && errno == EINTR {
                continue
            } else {
                return  // an error; with SIGPIPE ignored, EPIPE: the reader has gone
            }
        }
    }
}
