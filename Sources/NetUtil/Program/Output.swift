import Synchronization

/// Writes to standard output and standard error with `write(2)`, one whole
/// line per call.
///
/// C's `stdout` is a buffered global shared by the whole process; Swift 6
/// rightly refuses to touch it from concurrent code without care. Writing
/// straight to descriptors 1 and 2 needs no shared state, shows each line
/// the moment it happens (no buffering, even into a pipe), and keeps lines
/// from two threads from interleaving (one `write` per line).
public enum Output {
    /// Set by `lastLine`: from then on nothing more is printed.
    private static let ended = Mutex(false)

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

    /// Prints `line` on standard output as the program's last line: a thread
    /// that prints after it (a connection ending as the server stops) prints
    /// nothing, so the line stays last until the process exits.
    public static func lastLine(_ line: String) {
        write(line + "\n", to: STDOUT_FILENO, last: true)
    }

    /// Each write happens under `ended`'s lock, so none can start between
    /// the last line and the flag.
    private static func write(_ text: String, to descriptor: Int32, last: Bool = false) {
        ended.withLock { ended in
            guard !ended else { return }
            writeAll(text, to: descriptor)
            ended = last
        }
    }

    private static func writeAll(_ text: String, to descriptor: Int32) {
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
