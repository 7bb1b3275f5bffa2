import Foundation
import TestThreads
import Testing

@Suite("Exercise 09: a file's body through a fixed buffer, and not one byte more", .mayBlock)
struct Exercise09Tests {
    @Test(
        "a receiver that asks every recv for a whole buffer writes \"NEXT\" into the file and is told it took the next frame's bytes"
    )
    func askingForAWholeBufferIsNamed() throws {
        let end = try runCheck(["9", "--wrong", "0"])
        let check: String =
            "takes exactly a 100-byte body sent at once with \"NEXT\" behind it, and leaves "
            + "\"NEXT\" queued"
        let expected: String =
            "returned c850e15189ee11cd8535000b8d8fd6de, wrote the 100 bytes sent, left \"NEXT\" "
            + "(4 bytes) queued"
        let got: String =
            "returned a829d3a1185cd00043ad9d567d154e00, wrote the 100 bytes sent, then \"NEXT\" "
            + "(4 bytes)"
        let hint: String =
            "it asked recv for more than the body still lacks and took the next frame's bytes: "
            + "ask for min(buffer.count, totalSize - received) (Notes.md, lesson 09, Your turn)"
        let report: [String] = [
            "09 file-transfer     receive a file's body: failing",
            "     check:    \(check)",
            "     expected: \(expected)",
            "     got:      \(got)",
            "     hint:     \(hint)",
            "0 of 1 done, 1 failing",
        ]
        #expect(Array(end.lines.prefix(6)) == report)
        #expect(end.status == 1)
    }

    @Test(
        "a receiver that keeps the whole body in an array fails the memory check, its memory grown by more than 4 MiB"
    )
    func collectingTheBodyIsNamed() throws {
        let end = try runCheck(["9", "--wrong", "3"])
        let check: String =
            "moves an 8 MiB body through a 64 KiB buffer, its memory growing by under 4 MiB"
        let report: [String] = [
            "09 file-transfer     receive a file's body: failing",
            "     check:    \(check)",
            "     expected: memory growing by under 4.0 MiB",
        ]
        #expect(Array(end.lines.prefix(3)) == report)
        #expect(end.lines.dropFirst(3).first?.hasPrefix("     got:      memory grew by ") == true)
        #expect(end.lines.contains { $0.contains("held the whole body in memory") })
        #expect(end.status == 1)
    }
}
