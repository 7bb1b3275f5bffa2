@testable import NetUtil

/// Two connected stream sockets, without any network: what one sends, the other receives.
func makeSocketPair(type: Int32 = streamSocketType) -> (Socket, Socket) {
    var descriptors: [Int32] = [-1, -1]
    let status = socketpair(AF_UNIX, type, 0, &descriptors)
    precondition(status == 0, "socketpair failed: errno \(errno)")
    return (Socket(adopting: descriptors[0]), Socket(adopting: descriptors[1]))
}

/// Two ends of a real TCP connection over IPv4 loopback: (client, server).
func makeLoopbackTCPPair() throws -> (Socket, Socket) {
    let listener = try TCPListener(host: "127.0.0.1", port: 0)
    let (client, _) = try connectTCP(host: "127.0.0.1", port: listener.address.port)
    let (server, _) = try listener.accept()
    listener.close()
    return (client, server)
}

/// How many of this process's descriptors are sockets.
func openSocketCount() -> Int {
    (0..<Int32(4096)).filter { descriptor in
        var info = stat()
        return fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }.count
}

/// Bytes of a string, for short assertions.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
