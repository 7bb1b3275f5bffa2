import TestThreads
import Testing

@testable import NetUtil

@Suite("Error lines", .mayBlock)
struct SocketErrorTests {
    @Test("a refused connect names the call, the address, errno and a hint")
    func refusedConnect() {
        let error = SocketError.failed(
            call: "connect", address: "127.0.0.1:4242", errno: ECONNREFUSED)
        #expect(
            error.description
                == "connect(127.0.0.1:4242): Connection refused (ECONNREFUSED) - is the server running, on this host and port?"
        )
    }

    @Test("a port in use says that another server still holds it")
    func addressInUse() {
        let error = SocketError.failed(call: "bind", address: "[::1]:9", errno: EADDRINUSE)
        #expect(
            error.description
                == "bind([::1]:9): Address already in use (EADDRINUSE) - another server still holds the port; stop it or pick another --port"
        )
    }

    @Test("reset and broken-pipe errors carry a hint; others carry none")
    func hints() {
        #expect(hint(for: ECONNRESET) != nil)
        #expect(hint(for: EPIPE) != nil)
        #expect(
            SocketError.failed(call: "listen", address: nil, errno: EINVAL).description
                == "listen: Invalid argument (EINVAL)")
    }

    @Test("an errno without a known name prints its number")
    func unknownErrno() {
        #expect(errnoName(4000) == "errno 4000")
    }

    @Test("a timeout, an early close and an unknown host each read as one line")
    func otherErrors() {
        #expect(
            SocketError.timedOut(call: "recv(1024)").description
                == "recv(1024): timed out (EAGAIN): no data arrived within the receive timeout")
        #expect(
            SocketError.closedPartWay(expected: 8, received: 3).description
                == "the peer closed the connection after 3 of 8 bytes")
        #expect(
            SocketError.unresolved(host: "nowhere", reason: "Name or service not known").description
                == "getaddrinfo(nowhere): Name or service not known")
    }

    @Test("an interrupted call (EINTR) is retried, any other failure is thrown")
    func retryOnInterrupt() throws {
        var calls = 0
        let result = try retryingOnInterrupt("recv") { () -> Int in
            calls += 1
            if calls < 3 {
                errno = EINTR
                return -1
            }
            return 7
        }
        #expect(result == 7 && calls == 3)
        #expect(throws: SocketError.failed(call: "recv", address: nil, errno: EBADF)) {
            try retryingOnInterrupt("recv") { () -> Int in
                errno = EBADF
                return -1
            }
        }
    }
}
