import Foundation
import LessonProcess
import NetUtil
import TestThreads
import Testing

/// Every lesson program, server and client.
let everyProgram = (1...6).flatMap { number in
    ["server", "client"].map { "lesson0\(number)-\($0)" }
}

@Suite("Flags: ranges, zero and duplicates, in every program", .mayBlock)
struct FlagLimitTests {
    @Test(
        "every program's --help gives each number flag its range, and says what 0 means wherever 0 is accepted",
        arguments: everyProgram)
    func rangesInHelp(program: String) throws {
        let end = try runAlone(program, ["--help"])
        #expect(end.status == 0)
        let numbers = end.lines.filter { $0.contains(" SECONDS  ") || $0.contains(" N  ") }
        for line in numbers {
            let range = try #require(line.firstRange(of: /\[(0|1|0\.001) to \d+(; 0: [^\]]+)?\]/))
            let text = line[range]
            // 0 is in the range of a count only with a meaning, and a duration says it separately.
            #expect(text.hasPrefix("[0 to") == text.contains("; 0: ") || text.hasPrefix("[0.001"))
        }
    }

    @Test("a flag given twice is refused in one line, with exit status 2")
    func duplicate() throws {
        let end = try runAlone("lesson06-client", ["--timeout", "1", "--timeout=2"])
        #expect(end.errorLines == ["client: --timeout is given twice; give it once"])
        #expect(end.status == 2)
    }

    @Test(
        "a positive duration under 1 ms is refused, so --timeout 0.0000004 never means no timeout",
        arguments: [
            ("lesson06-client", "timeout"), ("lesson02-server", "timeout"),
            ("lesson05-client", "timeout"),
        ])
    func tinyDuration(program: String, flag: String) throws {
        let end = try runAlone(program, ["--\(flag)", "0.0000004"])
        let role = program.hasSuffix("server") ? "server" : "client"
        #expect(
            end.errorLines == [
                "\(role): --\(flag): \"0.0000004\" is not a number of seconds from 0.001 to 86400, or 0"
            ])
        #expect(end.status == 2)
    }
}

@Suite("framing-bench's command line", .mayBlock)
struct BenchFlagTests {
    @Test(
        "framing-bench refuses a size, count or run number out of its range, even one that would overflow, in one line"
    )
    func ranges() throws {
        for (flag, value, range) in [
            ("--size", "9999999999G", "1 to 4294967296"), ("--size", "0", "1 to 4294967296"),
            ("--count", "9223372036854775807", "1 to 1000000"), ("--runs", "101", "1 to 100"),
        ] {
            let end = try LessonProcess("framing-bench", arguments: [flag, value])
                .finish(before: .now + .seconds(15))
            #expect(end.errorLines == ["framing-bench: \(flag) needs a whole number from \(range)"])
            #expect(end.status == 2)
        }
    }
}
