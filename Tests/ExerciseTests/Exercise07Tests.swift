import Foundation
import TestThreads
import Testing

@Suite("Exercise 07: one thread, many clients, poll", .mayBlock)
struct Exercise07Tests {
    @Test(
        "a loop that waits in recv for the rest of A's line fails by its check's deadline, reported as spinning, with a hint to one recv per POLLIN"
    )
    func waitingForAWholeLineFailsByTheDeadline() throws {
        let started = ContinuousClock.now
        let end = try runCheck(["7", "--wrong", "0"])
        #expect(ContinuousClock.now - started < .seconds(8))
        let expected: [String] = [
            "07 poll              serve many clients on one thread: failing",
            "     check:    answers B's \"hi\\n\" with \"HI\\n\" while A has sent \"hel\" and "
                + "gone quiet",
            "     expected: B gets \"HI\\n\" (3 bytes)",
            "     got:      B got \"\" (0 bytes) after 2.00 s; the loop is busy on the CPU "
                + "all the time (spinning)",
            "     hint:     the loop waited for the rest of A's line, and every other client "
                + "waited with it: after POLLIN, one recv, keep what came, back to poll "
                + "(Notes.md, lesson 07, Your turn)",
            "0 of 1 done, 1 failing",
        ]
        #expect(Array(end.lines.prefix(6)) == expected)
        #expect(end.status == 1)
    }

    @Test("a loop that keeps a closed socket in its poll list is reported as spinning")
    func closedSocketInThePollListSpins() throws {
        let end = try runCheck(["poll", "--wrong", "2"])
        let expected: [String] = [
            "     check:    closes a client that has closed, then waits for the next event "
                + "without spinning",
            "     expected: the loop waiting in poll after C closed",
            "     got:      busy on the CPU all the time (spinning)",
        ]
        #expect(Array(end.lines.prefix(4).dropFirst(1)) == expected)
        #expect(end.status == 1)
    }

    @Test(
        "a loop stuck in a send to a client that reads nothing leaves B unanswered, and is reported blocked"
    )
    func blockingSendLeavesBUnanswered() throws {
        let end = try runCheck(["7", "--wrong", "3"])
        let expected: [String] = [
            "     expected: B gets \"HI\\n\" (3 bytes)",
            "     got:      B got \"\" (0 bytes) after 2.00 s; the loop is blocked, waiting",
        ]
        #expect(Array(end.lines.dropFirst(2).prefix(2)) == expected)
        #expect(end.status == 1)
    }
}
