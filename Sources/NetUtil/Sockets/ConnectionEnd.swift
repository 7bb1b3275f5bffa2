/// The calls that end a TCP connection, or one half of it, and the waits
/// that let a lesson watch the ending happen: lesson 08.
extension Socket {
    /// One direction of a connection, for `shutdown(_:)`.
    public enum Half: Sendable {
        /// Our sending half: the peer reads the end (`""`) once it has read
        /// everything before it, and we can still receive.
        case write
        /// Our receiving half: `recv` stops waiting and returns `""` whenever
        /// nothing is queued. It sends nothing to the peer, and on Linux bytes
        /// that still arrive are queued and read as before.
        case read

        var how: Int32 { self == .write ? Int32(SHUT_WR) : Int32(SHUT_RD) }
    }

    /// Shuts down one half of the connection and keeps the descriptor open.
    ///
    /// `shutdown(.write)` sends FIN just as `close` would, but the socket can
    /// still receive: the half-close that lets a client say "that was my whole
    /// request" and then read the answer.
    ///
    /// The corresponding C function is `shutdown(2)`.
    public func shutdown(_ half: Half) throws(SocketError) {
        _ = try retryingOnInterrupt("shutdown") { posixShutdown(descriptor, half.how) }
    }

    /// Sets `SO_LINGER`: on, for `seconds`. With 0, `close` does not send FIN
    /// after the queued data: it throws the data away and sends RST at once,
    /// and this side keeps no TIME_WAIT.
    ///
    /// The corresponding C call is `setsockopt(fd, SOL_SOCKET, SO_LINGER, ...)`.
    public func setLinger(seconds: Int32) throws(SocketError) {
        var value = linger(l_onoff: 1, l_linger: seconds)
        _ = try retryingOnInterrupt("setsockopt(SO_LINGER)") {
            setsockopt(
                descriptor, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size))
        }
    }

    /// Exactly one `send` call with the given flags, returning how many bytes
    /// it took. Unlike `sendAll`, the flags are the caller's: pass
    /// `noSignalOnSend` (MSG_NOSIGNAL) or a send to a reset peer kills the process.
    ///
    /// The corresponding C function is `send(2)`.
    @discardableResult
    public func sendOnce(_ text: String, flags: Int32) throws(SocketError) -> Int {
        let bytes = Array(text.utf8)
        return try retryingOnInterrupt("send(\(quoted(text)))") {
            bytes.withUnsafeBytes { posixSend(descriptor, $0.baseAddress, $0.count, flags) }
        }
    }

    /// Waits until the connection is over in both directions: the peer reset
    /// it (RST), or both sides have sent FIN. Reads nothing. Returns the
    /// events `poll` reported, such as `POLLERR|POLLHUP` after a reset, or nil
    /// if `seconds` passed first.
    ///
    /// `poll` with no events asked for still reports POLLHUP and POLLERR,
    /// and the kernel wakes the caller the moment one of them appears.
    ///
    /// The corresponding C function is `poll(2)`.
    public func waitUntilHungUp(seconds: Double) throws(SocketError) -> String? {
        var entry = pollfd(fd: descriptor, events: 0, revents: 0)
        let milliseconds = Int32(min(seconds * 1000, Double(Int32.max)).rounded())
        let ready = try retryingOnInterrupt("poll") { poll(&entry, 1, milliseconds) }
        guard ready == 1 else { return nil }
        let names = [(POLLERR, "POLLERR"), (POLLHUP, "POLLHUP")]
        return names.filter { entry.revents & Int16($0.0) != 0 }.map(\.1)
            .joined(separator: "|")
    }

    /// The address of the peer this socket is connected to.
    ///
    /// The corresponding C function is `getpeername(2)`.
    public func peerAddress() throws(SocketError) -> SocketAddress {
        try SocketAddress.filledIn { (address, length) throws(SocketError) in
            _ = try retryingOnInterrupt("getpeername") { getpeername(descriptor, address, length) }
        }
    }

    /// How many bytes we sent that the peer's kernel has not acknowledged yet.
    ///
    /// Zero means everything sent so far sits in the peer's receive buffer,
    /// so a reset sent after this can no longer overtake it. On macOS, the
    /// bytes not yet sent or acknowledged, which is zero at the same moment.
    ///
    /// The corresponding C call is `ioctl(fd, SIOCOUTQ, &count)` on Linux.
    public func unacknowledgedByteCount() throws(SocketError) -> Int {
        var count: Int32 = 0
        #if canImport(Glibc)
            _ = try retryingOnInterrupt("ioctl(SIOCOUTQ)") {
                ioctl(descriptor, UInt(TIOCOUTQ), &count)
            }
        #else
            var size = socklen_t(MemoryLayout<Int32>.size)
            _ = try retryingOnInterrupt("getsockopt(SO_NWRITE)") {
                getsockopt(descriptor, SOL_SOCKET, SO_NWRITE, &count, &size)
            }
        #endif
        return Int(count)
    }

    /// Waits, for at most `seconds`, until the peer's kernel has acknowledged
    /// every byte sent; returns how many are still unacknowledged (0 on success).
    /// No call blocks for that, so this asks the kernel once a millisecond.
    public func waitUntilAcknowledged(seconds: Double) throws(SocketError) -> Int {
        let deadline = ContinuousClock.now + .milliseconds(Int((seconds * 1000).rounded()))
        while true {
            let left = try unacknowledgedByteCount()
            if left == 0 || ContinuousClock.now >= deadline { return left }
            sleep(seconds: 0.001)
        }
    }
}

/// Listens on `host` and `port` like `TCPListener`, but sets `SO_REUSEADDR`
/// only when asked, so a lesson can show what the option is for.
///
/// The corresponding C functions are `socket(2)`, `setsockopt(2)`, `bind(2)`
/// and `listen(2)`.
public func listenTCP(host: String, port: UInt16, reuseAddress: Bool) throws(SocketError)
    -> Socket
{
    guard let wanted = try SocketAddress.resolve(host: host, port: port).first else {
        throw .unresolved(host: host, reason: "no address found")
    }
    let socket = try Socket(family: wanted.family, type: streamSocketType)
    if reuseAddress {
        try socket.setOption(
            level: SOL_SOCKET, name: SO_REUSEADDR, value: 1, called: "SO_REUSEADDR")
    }
    _ = try wanted.withSockaddr { (address, length) throws(SocketError) in
        try retryingOnInterrupt("bind", address: "\(wanted)") {
            bind(socket.descriptor, address, length)
        }
    }
    _ = try retryingOnInterrupt("listen", address: "\(wanted)") { listen(socket.descriptor, 5) }
    return socket
}

/// The trace line for a call that failed, errno first, so the reader sees
/// which error each call gave back:
///
///     recv(1024) -> ECONNRESET (Connection reset by peer)
public func describeFailure(_ error: SocketError) -> String {
    guard case .failed(let call, let address, let code) = error else { return "\(error)" }
    let name = address.map { "\(call)(\($0))" } ?? call
    return "\(name) -> \(errnoName(code)) (\(String(cString: strerror(code))))"
}

/// The C `shutdown(2)`, under a name that `Socket.shutdown(_:)` does not hide.
func posixShutdown(_ descriptor: Int32, _ how: Int32) -> Int32 {
    shutdown(descriptor, how)
}

/// The C `send(2)`.
func posixSend(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32)
    -> Int
{
    send(descriptor, bytes, count, flags)
}
