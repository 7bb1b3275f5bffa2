import Foundation
import NetUtil
import TestThreads
import Testing

/// Slowloris: a client that keeps a request coming, one byte at a time, each
/// just in time for a per-`recv` timeout. Only a bound on the whole request
/// (or on each 256 KiB of a body) lets the server go.
@Suite("Slow clients: a bound per request, not per recv", .mayBlock)
struct SlowClientTests {
    @Test(
        "with --idle 1, lesson05-server cuts off a client trickling a frame one byte every 0.2 s within the bound, with one line"
    )
    func lesson05TrickledFrame() throws {
        let server = try FramingServer(["--idle", "1"])
        let connection = try server.connect()
        let port = try connection.localAddress().port
        _ = try server.process.waitForLine(containing: ":\(port): ", before: server.deadline)
        let frame =
            [0, 0, 0, 200, UInt8(ascii: "{")] + Array(repeating: UInt8(ascii: " "), count: 30)
        let lasted = trickle(frame, on: connection)
        #expect(lasted < .seconds(2), "the connection lasted \(lasted)")
        #expect(
            try server.process.waitForLine(containing: ":\(port): ", before: server.deadline)
                == "server: 127.0.0.1:\(port): too slow: a frame not complete within 1.00 s (--idle); closing this connection"
        )
        #expect(try server.client("echo still here\n").lines.contains("still here"))
    }

    @Test(
        "with --timeout 1, lesson09-server cuts off a client trickling its request header one byte every 0.2 s within the bound, with one line"
    )
    func lesson09TrickledHeader() throws {
        let server = try FileServer(["--timeout", "1"])
        let connection = try connectTCP(host: "127.0.0.1", port: server.port).connection
        let port = try connection.localAddress().port
        try server.waitForLine(containing: ":\(port): connected")
        let header = FrameHeader(fields: ["op": .string("list")], totalSize: 0).prefix
        let lasted = trickle(header, on: connection)
        #expect(lasted < .seconds(2), "the connection lasted \(lasted)")
        #expect(
            try server.waitForLine(containing: ":\(port): ")
                == "server: 127.0.0.1:\(port): too slow: the request header not complete within 1.00 s (--timeout); closing this connection"
        )
        #expect(try server.list() == [])
    }

    @Test(
        "with --timeout 1, lesson09-server cuts off an upload trickling its body one byte every 0.2 s, since each 256 KiB of body must arrive within the bound"
    )
    func lesson09TrickledBody() throws {
        let server = try FileServer(["--timeout", "1"])
        let connection = try connectTCP(host: "127.0.0.1", port: server.port).connection
        let port = try connection.localAddress().port
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 30)
        try connection.sendHeader(
            FrameHeader(
                fields: [
                    "op": .string("put"), "filename": .string("f"), "MD5": .string(MD5.hex(body)),
                ],
                totalSize: body.count))
        try server.waitForLine(containing: #""op":"put""#)
        let lasted = trickle(body, on: connection)
        #expect(lasted < .seconds(2), "the connection lasted \(lasted)")
        #expect(
            try server.waitForLine(containing: "too slow")
                == "server: 127.0.0.1:\(port): too slow: 256 KiB of body not complete within 1.00 s (--timeout); closing this connection"
        )
        #expect(try server.list() == [])
    }

    @Test(
        "with --timeout 1, a steady 1 MiB upload taking 1.4 s is stored whole: the bound is per 256 KiB, not per upload"
    )
    func lesson09SteadyUpload() throws {
        let server = try FileServer(["--timeout", "1"])
        let connection = try connectTCP(host: "127.0.0.1", port: server.port).connection
        try connection.setReceiveTimeout(seconds: 10)
        let body = testBytes(1 << 20)
        try connection.sendHeader(
            FrameHeader(
                fields: [
                    "op": .string("put"), "filename": .string("steady"),
                    "MD5": .string(MD5.hex(body)),
                ],
                totalSize: body.count))
        let started = ContinuousClock.now
        // 128 KiB every 0.2 s: each 256 KiB takes 0.4 s, well inside the
        // bound of 1 s, and the whole 1 MiB 1.4 s, well past it.
        for start in stride(from: 0, to: body.count, by: 128 << 10) {
            if start > 0 { sleep(seconds: 0.2) }
            _ = try connection.sendAll(Array(body[start..<(start + (128 << 10))]))
        }
        let answer = try #require(try connection.receiveHeader())
        #expect(ContinuousClock.now - started > .seconds(1.4))
        #expect(answer.string("status") == "ok", "\(String(decoding: answer.json, as: UTF8.self))")
        #expect(try server.list() == ["steady"])
    }
}

/// Sends `bytes` one at a time, one every 0.2 s, until the server closes the
/// connection or the bytes run out. Returns how long the connection lasted
/// from the first byte: at most the time the bytes take, here several seconds.
func trickle(_ bytes: [UInt8], on connection: Socket) -> Duration {
    let started = ContinuousClock.now
    for byte in bytes {
        guard (try? connection.sendAll([byte])) != nil else { break }
        sleep(seconds: 0.2)
        // The server's close (or reset) makes the socket readable.
        if connection.hasInput() { break }
    }
    return ContinuousClock.now - started
}
