import Foundation
import LessonProcess
import NetUtil
import TestThreads
import Testing

/// The test plays lesson 05's server by hand, to make it misbehave: silent,
/// half an answer, an answer nobody asked for, a damaged body, hostile bytes.
struct FakeFramingServer {
    let listener: TCPListener
    let client: LessonProcess
    let deadline = ContinuousClock.now + runDeadline

    /// Starts lesson05-client against a listener of the test's own.
    init(_ arguments: [String] = []) throws {
        listener = try TCPListener(host: "127.0.0.1", port: 0)
        client = try LessonProcess(
            "lesson05-client", arguments: ["--port", "\(listener.address.port)"] + arguments)
    }

    /// Accepts the client's connection; no recv on it waits for ever.
    func accept() throws -> Socket {
        let (connection, _) = try listener.accept()
        try connection.setReceiveTimeout(seconds: 10)
        return connection
    }

    /// Types `command` into the client and receives its request frame.
    func request(_ command: String, on connection: Socket) throws -> [UInt8]? {
        client.send(command + "\n")
        var decoder = FrameDecoder(maximumBodySize: 1024)
        return try connection.receiveFrame(&decoder, recvSize: 1024)?.body
    }
}

/// The 4-byte big-endian length and the header text, exactly as given.
func rawFramePrefix(_ header: String) -> [UInt8] {
    withUnsafeBytes(of: UInt32(header.utf8.count).bigEndian, Array.init) + Array(header.utf8)
}

@Suite("Lesson 05 · the client does not trust the server", .mayBlock)
struct Lesson05ClientTests {
    @Test("a silent server ends the client after --timeout with one line naming the command")
    func silentServer() throws {
        let server = try FakeFramingServer(["--timeout", "0.3"])
        let connection = try server.accept()
        let started = ContinuousClock.now
        #expect(try server.request("echo hi", on: connection) == bytes("echo hi"))
        let end = try server.client.finish(before: server.deadline)
        #expect(end.errorLines == [#"client: no answer to "echo hi" within 0.30 s (--timeout)"#])
        #expect(end.status == 1)
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test(
        "half a header and then silence ends the client after --timeout, saying it stopped part-way"
    )
    func halfHeader() throws {
        let server = try FakeFramingServer(["--timeout", "0.3"])
        let connection = try server.accept()
        _ = try server.request("echo hi", on: connection)
        _ = try connection.sendAll(Array(rawFramePrefix(#"{"total_size":3}"#).prefix(9)))
        let end = try server.client.finish(before: server.deadline)
        #expect(
            end.errorLines == [
                #"client: the server went silent part-way through the answer to "echo hi" for 0.30 s (--timeout)"#
            ])
        #expect(end.status == 1)
    }

    @Test("--timeout defaults to 10 s, and 0 means waiting for ever, as --help says")
    func timeoutHelp() throws {
        let help = try runAlone("lesson05-client", ["--help"]).lines
        #expect(
            help.contains(
                "  --timeout SECONDS   how long the server may stay silent [0.001 to 86400; 0: wait for ever] (default 10)"
            ))
    }

    @Test("a frame that arrives before any request is reported as unsolicited, and nothing is sent")
    func unsolicited() throws {
        let server = try FakeFramingServer()
        let connection = try server.accept()
        // Over loopback the frame is in the client's receive queue when sendFrame returns.
        try connection.sendFrame(Frame(fields: ["error": .string("busy")], body: bytes("hi\n")))
        server.client.send("echo hi\n")
        let end = try server.client.finish(before: server.deadline)
        #expect(
            end.lines == [
                "client: connected to 127.0.0.1:\(server.listener.address.port)",
                #"client: unsolicited: header {"error":"busy","total_size":3}, body "hi\n""#,
            ])
        #expect(
            end.errorLines == [
                #"client: the server sent a frame nobody asked for (found before sending "echo hi"): an unsolicited frame would make every later answer one behind"#
            ])
        #expect(end.status == 1)
    }

    @Test(
        "the send line shows the command, and CR, LF and escape bytes from the server never start a line of their own"
    )
    func escapedPeerBytes() throws {
        let server = try FakeFramingServer()
        let connection = try server.accept()
        #expect(try server.request("echo hi", on: connection) == bytes("echo hi"))
        let body = bytes("one\rtwo\u{1b}[2J\nthree\n")
        let header =
            "{\"total_size\":\(body.count),\r\n\"crc32\":\"\(crc32Text(body))\","
            + "\n\"x\":\"client: fake\"}"
        _ = try connection.sendAll(rawFramePrefix(header) + body)
        server.client.closeInput()
        let end = try server.client.finish(before: server.deadline)
        let port = server.listener.address.port
        #expect(
            end.lines == [
                "client: connected to 127.0.0.1:\(port)",
                #"client: sendmsg(length + header {"total_size":7} + body "echo hi") -> 27 bytes"#,
                "client: header length \(header.utf8.count)",
                #"client: header {"total_size":18,\r\n"crc32":"\#(crc32Text(body))",\n"x":"client: fake"}"#,
                "client: body 18 bytes, crc32 ok",
                #"one\rtwo\x1b[2J"#,
                "three",
                "client: close()",
            ])
        #expect(end.status == 0)
    }

    @Test("a body that does not match its crc32 is an error naming the command, exit 1")
    func crcMismatch() throws {
        let server = try FakeFramingServer()
        let connection = try server.accept()
        _ = try server.request("echo hi", on: connection)
        try connection.sendFrame(Frame(fields: ["crc32": .string("00000000")], body: bytes("hi\n")))
        let end = try server.client.finish(before: server.deadline)
        #expect(
            end.lines.last
                == "client: body 3 bytes, crc32 MISMATCH (body gives \(crc32Text(bytes("hi\n"))))")
        #expect(!end.lines.contains("hi"))
        #expect(
            end.errorLines == [
                #"client: the answer to "echo hi" is damaged: its body does not match its crc32"#
            ])
        #expect(end.status == 1)
    }

    @Test(
        "--max-body is at most 1 GiB: a larger one is refused, and a server claiming 1 GiB then hanging up costs one error line"
    )
    func maxBodyRange() throws {
        let huge = try runAlone("lesson05-client", ["--max-body", "9223372036854775807"])
        #expect(
            huge.errorLines == [
                #"client: --max-body: "9223372036854775807" is not a whole number from 1 to 1073741824"#
            ])
        #expect(huge.status == 2)

        let server = try FakeFramingServer(["--max-body", "1073741824"])
        let connection = try server.accept()
        _ = try server.request("echo hi", on: connection)
        _ = try connection.sendAll(rawFramePrefix(#"{"total_size":1073741824}"#) + bytes("abc"))
        connection.close()
        let end = try server.client.finish(before: server.deadline)
        #expect(
            end.errorLines == [
                "client: the connection ended part-way through the body: 3 of 1073741824 bytes"
            ])
        #expect(end.status == 1)
    }

    @Test(
        "pointed at lesson 04's unframed server, the client says the answer looks like text, not a frame"
    )
    func lesson04Server() throws {
        let deadline = ContinuousClock.now + runDeadline
        let server = try LessonProcess(
            "lesson04-server", arguments: ["--port", "0", "--demo", "spill"])
        let port = try #require(
            listeningPort(try server.waitForLine(containing: "listening on", before: deadline)))
        let client = try LessonProcess("lesson05-client", arguments: ["--port", "\(port)"])
        client.send("seq 1 3\n")
        let end = try client.finish(before: deadline)
        #expect(end.errorLines.count == 1)
        let line = try #require(end.errorLines.first)
        #expect(line.hasPrefix("client: header length "))
        #expect(
            line.hasSuffix(
                "; this looks like text, not a frame (does the sender frame its messages?)"))
        #expect(end.status == 1)
    }

    @Test("pointed at a plain-text server, the client says the answer looks like text, not a frame")
    func plainTextServer() throws {
        let server = try FakeFramingServer()
        let connection = try server.accept()
        _ = try server.request("seq 1 3", on: connection)
        _ = try connection.sendAll(bytes("1\n2\n3\n"))
        let end = try server.client.finish(before: server.deadline)
        #expect(
            end.errorLines == [
                #"client: header length 822751754 exceeds 65536: its 4 bytes are the text "1\n2\n"; this looks like text, not a frame (does the sender frame its messages?)"#
            ])
        #expect(end.status == 1)
    }
}
