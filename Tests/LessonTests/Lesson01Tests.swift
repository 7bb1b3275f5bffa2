import Foundation
import LessonProcess
import NetUtil
import TestThreads
import Testing

@Suite("Lesson 01 · recv takes at most what you ask for", .mayBlock)
struct Lesson01Tests {
    @Test(
        "recv(2) on \"hello\" returns \"he\", then \"ll\", then \"o\", leaving 3, 1 and 0 bytes queued"
    )
    func partialReads() throws {
        let run = try runLesson("01")
        #expect(run.server.count == 5)
        #expect(run.server[0] == "server: listening on 127.0.0.1:\(run.port)")
        #expect(run.server[1].hasPrefix("server: accepted 127.0.0.1:"))
        #expect(
            Array(run.server.dropFirst(2)) == [
                "server: recv(2) -> \"he\" (2 bytes), 3 still queued",
                "server: recv(2) -> \"ll\" (2 bytes), 1 still queued",
                "server: recv(1) -> \"o\" (1 byte), 0 still queued",
            ])
        #expect(run.serverStatus == 0)
    }

    @Test("the client connects, sends \"hello\" in one call of 5 bytes, and closes")
    func clientTranscript() throws {
        let run = try runLesson("01")
        #expect(
            run.client == [
                "client: connected to 127.0.0.1:\(run.port)",
                "client: send(\"hello\") -> 5 bytes",
                "client: close()",
            ])
        #expect(run.clientStatus == 0)
    }

    @Test("the lesson runs over IPv6 loopback and prints addresses as [::1]:port")
    func ipv6() throws {
        let run = try runLesson("01", host: "::1")
        #expect(run.server[0] == "server: listening on [::1]:\(run.port)")
        #expect(run.server[1].hasPrefix("server: accepted [::1]:"))
        #expect(run.client[0] == "client: connected to [::1]:\(run.port)")
        #expect(run.server.last == "server: recv(1) -> \"o\" (1 byte), 0 still queued")
    }

    @Test(
        "the server speaks plain TCP: any peer that sends \"hello\" and closes gets the same reads")
    func foreignClient() throws {
        let server = try LessonProcess("lesson01-server", arguments: ["--port", "0"])
        let deadline = ContinuousClock.now + runDeadline
        let port = try #require(
            listeningPort(try server.waitForLine(containing: "listening on", before: deadline)))
        let (connection, _) = try connectTCP(host: "127.0.0.1", port: port)
        try connection.sendAll("hello")
        connection.close()
        let end = try server.finish(before: deadline)
        #expect(
            end.lines.dropFirst() == [
                "server: recv(2) -> \"he\" (2 bytes), 3 still queued",
                "server: recv(2) -> \"ll\" (2 bytes), 1 still queued",
                "server: recv(1) -> \"o\" (1 byte), 0 still queued",
            ])
    }

    @Test("the client speaks plain TCP: any listening peer receives \"hello\" and then the end")
    func foreignServer() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let client = try LessonProcess(
            "lesson01-client", arguments: ["--port", "\(listener.address.port)"])
        let (connection, _) = try listener.accept()
        try connection.setReceiveTimeout(seconds: 10)
        #expect(try connection.receiveExactly(5) == Array("hello".utf8))
        #expect(try connection.receive(upTo: 16) == [])
        #expect(try client.finish(before: .now + runDeadline).status == 0)
    }
}

@Suite("Lesson 01 · what a close leaves behind", .mayBlock)
struct Lesson01CloseTests {
    @Test("a byte left unread stays queued, and closing over it resets the peer's connection")
    func unreadByteResets() throws {
        let server = try LessonProcess("lesson01-server", arguments: ["--port", "0"])
        let deadline = ContinuousClock.now + runDeadline
        let listening = try server.waitForLine(containing: "listening on", before: deadline)
        let port = try #require(listeningPort(listening))
        // What netcat sends when you type hello and press Enter.
        let (connection, _) = try connectTCP(host: "127.0.0.1", port: port)
        try connection.sendAll("hello\n")
        let end = try server.finish(before: deadline)
        #expect(end.lines.last == "server: recv(1) -> \"o\" (1 byte), 1 still queued")
        // The server closed with "\n" unread, so its kernel sent RST, not FIN.
        try connection.setReceiveTimeout(seconds: 10)
        #expect(throws: SocketError.failed(call: "recv(16)", address: nil, errno: ECONNRESET)) {
            try connection.receive(upTo: 16)
        }
    }

    @Test(
        "with --client-timeout 0.3, lesson01-server ends with one line on a client that connects and sends nothing"
    )
    func clientTimeout() throws {
        let (end, waited) = try endingOnSilentClient("lesson01-server")
        #expect(waited >= .milliseconds(300))
        #expect(
            end.errorLines == [
                "server: recv(2): timed out (EAGAIN): no data arrived within the receive timeout"
            ])
        #expect(end.status == 1)
    }
}
