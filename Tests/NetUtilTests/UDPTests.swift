import TestThreads
import Testing

@testable import NetUtil

@Suite("UDP sockets", .mayBlock)
struct UDPTests {
    /// A bound "server" socket and an unbound "client" socket of the same family.
    func pair(host: String = "127.0.0.1") throws -> (server: UDPSocket, client: UDPSocket) {
        let server = try UDPSocket(host: host, port: 0)
        let client = try UDPSocket(family: try server.localAddress().family)
        // Nothing here should ever wait long; a lost datagram fails the test instead of hanging it.
        try server.setReceiveTimeout(seconds: 5)
        try client.setReceiveTimeout(seconds: 5)
        return (server, client)
    }

    /// A port with no socket on it: bind port 0, note the port, close.
    func freePort() throws -> UInt16 {
        let socket = try UDPSocket(host: "127.0.0.1", port: 0)
        defer { socket.close() }
        return try socket.localAddress().port
    }

    @Test(
        "binding port 0 gets a real port, and a datagram arrives whole with its sender's address",
        arguments: ["127.0.0.1", "::1"])
    func sendAndReceive(host: String) throws {
        let (server, client) = try pair(host: host)
        let address = try server.localAddress()
        #expect(address.port != 0)
        #expect(try client.send(bytes("hi"), to: address) == 2)
        let datagram = try server.receive(upTo: 1024)
        #expect(datagram.bytes == bytes("hi") && datagram.length == 2 && !datagram.isTruncated)
        #expect(datagram.lostByteCount == 0)
        // The client's first sendto bound it to a free port on every address
        // (0.0.0.0 or ::); the server sees that port, from the loopback address.
        #expect(datagram.sender.port == (try client.localAddress()).port)
        #expect(datagram.sender.host == host)
    }

    @Test("three datagrams sent back to back come out as three receives, never merged")
    func boundariesKept() throws {
        let (server, client) = try pair()
        let address = try server.localAddress()
        for text in ["a", "bb", "ccc"] { try client.send(bytes(text), to: address) }
        #expect(try server.receive(upTo: 1024).bytes == bytes("a"))
        #expect(try server.receive(upTo: 1024).bytes == bytes("bb"))
        #expect(try server.receive(upTo: 1024).bytes == bytes("ccc"))
    }

    @Test(
        "a datagram longer than the buffer is cut, flagged MSG_TRUNC, the rest discarded; Linux gives its real length"
    )
    func truncation() throws {
        let (server, client) = try pair()
        let address = try server.localAddress()
        try client.send(bytes("hello"), to: address)
        try client.send(bytes("hi"), to: address)
        let cut = try server.receive(upTo: 4)
        #expect(cut.bytes == bytes("hell") && cut.isTruncated)
        #if os(Linux)
            #expect(cut.length == 5 && cut.lostByteCount == 1)
        #endif
        // The "o" is gone: the next receive starts at the next datagram.
        #expect(try server.receive(upTo: 4).bytes == bytes("hi"))
    }

    @Test("an empty datagram is a real datagram: 0 bytes, with its sender")
    func emptyDatagram() throws {
        let (server, client) = try pair()
        try client.send([], to: try server.localAddress())
        let datagram = try server.receive(upTo: 1024)
        #expect(datagram.bytes == [] && datagram.length == 0)
        #expect(datagram.sender.port == (try client.localAddress()).port)
    }

    @Test("a reply sent to the sender's address reaches the client")
    func reply() throws {
        let (server, client) = try pair()
        try client.send(bytes("ping"), to: try server.localAddress())
        let request = try server.receive(upTo: 1024)
        try server.send(bytes("pong"), to: request.sender)
        let answer = try client.receive(upTo: 1024)
        #expect(answer.bytes == bytes("pong"))
        #expect(answer.sender.description == (try server.localAddress()).description)
    }

    @Test("65,507 bytes travel as one IPv4 datagram; 65,508 fail with EMSGSIZE, never split")
    func sizeLimit() throws {
        let (server, client) = try pair()
        let address = try server.localAddress()
        let largest = [UInt8](repeating: 7, count: 65_507)
        #expect(try client.send(largest, to: address) == 65_507)
        #expect(try server.receive(upTo: 65_536).bytes == largest)
        #expect(
            throws: SocketError.failed(call: "sendto", address: "\(address)", errno: EMSGSIZE)
        ) {
            try client.send(largest + [7], to: address)
        }
    }

    @Test("over IPv6 the limit is 65,527 bytes: its length field leaves out the IP header")
    func sizeLimitIPv6() throws {
        let (server, client) = try pair(host: "::1")
        let address = try server.localAddress()
        let largest = [UInt8](repeating: 6, count: 65_527)
        #expect(try client.send(largest, to: address) == 65_527)
        #expect(try server.receive(upTo: 65_536).bytes == largest)
        #expect(
            throws: SocketError.failed(call: "sendto", address: "\(address)", errno: EMSGSIZE)
        ) {
            try client.send(largest + [6], to: address)
        }
    }

    @Test("datagrams arriving at a full receive queue are dropped, though every sendto succeeds")
    func fullQueueDrops() throws {
        let (server, client) = try pair()
        let address = try server.localAddress()
        // Nobody reads while 2,000 datagrams of 1,000 bytes arrive: about 2 MB,
        // far more than a receive buffer holds (the default is about 200 KB).
        let datagram = [UInt8](repeating: 1, count: 1_000)
        for _ in 0..<2_000 { #expect(try client.send(datagram, to: address) == 1_000) }
        try server.setReceiveTimeout(seconds: 0.05)
        var received = 0
        while (try? server.receive(upTo: 1_000)) != nil { received += 1 }
        #expect(received > 0 && received < 2_000)
    }

    #if canImport(Glibc)
        @Test(
            "on Linux, FIONREAD on a UDP socket counts only the next datagram, not all queued bytes"
        )
        func queuedMeansNextDatagram() throws {
            let (server, client) = try pair()
            let address = try server.localAddress()
            try client.send(bytes("bb"), to: address)
            try client.send(bytes("ccc"), to: address)
            #expect(try nextQueued(server) == 2)  // not 5, as a stream would say
            _ = try server.receive(upTo: 1024)
            #expect(try nextQueued(server) == 3)
        }

        /// FIONREAD once something is queued; it reads 0 while nothing has arrived.
        func nextQueued(_ socket: UDPSocket) throws -> Int {
            let deadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < deadline {
                let count = try socket.socket.queuedByteCount()
                if count > 0 { return count }
            }
            return 0
        }
    #endif

    @Test("a connected socket sending where nobody listens gets ECONNREFUSED on its next call")
    func connectedRefused() throws {
        let client = try UDPSocket(family: AF_INET)
        try client.setReceiveTimeout(seconds: 5)
        try client.connect(to: try resolveDatagram(host: "127.0.0.1", port: try freePort()))
        // The send itself succeeds: the datagram left. The port-unreachable
        // reply arrives afterwards and is reported by the next call.
        #expect(try client.send(bytes("anyone?")) == 7)
        #expect(throws: SocketError.failed(call: "recvfrom(16)", address: nil, errno: ECONNREFUSED))
        {
            try client.receive(upTo: 16)
        }
    }

    @Test("an unconnected socket sending where nobody listens hears nothing until its timeout")
    func unconnectedSilence() throws {
        let client = try UDPSocket(family: AF_INET)
        try client.setReceiveTimeout(seconds: 0.1)
        let nobody = try resolveDatagram(host: "127.0.0.1", port: try freePort())
        #expect(try client.send(bytes("anyone?"), to: nobody) == 7)
        #expect(throws: SocketError.timedOut(call: "recvfrom(16)")) {
            try client.receive(upTo: 16)
        }
    }

    @Test("a connected socket receives only from its peer; the kernel drops the rest")
    func connectedFilters() throws {
        let (peer, stranger) = try pair()
        let client = try UDPSocket(host: "127.0.0.1", port: 0)
        try client.setReceiveTimeout(seconds: 5)
        try client.connect(to: try peer.localAddress())
        let clientAddress = try client.localAddress()
        try stranger.send(bytes("not you"), to: clientAddress)
        try peer.send(bytes("from the peer"), to: clientAddress)
        #expect(try client.receive(upTo: 64).bytes == bytes("from the peer"))
    }

    @Test("a second socket binding a UDP address in use fails with EADDRINUSE")
    func addressInUse() throws {
        // What the tutorial's "client" does: bind the address its server already holds.
        let server = try UDPSocket(host: "127.0.0.1", port: 0)
        let address = try server.localAddress()
        #expect(
            throws: SocketError.failed(call: "bind", address: "\(address)", errno: EADDRINUSE)
        ) {
            try UDPSocket(host: "127.0.0.1", port: address.port)
        }
    }

    @Test("recvfrom lines name the sender, and say when a datagram was empty or truncated")
    func traceLines() throws {
        let sender = try resolveDatagram(host: "127.0.0.1", port: 54321)
        #expect(
            describeReceiveFrom(
                size: 1024,
                datagram: Datagram(
                    bytes: bytes("hi"), sender: sender, isTruncated: false, length: 2))
                == "recvfrom(1024) -> \"hi\" (2 bytes) from 127.0.0.1:54321")
        #expect(
            describeReceiveFrom(
                size: 4,
                datagram: Datagram(
                    bytes: bytes("hell"), sender: sender, isTruncated: true, length: 5))
                == "recvfrom(4) -> \"hell\" (truncated: 4 of 5 bytes, 1 byte lost) from 127.0.0.1:54321"
        )
        #expect(
            describeReceiveFrom(
                size: 1024,
                datagram: Datagram(bytes: [], sender: sender, isTruncated: false, length: 0))
                == "recvfrom(1024) -> \"\" (0 bytes: an empty datagram) from 127.0.0.1:54321")
        // macOS flags the cut but does not say how long the datagram was.
        #expect(
            describeReceiveFrom(
                size: 4,
                datagram: Datagram(
                    bytes: bytes("hell"), sender: sender, isTruncated: true, length: 4))
                == "recvfrom(4) -> \"hell\" (truncated: 4 bytes kept, the rest lost) from 127.0.0.1:54321"
        )
    }
}
