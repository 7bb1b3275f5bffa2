import Foundation
import LessonProcess
import NetUtil
import TestThreads
import Testing

/// Requests an attacker would send, found by trying them on the built programs.
@Suite("Hostile requests cost one connection, never the server", .mayBlock)
struct HostileRequestTests {
    @Test(
        "a put whose offset plus total_size passes Int.max is refused by the size rule, not a crash",
        arguments: [(Int.max, 1), (1, Int.max), (Int.max, Int.max)])
    func offsetOverflow(offset: Int, totalSize: Int) throws {
        let server = try FileServer(["--max-size", "1000"])
        let connection = try connectTCP(host: "127.0.0.1", port: server.port).connection
        try connection.setReceiveTimeout(seconds: 5)
        let fields: [String: HeaderValue] = [
            "op": .string("put"), "filename": .string("f"), "offset": .integer(offset),
            "MD5": .string(MD5.hex([0])),
        ]
        try connection.sendHeader(FrameHeader(fields: fields, totalSize: totalSize))
        let answer = try #require(try connection.receiveHeader())
        #expect(answer.string("status") == "error")
        #expect(answer.string("error")?.hasPrefix("size rule: ") == true, "\(answer.fields)")
        #expect(try server.list() == [])
    }
}

/// Datagrams a lesson 06 server must not answer.
@Suite("Hostile datagrams", .mayBlock)
struct HostileDatagramTests {
    @Test(
        "a datagram forged from the lesson 06 server's own address is not answered: no endless loop",
        .enabled(if: canSendForgedDatagrams(), "sending a forged datagram needs a raw socket"))
    func forgedOwnAddress() throws {
        let deadline = ContinuousClock.now + runDeadline
        let server = try LessonProcess(
            "lesson06-server", arguments: ["--port", "0", "--reply", "echo"])
        defer { server.stop() }
        let line = try server.waitForLine(containing: "server: listening on ", before: deadline)
        let port = try #require(listeningPort(line))
        try sendForgedDatagram(Array("ping".utf8), from: port, to: port)
        let recvfrom = try #require(try server.nextLine(before: deadline))
        #expect(recvfrom.hasSuffix("from 127.0.0.1:\(port)"), "\(recvfrom)")
        #expect(
            try server.nextLine(before: deadline)
                == "server: not answered: a datagram from this server's own address is forged, "
                + "and answering it would make the server answer itself for ever")
        let client = try UDPSocket(host: "127.0.0.1", port: 0)
        defer { client.close() }
        _ = try client.send(Array("next".utf8), to: try #require(line.socketAddress))
        let next = try #require(try server.nextLine(before: deadline))
        #expect(next.hasPrefix("server: recvfrom(1024) -> \"next\""), "\(next)")
    }
}

/// True where this process may open a raw socket (as root, or with CAP_NET_RAW).
func canSendForgedDatagrams() -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_RAW.rawValue), Int32(IPPROTO_UDP))
    guard descriptor >= 0 else { return false }
    close(descriptor)
    return true
}

/// Sends `payload` to 127.0.0.1:`to` in a UDP datagram that claims to come from
/// 127.0.0.1:`from`: a raw socket lets the sender write the UDP header itself.
func sendForgedDatagram(_ payload: [UInt8], from: UInt16, to: UInt16) throws {
    let descriptor = socket(AF_INET, Int32(SOCK_RAW.rawValue), Int32(IPPROTO_UDP))
    try #require(descriptor >= 0)
    defer { close(descriptor) }
    let length = UInt16(8 + payload.count)
    // Source port, destination port, length, checksum 0 (none, allowed over IPv4).
    let header = [from, to, length, 0].flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let datagram = header + payload
    let sent = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            sendto(
                descriptor, datagram, datagram.count, 0, $0,
                socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    try #require(sent == datagram.count)
}

extension String {
    /// The address at the end of a `listening on 127.0.0.1:PORT` line.
    fileprivate var socketAddress: SocketAddress? {
        guard let port = listeningPort(self) else { return nil }
        return try? SocketAddress.resolve(host: "127.0.0.1", port: port).first
    }
}

/// Servers that lie or attack, against the real clients.
@Suite("Hostile servers", .mayBlock)
struct HostileServerTests {
    @Test(
        "lesson09-client shows a server's error text escaped: no CR, LF or ESC reaches the terminal"
    )
    func refusalEscaped() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try LessonProcess(
            "lesson09-client", arguments: ["--port", "\(listener.address.port)", "list"])
        let (connection, _) = try listener.accept()
        defer { connection.close() }
        try connection.setReceiveTimeout(seconds: 5)
        _ = try connection.receiveHeader()
        let lie = "\u{1B}[2J\r\nclient: a line the client never wrote"
        let fields: [String: HeaderValue] = ["status": .string("error"), "error": .string(lie)]
        try connection.sendHeader(FrameHeader(fields: fields, totalSize: 0))
        let end = try client.finish(before: .now + runDeadline)
        #expect(end.status == 1)
        #expect(
            end.errorLines == [
                #"client: the server refused: \x1b[2J\r\nclient: a line the client never wrote"#
            ])
    }

    @Test("lesson07-client ends with one line when the server stays silent past --timeout")
    func silentServerFor07() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try LessonProcess(
            "lesson07-client",
            arguments: [
                "--port", "\(listener.address.port)", "--connections", "1", "--timeout", "0.2",
            ])
        let (connection, _) = try listener.accept()
        defer { connection.close() }
        client.send("echo hi\n")
        let started = ContinuousClock.now
        let end = try client.finish(before: .now + .seconds(5))
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(end.status == 1)
        #expect(
            end.errorLines == [
                #"client: no answer to "echo hi" on 1 of 1 connections within 0.20 s (--timeout)"#
            ])
    }
}

@Suite("Servers whose output has gone", .mayBlock)
struct GoneOutputTests {
    @Test("lesson09-server removes its fresh directory on SIGTERM even when its output has gone")
    func freshRootRemovedWithoutOutput() throws {
        let deadline = ContinuousClock.now + runDeadline
        let server = try LessonProcess("lesson09-server", arguments: ["--port", "0"])
        let serving = try server.waitForLine(containing: "server: serving ", before: deadline)
        let path = String(serving.dropFirst("server: serving ".count).prefix { $0 != " " })
        _ = try server.waitForLine(containing: "listening on", before: deadline)
        server.closeOutput()
        server.stop()
        _ = try server.waitForExit(before: deadline)
        #expect(!FileManager.default.fileExists(atPath: path))
        try? FileManager.default.removeItem(atPath: path)
    }

    @Test("lesson09-server that cannot listen removes the fresh directory it made")
    func freshRootRemovedWhenBindFails() throws {
        let taken = try TCPListener(host: "127.0.0.1", port: 0)
        defer { taken.close() }
        let server = try LessonProcess(
            "lesson09-server", arguments: ["--port", "\(taken.address.port)"])
        let end = try server.finish(before: .now + runDeadline)
        #expect(end.status == 1)
        let serving = try #require(end.lines.first { $0.hasPrefix("server: serving ") })
        let path = String(serving.dropFirst("server: serving ".count).prefix { $0 != " " })
        #expect(!FileManager.default.fileExists(atPath: path))
        try? FileManager.default.removeItem(atPath: path)
    }
}
