/// A TCP socket that listens for connections on one address.
///
/// Creating one does what a server does first, in one step:
/// `socket`, `setsockopt(SO_REUSEADDR)`, `bind`, `listen`.
public final class TCPListener: Sendable {
    public let socket: Socket
    /// Where it listens. Ask for port 0 and this holds the port the kernel picked.
    public let address: SocketAddress

    /// Listens on `host` (a literal such as `127.0.0.1` or `::1`, or a name)
    /// and `port`; port 0 lets the kernel pick a free one.
    ///
    /// `backlog` is how many finished handshakes the kernel keeps waiting for
    /// `accept` before it stops answering new ones.
    public init(host: String, port: UInt16, backlog: Int32 = 5) throws(SocketError) {
        guard let wanted = try SocketAddress.resolve(host: host, port: port).first else {
            throw .unresolved(host: host, reason: "no address found")
        }
        let socket = try Socket(family: wanted.family, type: streamSocketType)
        // A server that just exited leaves its connections in TIME_WAIT for up
        // to a minute; without SO_REUSEADDR, restarting it on the same port
        // fails with EADDRINUSE until they expire.
        try socket.setOption(
            level: SOL_SOCKET, name: SO_REUSEADDR, value: 1, called: "SO_REUSEADDR")
        _ = try wanted.withSockaddr { (address, length) throws(SocketError) in
            try retryingOnInterrupt("bind", address: "\(wanted)") {
                bind(socket.descriptor, address, length)
            }
        }
        _ = try retryingOnInterrupt("listen", address: "\(wanted)") {
            listen(socket.descriptor, backlog)
        }
        self.socket = socket
        self.address = try socket.localAddress()
    }

    /// Waits for the next connection and returns its socket and the peer's address.
    ///
    /// The handshake already happened in the kernel; `accept` only hands over
    /// a connection that is waiting in the backlog.
    ///
    /// The new socket is close-on-exec, like every socket `Socket` makes.
    ///
    /// The corresponding C function is `accept(2)` (`accept4(2)` on Linux).
    public func accept() throws(SocketError) -> (connection: Socket, peer: SocketAddress) {
        var descriptor: Int32 = -1
        let peer = try SocketAddress.filledIn { (address, length) throws(SocketError) in
            descriptor = try retryingOnInterrupt("accept", address: "\(self.address)") {
                acceptCloseOnExec(socket.descriptor, address, length)
            }
        }
        return (Socket(adopting: descriptor), peer)
    }

    /// Stops listening; connections already accepted stay open.
    public func close() { socket.close() }
}

/// Connects to `host` and `port`, trying each address the name resolves to in
/// turn, and returns the connected socket with the address that answered.
///
/// The corresponding C function is `connect(2)`.
public func connectTCP(host: String, port: UInt16) throws(SocketError) -> (
    connection: Socket, peer: SocketAddress
) {
    var lastError = SocketError.unresolved(host: host, reason: "no address found")
    for candidate in try SocketAddress.resolve(host: host, port: port) {
        do {
            let socket = try Socket(family: candidate.family, type: streamSocketType)
            try candidate.withSockaddr { (address, length) throws(SocketError) in
                try connect(socket, to: address, length: length, called: "\(candidate)")
            }
            return (socket, candidate)
        } catch {
            // The failed socket is released (and closed) here; try the next address.
            lastError = error
        }
    }
    throw lastError
}

/// `connect(2)` is the one call that must not simply be repeated after a
/// signal interrupts it (EINTR): the handshake goes on in the kernel, and a
/// second `connect` would fail with EALREADY. Instead, wait until the socket
/// is writable and read the handshake's outcome from `SO_ERROR`.
private func connect(
    _ socket: Socket,
    to address: UnsafePointer<sockaddr>,
    length: socklen_t,
    called name: String
) throws(SocketError) {
    if connect(socket.descriptor, address, length) == 0 { return }
    guard errno == EINTR else { throw .failed(call: "connect", address: name, errno: errno) }
    var ready = pollfd(fd: socket.descriptor, events: Int16(POLLOUT), revents: 0)
    _ = try retryingOnInterrupt("poll", address: name) { poll(&ready, 1, -1) }
    var outcome: Int32 = 0
    var size = socklen_t(MemoryLayout<Int32>.size)
    _ = try retryingOnInterrupt("getsockopt(SO_ERROR)", address: name) {
        getsockopt(socket.descriptor, SOL_SOCKET, SO_ERROR, &outcome, &size)
    }
    if outcome != 0 { throw .failed(call: "connect", address: name, errno: outcome) }
}
