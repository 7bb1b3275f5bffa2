/// An IPv4 or IPv6 address with a port, as the kernel stores it in a
/// `sockaddr_storage`. Prints as `127.0.0.1:8080` or `[::1]:8080`.
public struct SocketAddress: Sendable, CustomStringConvertible {
    /// The raw C structure, big enough for either family.
    var storage: sockaddr_storage
    /// How many bytes of `storage` are meaningful (`socklen_t` in the C API).
    var length: socklen_t

    /// Takes an address the kernel filled in (from accept, getsockname or recvfrom).
    init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    /// `AF_INET` or `AF_INET6`.
    public var family: Int32 { Int32(storage.ss_family) }

    /// The port, in the machine's byte order (the kernel keeps it big-endian).
    public var port: UInt16 {
        withUnsafeBytes(of: storage) { raw in
            family == AF_INET6
                ? UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port)
                : UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port)
        }
    }

    /// The numeric host, without the port: `127.0.0.1` or `::1`.
    ///
    /// The corresponding C function is `inet_ntop(3)`.
    public var host: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        withUnsafeBytes(of: storage) { raw in
            if family == AF_INET6 {
                var address = raw.load(as: sockaddr_in6.self).sin6_addr
                _ = inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
            } else {
                var address = raw.load(as: sockaddr_in.self).sin_addr
                _ = inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
            }
        }
        return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// IPv6 hosts go in brackets, so the port's colon cannot be mistaken for part of the host.
    public var description: String {
        family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Lends the address to a C call that takes `(const struct sockaddr *, socklen_t)`.
    func withSockaddr<Result>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws(SocketError) -> Result
    ) throws(SocketError) -> Result {
        try withUnsafePointer(to: storage) { (pointer) throws(SocketError) -> Result in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                (address) throws(SocketError) -> Result in try body(address, length)
            }
        }
    }

    /// Turns a host (an IPv4 or IPv6 literal, or a name such as `localhost`)
    /// and a port into the addresses to try, in the order the resolver prefers.
    ///
    /// The corresponding C function is `getaddrinfo(3)`.
    public static func resolve(
        host: String,
        port: UInt16,
        socketType: Int32 = streamSocketType
    ) throws(SocketError) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = socketType
        // The port is always a number here, never a service name like "http".
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else {
            throw .unresolved(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }

        var addresses: [SocketAddress] = []
        for entry in sequence(first: list, next: { $0.pointee.ai_next }) {
            guard let source = entry.pointee.ai_addr else { continue }
            var storage = sockaddr_storage()
            let length = entry.pointee.ai_addrlen
            withUnsafeMutableBytes(of: &storage) { target in
                target.copyMemory(from: UnsafeRawBufferPointer(start: source, count: Int(length)))
            }
            addresses.append(SocketAddress(storage: storage, length: length))
        }
        return addresses
    }
}

extension SocketAddress {
    /// Reads the address the kernel gives back through a `(sockaddr *, socklen_t *)` pair.
    static func filledIn(
        by body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>)
            throws(SocketError) -> Void
    ) throws(SocketError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try withUnsafeMutablePointer(to: &storage) { (pointer) throws(SocketError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                (address) throws(SocketError) in try body(address, &length)
            }
        }
        return SocketAddress(storage: storage, length: length)
    }
}
