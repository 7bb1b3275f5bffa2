import Foundation
import TestThreads
import Testing

@Suite("Exercise 08: a request ended by shutdown(SHUT_WR), and the whole answer", .mayBlock)
struct Exercise08Tests {
    @Test(
        "a client that never shuts down its sending half fails by its check's deadline, with a hint to shutdown(SHUT_WR)"
    )
    func neverShuttingDownFailsByTheDeadline() throws {
        let started = ContinuousClock.now
        let end = try runCheck(["8", "--wrong", "1"])
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(
            end.lines.prefix(6) == [
                "08 connection-end    ask, then read the whole answer: failing",
                "     check:    returns \"HELLO\" from a server that answers once it has read "
                    + "your request to its end",
                "     expected: an answer within 1.00 s",
                "     got:      still running after 1.00 s, blocked, waiting",
                "     hint:     the server is still waiting for the end of your request: did you "
                    + "shutdown(SHUT_WR)? (Notes.md, lesson 08, Your turn)",
                "0 of 1 done, 1 failing",
            ])
        #expect(end.status == 1)
    }

    @Test(
        "a client that closes in place of shutdown is told close() gave up its descriptor"
    )
    func closingInPlaceOfShutdownIsNamed() throws {
        let end = try runCheck(["connection-end", "--wrong", "0"])
        #expect(
            end.lines.prefix(4).dropFirst(2) == [
                "     expected: \"HELLO\" (5 bytes)",
                "     got:      throws failed(call: \"recv\", errno: \(EBADF)), and its "
                    + "descriptor closed",
            ])
        #expect(
            end.lines.dropFirst(4).first?.hasPrefix("     hint:     close() instead of") == true)
        #expect(end.status == 1)
    }
}
