/// Everything that can go wrong in a socket call, as one line a learner can act on.
///
/// A failed system call prints as `call(address): reason (ERRNO)`, the way
/// the man pages name things, followed by a hint when the errno has a usual
/// cause:
///
///     connect(127.0.0.1:8080): Connection refused (ECONNREFUSED) - is the server running?
public enum SocketError: Error, Equatable, CustomStringConvertible {
    /// A system call returned -1; `errno` says why.
    case failed(call: String, address: String?, errno: Int32)
    /// A receive timeout (`SO_RCVTIMEO`) expired before any byte arrived.
    /// The kernel reports this as EAGAIN, which is easy to mistake for a real error.
    case timedOut(call: String)
    /// A `Deadline` for a whole piece of input (a frame, a header, 256 KiB of
    /// a body) passed before all of it arrived: `what` names the piece. A
    /// per-`recv` timeout alone lets a client sending one byte at a time keep
    /// a connection for ever.
    case tooSlow(what: String, seconds: Double)
    /// The peer closed the connection after `received` of the `expected` bytes.
    case closedPartWay(expected: Int, received: Int)
    /// `getaddrinfo(3)` could not turn `host` into an address.
    case unresolved(host: String, reason: String)

    /// True for `.tooSlow`, which a server reports with the flag that set the bound.
    public var isTooSlow: Bool {
        if case .tooSlow = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .failed(let call, let address, let code):
            let name = address.map { "\(call)(\($0))" } ?? call
            let reason = "\(name): \(String(cString: strerror(code))) (\(errnoName(code)))"
            if code == EAGAIN && call.hasPrefix("send") {
                return "\(reason) - the peer took nothing for as long as the send timeout allows"
            }
            return hint(for: code).map { "\(reason) - \($0)" } ?? reason
        case .timedOut(let call):
            return "\(call): timed out (EAGAIN): no data arrived within the receive timeout"
        case .tooSlow(let what, let seconds):
            return "too slow: \(what) not complete within \(secondsText(.seconds(seconds)))"
        case .closedPartWay(let expected, let received):
            return "the peer closed the connection after \(received) of \(expected) bytes"
        case .unresolved(let host, let reason):
            return "getaddrinfo(\(host)): \(reason)"
        }
    }
}

/// The usual cause of the errnos a learner meets first.
func hint(for code: Int32) -> String? {
    switch code {
    case EADDRINUSE: "another server still holds the port; stop it or pick another --port"
    case ECONNREFUSED: "is the server running, on this host and port?"
    case ECONNRESET: "the peer reset the connection (it closed with bytes unread, or aborted)"
    case EPIPE: "the peer has closed its end; nothing more can be sent to it"
    case EMFILE: "this process has as many descriptors open as its limit (ulimit -n) allows"
    default: nil
    }
}

/// The symbolic name of an errno, so a learner can search for it.
func errnoName(_ code: Int32) -> String {
    let names: [Int32: String] = [
        EACCES: "EACCES", EADDRINUSE: "EADDRINUSE", EADDRNOTAVAIL: "EADDRNOTAVAIL",
        EAFNOSUPPORT: "EAFNOSUPPORT", EAGAIN: "EAGAIN", EBADF: "EBADF",
        ECONNABORTED: "ECONNABORTED", ECONNREFUSED: "ECONNREFUSED", ECONNRESET: "ECONNRESET",
        EHOSTUNREACH: "EHOSTUNREACH", EINTR: "EINTR", EINVAL: "EINVAL", EMFILE: "EMFILE",
        EMSGSIZE: "EMSGSIZE", ENETUNREACH: "ENETUNREACH", ENFILE: "ENFILE",
        ENOBUFS: "ENOBUFS", ENOMEM: "ENOMEM", ENOTCONN: "ENOTCONN",
        EPIPE: "EPIPE", ETIMEDOUT: "ETIMEDOUT",
    ]
    return names[code] ?? "errno \(code)"
}

/// Runs a system call, retrying it while a signal interrupts it (EINTR), and
/// turns -1 into a `SocketError` that names the call. Every socket call in
/// NetUtil goes through it; only the few calls that cannot fail with a
/// `SocketError` (writing a trace line, sleeping, waiting for a child) loop
/// on EINTR themselves. `connect` is the exception that needs more (see TCP.swift).
func retryingOnInterrupt<Result: BinaryInteger>(
    _ call: @autoclosure () -> String,
    address: String? = nil,
    _ body: () -> Result
) throws(SocketError) -> Result {
    while true {
        let result = body()
        if result != -1 { return result }
        if errno == EINTR { continue }
        throw .failed(call: call(), address: address, errno: errno)
    }
}
