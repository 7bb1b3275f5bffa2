import Foundation
import LessonProcess
import NetUtil
import TestThreads
import Testing

@Suite("Lesson 03 · after the peer closes, recv returns \"\" at once, for ever", .mayBlock)
struct Lesson03Tests {
    @Test("recv returns \"hello\", then \"\" at the end of the stream, then \"\" again")
    func emptyAfterEnd() throws {
        let run = try runLesson("03")
        #expect(run.server.count == 6)
        #expect(
            Array(run.server[2...4]) == [
                "server: recv(1024) -> \"hello\" (5 bytes), 0 still queued",
                "server: recv(1024) -> \"\" (0 bytes: peer closed)",
                "server: recv(1024) -> \"\" (0 bytes: peer closed)",
            ])
        #expect(run.serverStatus == 0 && run.clientStatus == 0)
    }

    @Test("a loop that ignores \"\" spins: 1000 more recv calls all return \"\" without blocking")
    func loopSpins() throws {
        let run = try runLesson("03")
        let line = try #require(run.server.last)
        let spun = try #require(
            secondsBetween(
                "server: 1000 more recv(1024) calls returned \"\" in ",
                " ms: a loop that ignores \"\" spins",
                in: line),
            "unexpected line: \(line)")
        // A thousand calls that each blocked would take far longer than a second.
        #expect(spun < 1000)
    }

    @Test("--spins sets how many extra recv calls the server makes")
    func spinCount() throws {
        let run = try runLesson("03", server: ["--spins", "5"])
        #expect(
            run.server.last?.hasPrefix("server: 5 more recv(1024) calls returned \"\" in ") == true)
    }

    @Test(
        "with --client-timeout 0.3, lesson03-server ends with one line on a client that connects and sends nothing"
    )
    func clientTimeout() throws {
        let (end, waited) = try endingOnSilentClient("lesson03-server")
        #expect(waited >= .milliseconds(300))
        #expect(
            end.errorLines == [
                "server: recv(1024): timed out (EAGAIN): no data arrived within the receive timeout"
            ])
        #expect(end.status == 1)
    }
}
