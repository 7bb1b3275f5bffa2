import TestThreads
import Testing

@testable import NetUtil

@Suite("Addresses and connections", .mayBlock)
struct AddressTests {
    @Test("an IPv4 literal prints as host:port")
    func ipv4() throws {
        let addresses = try SocketAddress.resolve(host: "127.0.0.1", port: 4242)
        #expect(addresses.map(\.description) == ["127.0.0.1:4242"])
        #expect(addresses[0].family == AF_INET && addresses[0].port == 4242)
    }

    @Test("an IPv6 literal prints in brackets: [::1]:4242")
    func ipv6() throws {
        let addresses = try SocketAddress.resolve(host: "::1", port: 4242)
        #expect(addresses.map(\.description) == ["[::1]:4242"])
        #expect(addresses[0].host == "::1")
    }

    @Test("the name localhost resolves to a loopback address")
    func localhost() throws {
        let addresses = try SocketAddress.resolve(host: "localhost", port: 80).map(\.description)
        #expect(addresses.contains("127.0.0.1:80") || addresses.contains("[::1]:80"))
    }

    @Test("a name that cannot resolve gives a getaddrinfo error naming it")
    func unresolvable() {
        // A 64-letter label is longer than DNS allows, so the resolver rejects
        // it locally: no query leaves the machine.
        let name = String(repeating: "a", count: 64)
        #expect {
            try SocketAddress.resolve(host: name, port: 80)
        } throws: { error in
            "\(error)".hasPrefix("getaddrinfo(\(name)): ")
        }
    }

    @Test("listening on port 0 gets a real port picked by the kernel")
    func portZero() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        #expect(listener.address.port != 0)
        #expect(listener.address.description == "127.0.0.1:\(listener.address.port)")
    }

    @Test(
        "connect and accept agree on both ends' addresses, over IPv4 and IPv6",
        arguments: ["127.0.0.1", "::1"])
    func connectAccept(host: String) throws {
        let listener = try TCPListener(host: host, port: 0)
        let (client, server) = try connectTCP(host: host, port: listener.address.port)
        let (connection, peer) = try listener.accept()
        #expect(server.description == listener.address.description)
        #expect(peer.description == (try client.localAddress()).description)
        try client.sendAll("ping")
        #expect(try connection.receive(upTo: 16) == bytes("ping"))
    }

    @Test("connecting where nobody listens fails with ECONNREFUSED and the address")
    func refused() throws {
        let port = try TCPListener(host: "127.0.0.1", port: 0).address.port  // closed again at once
        #expect(
            throws: SocketError.failed(
                call: "connect", address: "127.0.0.1:\(port)", errno: ECONNREFUSED)
        ) {
            try connectTCP(host: "127.0.0.1", port: port)
        }
    }

    @Test("a second listener on a port in use fails with EADDRINUSE")
    func inUse() throws {
        let first = try TCPListener(host: "127.0.0.1", port: 0)
        let port = first.address.port
        #expect(
            throws: SocketError.failed(
                call: "bind", address: "127.0.0.1:\(port)", errno: EADDRINUSE)
        ) {
            try TCPListener(host: "127.0.0.1", port: port)
        }
    }
}

@Suite("Descriptor ownership", .mayBlock)
struct DescriptorTests {
    @Test("close really closes (the peer reads the end) and a second close does nothing")
    func closeOnce() throws {
        let (socket, peer) = makeSocketPair()
        socket.close()
        #expect(socket.descriptor == -1)
        #expect(try peer.receive(upTo: 16) == [])
        socket.close()
        #expect(socket.descriptor == -1)
    }

    @Test("a Socket that goes out of scope closes its descriptor")
    func closeOnRelease() throws {
        let (socket, peer) = makeSocketPair()
        _ = consume socket
        #expect(try peer.receive(upTo: 16) == [])
    }

    @Test("200 rounds of listen, connect, accept and refused connects leave no socket open")
    func noLeaks() async {
        // In a process of its own (an exit test), where no other test opens or
        // closes sockets meanwhile: the count must come back exactly. Sockets
        // only: the test harness in that process may open files and pipes.
        await #expect(processExitsWith: .success) {
            let before = openSocketCount()
            for _ in 0..<200 {
                let listener = try TCPListener(host: "127.0.0.1", port: 0)
                let (client, _) = try connectTCP(host: "127.0.0.1", port: listener.address.port)
                let (connection, _) = try listener.accept()
                try client.sendAll("x")
                _ = try connection.receive(upTo: 1)
                let port = listener.address.port
                listener.close()
                _ = try? connectTCP(host: "127.0.0.1", port: port)
                _ = try? SocketAddress.resolve(host: String(repeating: "a", count: 64), port: 1)
            }
            if openSocketCount() != before { exit(1) }
        }
    }
}

@Suite("Which addresses are loopback", .mayBlock)
struct LoopbackTests {
    @Test(
        "127.0.0.0/8 and ::1 are loopback, by number or as localhost; 0.0.0.0, :: and others are not"
    )
    func loopback() throws {
        for host in ["127.0.0.1", "127.9.8.7", "::1", "localhost"] {
            let address = try #require(try SocketAddress.resolve(host: host, port: 0).first)
            #expect(address.isLoopback, "\(host)")
        }
        for host in ["0.0.0.0", "::", "192.0.2.1", "10.0.0.1", "::ffff:10.0.0.1"] {
            let address = try #require(try SocketAddress.resolve(host: host, port: 0).first)
            #expect(!address.isLoopback, "\(host)")
        }
    }
}
