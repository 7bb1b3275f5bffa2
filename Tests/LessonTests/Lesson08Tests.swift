import Foundation
import LessonProcess
import NetUtil
import TestThreads
import Testing

@Suite("Lesson 08 · how a connection ends", .mayBlock)
struct Lesson08Tests {
    /// Runs one demo on both sides and returns the run with the client's port.
    func demo(_ name: String, host: String = "127.0.0.1") throws -> (LessonRun, UInt16) {
        let run = try runLesson(
            "08", server: ["--demo", name, "--wait", "3"], client: ["--demo", name, "--wait", "3"],
            host: host)
        let clientPort = try #require(run.server.count > 1 ? listeningPort(run.server[1]) : nil)
        #expect(run.serverStatus == 0 && run.clientStatus == 0)
        return (run, clientPort)
    }

    @Test(
        "after an orderly close the server reads \"hello\", then \"\"; its first send to the closed client succeeds, the RST comes back, and the next send fails with EPIPE"
    )
    func orderly() throws {
        let (run, _) = try demo("orderly")
        #expect(
            Array(run.server.dropFirst(2)) == [
                "server: recv(1024) -> \"hello\" (5 bytes), 0 still queued",
                "server: recv(1024) -> \"\" (0 bytes: peer closed)",
                "server: send(\"bye\") -> 3 bytes",
                "server: poll -> POLLERR|POLLHUP: the client's kernel answered with RST",
                "server: send(\"bye\") -> EPIPE (Broken pipe)",
                "server: close()",
            ])
        #expect(
            run.client == [
                "client: connected to 127.0.0.1:\(run.port)",
                "client: send(\"hello\") -> 5 bytes",
                "client: close()",
            ])
    }

    @Test(
        "after shutdown(SHUT_WR) the server reads the request to \"\" and still answers \"HELLO\" on the open half, which the client reads to \"\""
    )
    func halfClose() throws {
        let (run, _) = try demo("half-close")
        #expect(
            Array(run.server.dropFirst(2)) == [
                "server: recv(1024) -> \"hello\" (5 bytes), 0 still queued",
                "server: recv(1024) -> \"\" (0 bytes: peer closed)",
                "server: send(\"HELLO\") -> 5 bytes",
                "server: close()",
            ])
        #expect(
            Array(run.client.dropFirst()) == [
                "client: send(\"hello\") -> 5 bytes",
                "client: shutdown(SHUT_WR): our FIN says the request is complete",
                "client: recv(1024) -> \"HELLO\" (5 bytes), 0 still queued",
                "client: recv(1024) -> \"\" (0 bytes: peer closed)",
                "client: close()",
            ])
    }

    @Test(
        "a close over unread bytes sends RST: the client reads the queued \"bye\" first, then one ECONNRESET, then \"\", and a later send fails with EPIPE, not SIGPIPE"
    )
    func resetByUnreadData() throws {
        let (run, _) = try demo("reset")
        #expect(
            Array(run.server.dropFirst(2)) == [
                "server: 5 bytes queued, left unread on purpose",
                "server: send(\"bye\") -> 3 bytes",
                "server: closing with 5 bytes unread: the kernel sends RST, not FIN",
                "server: close()",
            ])
        #expect(
            Array(run.client.dropFirst()) == [
                "client: send(\"hello\") -> 5 bytes",
                "client: poll -> POLLERR|POLLHUP: the connection was reset",
                "client: recv(1024) -> \"bye\" (3 bytes), 0 still queued",
                "client: recv(1024) -> ECONNRESET (Connection reset by peer)",
                "client: recv(1024) -> \"\" (0 bytes: peer closed)",
                "client: send(\"more\") -> EPIPE (Broken pipe)",
                "client: close()",
            ])
    }

    @Test(
        "SO_LINGER with 0 seconds resets at once though nothing is unread: the client's first recv fails with ECONNRESET, and no TIME_WAIT is left"
    )
    func abortiveClose() throws {
        let (run, clientPort) = try demo("abort")
        #expect(
            Array(run.server.dropFirst(2)) == [
                "server: recv(1024) -> \"hello\" (5 bytes), 0 still queued",
                "server: setsockopt(SO_LINGER, on, 0 s)",
                "server: closing: RST at once, though nothing is unread",
                "server: close()",
                "server: kernel table: 127.0.0.1:\(run.port) -> 127.0.0.1:\(clientPort)"
                    + " not in TIME_WAIT",
            ])
        #expect(
            Array(run.client.dropFirst()) == [
                "client: send(\"hello\") -> 5 bytes",
                "client: recv(1024) -> ECONNRESET (Connection reset by peer)",
                "client: recv(1024) -> \"\" (0 bytes: peer closed)",
                "client: close()",
            ])
    }

    @Test(
        "the server, sending the first FIN, keeps the connection in TIME_WAIT; binding its port again fails with EADDRINUSE without SO_REUSEADDR and succeeds with it"
    )
    func timeWait() throws {
        let (run, clientPort) = try demo("time-wait")
        let (server, client) = ("127.0.0.1:\(run.port)", "127.0.0.1:\(clientPort)")
        #expect(
            Array(run.server.dropFirst(2)) == [
                "server: send(\"bye\") -> 3 bytes",
                "server: shutdown(SHUT_WR): our FIN goes first",
                "server: recv(1024) -> \"\" (0 bytes: peer closed)",
                "server: close()",
                "server: kernel table: \(server) -> \(client) in TIME_WAIT",
                "server: without SO_REUSEADDR: bind(\(server)) -> EADDRINUSE"
                    + " (Address already in use)",
                "server: with SO_REUSEADDR: bind(\(server)) -> 0, listening again",
            ])
        #expect(
            Array(run.client.dropFirst()) == [
                "client: recv(1024) -> \"bye\" (3 bytes), 0 still queued",
                "client: recv(1024) -> \"\" (0 bytes: peer closed)",
                "client: close()",
                "client: kernel table: \(client) -> \(server) not in TIME_WAIT",
            ])
    }

    @Test("over IPv6 loopback the TIME_WAIT entry is found in /proc/net/tcp6 as [::1]:port")
    func timeWaitIPv6() throws {
        let (run, clientPort) = try demo("time-wait", host: "::1")
        #expect(
            run.server.contains(
                "server: kernel table: [::1]:\(run.port) -> [::1]:\(clientPort) in TIME_WAIT"))
    }

    @Test("after shutdown(SHUT_WR) a socket still receives, and its own send fails with EPIPE")
    func shutdownWriteHalf() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let (client, _) = try connectTCP(host: "127.0.0.1", port: listener.address.port)
        let (server, _) = try listener.accept()
        for socket in [client, server] { try socket.setReceiveTimeout(seconds: 5) }
        try client.shutdown(.write)
        #expect(try server.receive(upTo: 16) == [])
        try server.sendAll("answer")
        #expect(try client.receiveExactly(6) == Array("answer".utf8))
        #expect(throws: SocketError.failed(call: "send(\"more\")", address: nil, errno: EPIPE)) {
            try client.sendOnce("more", flags: noSignalOnSend)
        }
    }

    @Test(
        "on Linux, when the client closes first the TIME_WAIT is the client's, and the server's port binds again without SO_REUSEADDR"
    )
    func clientClosesFirst() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let (client, serverAddress) = try connectTCP(host: "127.0.0.1", port: listener.address.port)
        let (server, clientAddress) = try listener.accept()
        listener.close()
        for socket in [client, server] { try socket.setReceiveTimeout(seconds: 5) }
        try client.shutdown(.write)
        #expect(try server.receive(upTo: 16) == [])
        try server.shutdown(.write)
        #expect(try client.receive(upTo: 16) == [])
        client.close()
        server.close()
        let waiting = try #require(connectionsInTimeWait())
        #expect(
            waiting.contains { $0.local == "\(clientAddress)" && $0.remote == "\(serverAddress)" })
        #expect(!waiting.contains { $0.localPort == serverAddress.port })
        // The server's own socket is gone as soon as the client's last ACK is in.
        #expect(try bindsWithin(seconds: 2, port: serverAddress.port, reuseAddress: false))
    }

    @Test(
        "on Linux, a TIME_WAIT left by a server without SO_REUSEADDR blocks even a new bind that sets it"
    )
    func bothNeedReuse() throws {
        let listener = try listenTCP(host: "127.0.0.1", port: 0, reuseAddress: false)
        let port = try listener.localAddress().port
        let (client, _) = try connectTCP(host: "127.0.0.1", port: port)
        let server = Socket(adopting: accept(listener.descriptor, nil, nil))
        listener.close()
        for socket in [client, server] { try socket.setReceiveTimeout(seconds: 5) }
        try server.shutdown(.write)
        #expect(try client.receive(upTo: 16) == [])
        client.close()
        #expect(try server.receive(upTo: 16) == [])
        server.close()
        #expect(throws: SocketError.self) {
            try listenTCP(host: "127.0.0.1", port: port, reuseAddress: true)
        }
        let waiting = try #require(connectionsInTimeWait())
        #expect(waiting.contains { $0.localPort == port })
    }

    @Test(
        "swift run workbook 8 shows the reset demo with the server's closing line before all the client sees of the reset, on every run"
    )
    func runnerOrder() throws {
        for _ in 1...3 {
            let end = try LessonProcess("workbook", arguments: ["8"])
                .finish(before: .now + runDeadline)
            #expect(end.status == 0)
            // Without the "+0.014s " each line starts with, and with every port as "port".
            let lines = end.lines.dropFirst().map { line in
                line.drop { $0 != " " }.dropFirst()
                    .replacing(/127\.0\.0\.1:\d+/, with: "127.0.0.1:port")
            }
            #expect(
                lines.filter { $0.hasPrefix("server: ") } == [
                    "server: listening on 127.0.0.1:port",
                    "server: accepted 127.0.0.1:port",
                    "server: 5 bytes queued, left unread on purpose",
                    "server: send(\"bye\") -> 3 bytes",
                    "server: closing with 5 bytes unread: the kernel sends RST, not FIN",
                    "server: close()",
                ])
            // Which of two unrelated lines the scheduler lets out first can vary;
            // what the client sees of the reset always follows the server's closing line.
            let closing = lines.firstIndex { $0.hasPrefix("server: closing with") }
            let seen = lines.drop { !$0.hasPrefix("server: closing with") }
                .filter { $0.hasPrefix("client: ") }
            #expect(closing != nil)
            #expect(
                seen == [
                    "client: poll -> POLLERR|POLLHUP: the connection was reset",
                    "client: recv(1024) -> \"bye\" (3 bytes), 0 still queued",
                    "client: recv(1024) -> ECONNRESET (Connection reset by peer)",
                    "client: recv(1024) -> \"\" (0 bytes: peer closed)",
                    "client: send(\"more\") -> EPIPE (Broken pipe)",
                    "client: close()",
                ])
        }
    }

    @Test("--demo takes only the five endings, and anything else exits 2 naming them")
    func badDemo() throws {
        let end = try runAlone("lesson08-server", ["--demo", "fin"])
        #expect(
            end.errorLines == [
                "server: --demo: \"fin\" is not one of orderly, half-close, reset, abort, time-wait"
            ])
        #expect(end.status == 2)
    }
}

/// Tries to bind `port` until it works or `seconds` pass: a socket in LAST_ACK
/// still holds the port until the final ACK arrives, which takes a moment.
func bindsWithin(seconds: Double, port: UInt16, reuseAddress: Bool) throws -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while true {
        do {
            try listenTCP(host: "127.0.0.1", port: port, reuseAddress: reuseAddress).close()
            return true
        } catch SocketError.failed(_, _, EADDRINUSE) where ContinuousClock.now < deadline {
            usleep(1000)
        } catch {
            return false
        }
    }
}
