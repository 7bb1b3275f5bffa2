import Foundation
import LessonProcess
import TestThreads
import Testing

@Suite("Lesson 05 · the tutorial's client bugs, fixed", .mayBlock)
struct Lesson05TutorialBugTests {
    @Test("a whitespace-only line sends nothing, so every later answer is its own command's")
    func blankLinesKeepAnswersInStep() throws {
        let server = try FramingServer()
        let end = try server.client("   \necho hi\n \t \necho there\nq\n")
        // Two commands, two frames out; the blank lines never reach the server.
        #expect(end.lines.filter { $0.hasPrefix("client: sendmsg(") }.count == 2)
        // The tutorial's client sends a blank line but skips its answer, so
        // "echo hi" would print the blank line's answer, one frame late.
        #expect(end.lines.filter { !$0.hasPrefix("client: ") } == ["hi", "there"])
        #expect(end.status == 0)
    }
}
