/// A UDP socket: every send is one datagram, and every receive takes one
/// whole datagram off the queue, or only its start if the buffer is too small.
///
/// There is no connection: no handshake, no `listen`, no `accept`, no end.
/// One socket can talk to any number of peers; each datagram says where it
/// came from, and each reply names where it goes.
public final class UDPSocket: Sendable {
    public let socket: Socket

    /// A socket bound to `host` and `port`, as a server needs: port 0 lets the
    /// kernel pick a free one (read it back with `localAddress()`).
    ///
    /// The corresponding C functions are `socket(2)` and `bind(2)`.
    public init(host: String, port: UInt16) throws(SocketError) {
        let wanted = try resolveDatagram(host: host, port: port)
        socket = try Socket(family: wanted.family, type: datagramSocketType)
        _ = try wanted.withSockaddr { (address, length) throws(SocketError) in
            try retryingOnInterrupt("bind", address: "\(wanted)") {
                bind(socket.descriptor, address, length)
            }
        }
    }

    /// An unbound socket for talking to peers of `family` (`AF_INET` or
    /// `AF_INET6`), as a client needs: the first send binds it to a free port.
    ///
    /// The corresponding C function is `socket(2)`.
    public init(family: Int32) throws(SocketError) {
        socket = try Socket(family: family, type: datagramSocketType)
    }

    /// Where this socket is bound; before its first send, a client's is port 0.
    public func localAddress() throws(SocketError) -> SocketAddress {
        try socket.localAddress()
    }

    /// Sends `bytes` to `address` as one datagram and returns the count.
    ///
    /// The call never waits for the peer and cannot tell whether anyone
    /// received it: it returns once the datagram is handed to the network.
    /// A datagram over the size limit (65,507 bytes of payload over IPv4)
    /// fails with EMSGSIZE instead of being split.
    ///
    /// The corresponding C function is `sendto(2)`.
    @discardableResult
    public func send(_ bytes: [UInt8], to address: SocketAddress) throws(SocketError) -> Int {
        try address.withSockaddr { (peer, length) throws(SocketError) in
            try retryingOnInterrupt("sendto", address: "\(address)") {
                bytes.withUnsafeBytes { buffer in
                    sendto(
                        socket.descriptor, buffer.baseAddress, buffer.count, noSignalOnSend,
                        peer, length)
                }
            }
        }
    }

    /// Takes the next datagram off the queue, blocking while there is none,
    /// and copies out at most `maximum` bytes of it. The rest of a longer
    /// datagram is thrown away, and the kernel says so: it sets `MSG_TRUNC`
    /// in the message's flags (Linux and macOS both do).
    ///
    /// Throws `SocketError.timedOut` when a receive timeout is set and
    /// expires; on a connected socket, throws ECONNREFUSED when the peer's
    /// host has answered an earlier datagram with "port unreachable".
    ///
    /// Traces call it `recvfrom`, the tutorial's name: `recvmsg` is the same
    /// receive with room for those flags.
    ///
    /// The corresponding C function is `recvmsg(2)`.
    public func receive(upTo maximum: Int) throws(SocketError) -> Datagram {
        var bytes = [UInt8](repeating: 0, count: maximum)
        var length = 0
        var flags: Int32 = 0
        let sender = try SocketAddress.filledIn { (address, addressLength) throws(SocketError) in
            length = try socket.receiveCall("recvfrom(\(maximum))") {
                bytes.withUnsafeMutableBytes { buffer in
                    var vector = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
                    return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                        var message = msghdr()
                        message.msg_name = UnsafeMutableRawPointer(address)
                        message.msg_namelen = addressLength.pointee
                        message.msg_iov = vectorPointer
                        message.msg_iovlen = 1
                        let result = recvmsg(socket.descriptor, &message, askForRealLength)
                        addressLength.pointee = message.msg_namelen
                        flags = message.msg_flags
                        return result
                    }
                }
            }
        }
        let copied = min(length, maximum)
        bytes.removeLast(maximum - copied)
        return Datagram(
            bytes: bytes, sender: sender, isTruncated: flags & Int32(MSG_TRUNC) != 0,
            length: length)
    }

    /// Fixes the one peer this socket talks to. No packet is sent: the kernel
    /// only notes the address. From then on `send(_:)` needs no address, the
    /// kernel drops datagrams from anyone else, and an ICMP "port
    /// unreachable" for our datagrams, if one comes back, is reported as
    /// ECONNREFUSED on the next call. An unconnected socket is not told, by
    /// default (on Linux, `IP_RECVERR` would queue such errors for it).
    ///
    /// The corresponding C function is `connect(2)`.
    public func connect(to address: SocketAddress) throws(SocketError) {
        _ = try address.withSockaddr { (peer, length) throws(SocketError) in
            try retryingOnInterrupt("connect", address: "\(address)") {
                // The C function, which NetUtil re-exports; plain `connect` is this method.
                NetUtil.connect(socket.descriptor, peer, length)
            }
        }
    }

    /// Sends `bytes` as one datagram to the connected peer; see `connect(to:)`.
    ///
    /// The corresponding C function is `send(2)`.
    @discardableResult
    public func send(_ bytes: [UInt8]) throws(SocketError) -> Int {
        try retryingOnInterrupt("send") {
            bytes.withUnsafeBytes { buffer in
                // The C function again, not the `send` methods above.
                NetUtil.send(socket.descriptor, buffer.baseAddress, buffer.count, noSignalOnSend)
            }
        }
    }

    /// Makes every later receive give up after `seconds`; see `Socket.setReceiveTimeout`.
    public func setReceiveTimeout(seconds: Double) throws(SocketError) {
        try socket.setReceiveTimeout(seconds: seconds)
    }

    /// Closes the socket; datagrams still queued for it are thrown away.
    public func close() { socket.close() }
}

/// One datagram as `recvfrom` returned it.
public struct Datagram: Sendable {
    /// The bytes copied out: the whole datagram, or its first `maximum` bytes.
    public let bytes: [UInt8]
    /// Who sent it, which is where a reply must go.
    public let sender: SocketAddress
    /// True when the buffer was too small and the kernel threw the rest away.
    public let isTruncated: Bool
    /// How many bytes the datagram really had, on Linux. macOS reports only
    /// what was copied, so there a truncated datagram's length is unknown.
    public let length: Int

    /// How many bytes were lost to a small buffer: 0 when it fit, nil when
    /// some were lost but the system does not say how many (macOS).
    public var lostByteCount: Int? {
        guard isTruncated else { return 0 }
        return length > bytes.count ? length - bytes.count : nil
    }
}

/// The line for one `recvfrom(size)` that returned `datagram`.
///
///     recvfrom(1024) -> "hi" (2 bytes) from 127.0.0.1:54321
///     recvfrom(4) -> "hell" (truncated: 4 of 5 bytes, 1 byte lost) from 127.0.0.1:54321
///     recvfrom(1024) -> "" (0 bytes: an empty datagram) from 127.0.0.1:54321
public func describeReceiveFrom(size: Int, datagram: Datagram) -> String {
    let count: String
    if datagram.isTruncated {
        if let lost = datagram.lostByteCount {
            count =
                "truncated: \(datagram.bytes.count) of \(byteCount(datagram.length)), "
                + "\(byteCount(lost)) lost"
        } else {
            count = "truncated: \(byteCount(datagram.bytes.count)) kept, the rest lost"
        }
    } else if datagram.bytes.isEmpty {
        // Unlike TCP's recv, 0 bytes here is a datagram, not the end of anything.
        count = "0 bytes: an empty datagram"
    } else {
        count = byteCount(datagram.bytes.count)
    }
    return "recvfrom(\(size)) -> \(quoted(datagram.bytes)) (\(count)) from \(datagram.sender)"
}

/// The first address `host` resolves to for a datagram socket.
public func resolveDatagram(host: String, port: UInt16) throws(SocketError) -> SocketAddress {
    let addresses = try SocketAddress.resolve(
        host: host, port: port, socketType: datagramSocketType)
    guard let first = addresses.first else {
        throw .unresolved(host: host, reason: "no address found")
    }
    return first
}

#if canImport(Glibc)
    /// Passed to `recvmsg`, MSG_TRUNC makes Linux return the datagram's real
    /// length even when that is more than the buffer could hold.
    private let askForRealLength = Int32(MSG_TRUNC)
#else
    /// macOS has no such request: `recvmsg` returns only what it copied.
    private let askForRealLength: Int32 = 0
#endif
