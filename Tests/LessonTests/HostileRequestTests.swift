import Foundation
import LessonProcess
import NetUtil
import Testing

/// Requests an attacker would send, found by trying them on the built programs.
@Suite("Hostile requests cost one connection, never the server")
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
