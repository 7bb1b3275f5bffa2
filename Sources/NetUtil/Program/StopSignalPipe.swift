/// Ctrl-C (SIGINT) and `kill` (SIGTERM) as a descriptor that `poll` can
/// watch next to the sockets: the "self-pipe trick".
///
/// `onStopSignal` spends a second thread waiting for the signals. A server
/// whose point is to use one thread cannot, so the signal is turned into
/// data instead: a tiny handler writes the signal's number into a pipe, and
/// the read end of that pipe goes into the `poll` list. When it becomes
/// readable, the loop stops as ordinary code that may print and exit.
///
/// The handler does the one thing a C signal handler may safely do here:
/// `write(2)`, which is async-signal-safe. It keeps `errno` as it found it,
/// since the signal may arrive between a system call and the check of its
/// `errno` on the main thread.
public struct StopSignalPipe: Sendable {
    /// The read end: readable once a stop signal has arrived.
    public let descriptor: Int32

    /// Creates the pipe and installs the handler for SIGINT and SIGTERM.
    /// Call it once, at the start.
    ///
    /// The corresponding C functions are `pipe(2)` and `signal(2)`.
    public static func install() throws(SocketError) -> StopSignalPipe {
        var ends: [Int32] = [-1, -1]
        _ = try retryingOnInterrupt("pipe") { pipe(&ends) }
        for end in ends {
            // Not inherited by any program started later; and a full pipe
            // (many signals at once) makes the handler's write fail, not wait.
            _ = try retryingOnInterrupt("fcntl(F_SETFD, FD_CLOEXEC)") {
                fcntl(end, F_SETFD, FD_CLOEXEC)
            }
            _ = try retryingOnInterrupt("fcntl(F_SETFL, O_NONBLOCK)") {
                fcntl(end, F_SETFL, O_NONBLOCK)
            }
        }
        stopPipeWriteEnd = ends[1]
        for stopSignal in [SIGINT, SIGTERM] {
            signal(stopSignal) { number in
                let saved = errno
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(stopPipeWriteEnd, &byte, 1)
                errno = saved
            }
        }
        return StopSignalPipe(descriptor: ends[0])
    }

    /// The signal that arrived, once `poll` says the pipe is readable; nil if none did.
    ///
    /// The corresponding C function is `read(2)`.
    public func receivedSignal() -> Int32? {
        var byte: UInt8 = 0
        return read(descriptor, &byte, 1) == 1 ? Int32(byte) : nil
    }
}

/// The write end of the pipe, for the handler. It is set once, before the
/// handler is installed, and only read after that.
nonisolated(unsafe) private var stopPipeWriteEnd: Int32 = -1

/// `SIGINT` or `SIGTERM`, by name, for a trace line.
public func signalName(_ number: Int32) -> String {
    number == SIGINT ? "SIGINT" : number == SIGTERM ? "SIGTERM" : "signal \(number)"
}
