import Foundation
import LessonProcess
import Testing

@Suite("The workbook runner: both sides in one terminal, in causal order")
struct WorkbookTests {
    @Test("lesson 01 shows the client's send before the server's recv calls, each line timestamped")
    func lesson01InOrder() throws {
        let end = try runWorkbook(["1"])
        let lines = end.lines.map(withoutTimestamp)
        #expect(end.status == 0)
        #expect(
            lines.first
                == "Lesson 01 · recv-partial: recv takes at most what you ask for; the rest waits in the kernel"
        )
        try expectInOrder(
            lines,
            [
                "server: listening on 127.0.0.1:",
                "client: connected to 127.0.0.1:",
                "client: send(\"hello\") -> 5 bytes",
                "server: recv(2) -> \"he\" (2 bytes), 3 still queued",
                "server: recv(2) -> \"ll\" (2 bytes), 1 still queued",
                "server: recv(1) -> \"o\" (1 byte), 0 still queued",
            ])
        #expect(lines.contains("client: close()"))
        #expect(end.lines.dropFirst().allSatisfy { timestampLength($0) != nil })
    }

    @Test(
        "lesson 03 shows the server's recv of \"hello\" after the client's send, \"\" after its close"
    )
    func lesson03InOrder() throws {
        let end = try runWorkbook(["recv-eof"])
        let lines = end.lines.map(withoutTimestamp)
        #expect(end.status == 0)
        try expectInOrder(
            lines,
            [
                "server: listening on 127.0.0.1:",
                "client: send(\"hello\") -> 5 bytes",
                "server: recv(1024) -> \"hello\" (5 bytes), 0 still queued",
                "server: recv(1024) -> \"\" (0 bytes: peer closed)",
                "server: recv(1024) -> \"\" (0 bytes: peer closed)",
                "server: 1000 more recv(1024) calls returned \"\" in ",
            ])
        try expectInOrder(lines, ["client: close()", "server: recv(1024) -> \"\" (0 bytes"])
    }

    @Test("output to a pipe has no colour codes")
    func plainWhenPiped() throws {
        let end = try runWorkbook(["03"])
        #expect(!end.lines.contains { $0.contains("\u{1B}[") })
    }

    @Test("no lesson process outlives a run of every lesson")
    func noChildLeftAfterAll() throws {
        let end = try runWorkbook(["--verbose", "all"])
        #expect(end.status == 0)
        let pids = childPids(in: end.lines)
        #expect(pids.count == 2 * 7)  // a server and a client for each of the seven lessons
        for pid in pids { #expect(isGone(pid), "pid \(pid) is still there") }
        #expect(end.lines.filter { $0.hasPrefix("Lesson ") }.count == 7)
    }

    @Test("Ctrl-C while lesson 02 holds its connection stops both lesson processes")
    func interruptLeavesNoChild() throws {
        let deadline = ContinuousClock.now + .seconds(15)
        let workbook = try LessonProcess("workbook", arguments: ["--verbose", "2"])
        var lines: [String] = []
        while let line = try workbook.nextLine(before: deadline) {
            lines.append(line)
            if line.contains("client: holding the connection open") { break }
        }
        let pids = childPids(in: lines)
        #expect(pids.count == 2)
        kill(workbook.pid, SIGINT)
        let end = try workbook.finish(before: deadline)
        #expect(end.status == 128 + SIGINT)
        #expect(end.errorLines == ["workbook: stopped; no lesson process is left running"])
        for pid in pids { #expect(isGone(pid), "pid \(pid) is still there") }
    }

    @Test(
        "the quiz marks a right piped answer right and a wrong one wrong, from the run's own lines")
    func quizMarks() throws {
        let end = try runWorkbook(["quiz", "1"], input: "\"ll\"\n7\n")
        #expect(end.status == 0)
        #expect(end.lines.contains("   you: \"ll\""))
        #expect(end.lines.contains("1. right: you said \"ll\", the run shows \"ll\""))
        #expect(end.lines.contains("2. wrong: you said 7, the run shows 3"))
        #expect(end.lines.last == "You predicted 1 of 2.")
    }

    @Test("the quiz accepts a number within the tolerance and a yes/no in any case")
    func quizTolerance() throws {
        let end = try runWorkbook(["quiz", "03"], input: "5 bytes\n\"\"\nYes\n")
        #expect(end.lines.contains("1. right: you said 5 bytes, the run shows 5"))
        #expect(end.lines.contains("2. right: you said \"\", the run shows \"\""))
        #expect(end.lines.contains("3. wrong: you said Yes, the run shows no"))
    }

    @Test("an unknown lesson gets one error line listing the valid lessons, and exit 2")
    func unknownLesson() throws {
        let end = try runWorkbook(["99"])
        #expect(end.lines == [])
        #expect(
            end.errorLines == [
                "workbook: no lesson is called \"99\"; the lessons are 01 (recv-partial), 02 (recv-block), 03 (recv-eof), 04 (sticky-packet), 05 (header-framing), 06 (udp), 09 (file-transfer), or all"
            ])
        #expect(end.status == 2)
    }

    @Test("with no arguments, the runner lists each lesson with its two commands")
    func listing() throws {
        let end = try runWorkbook([])
        #expect(end.status == 0)
        #expect(
            end.lines.contains(
                "  02  recv-block: an empty receive buffer makes recv wait while the peer is open"))
        #expect(end.lines.contains("      swift run lesson02-server        (terminal 1)"))
        #expect(end.lines.contains("      swift run lesson02-client        (terminal 2)"))
    }
}

/// The length of the `+0.003s ` a lesson line starts with, or nil if it has none.
func timestampLength(_ line: String) -> Int? {
    guard line.hasPrefix("+"), let end = line.firstIndex(of: " ") else { return nil }
    let parts = line.dropFirst().prefix { $0 != " " }.split(separator: ".")
    guard parts.count == 2, Int(parts[0]) != nil, parts[1].count == 4, parts[1].hasSuffix("s"),
        Int(parts[1].dropLast()) != nil
    else { return nil }
    return line.distance(from: line.startIndex, to: end) + 1
}

func withoutTimestamp(_ line: String) -> String {
    timestampLength(line).map { String(line.dropFirst($0)) } ?? line
}

/// Runs the workbook to its end with `input` on standard input.
func runWorkbook(_ arguments: [String], input: String? = nil) throws -> LessonProcess.Finished {
    let workbook = try LessonProcess("workbook", arguments: arguments)
    if let input { workbook.send(input) }
    return try workbook.finish(before: .now + .seconds(15))
}

/// Checks that a line starting with each of `prefixes` appears, in this order.
func expectInOrder(
    _ lines: [String], _ prefixes: [String], sourceLocation: SourceLocation = #_sourceLocation
) throws {
    var from = 0
    for prefix in prefixes {
        let found = lines[from...].firstIndex { $0.hasPrefix(prefix) }
        let index = try #require(
            found, "no line starting \(prefix) after line \(from) in \(lines)",
            sourceLocation: sourceLocation)
        from = index + 1
    }
}

/// The pids from the `workbook: lesson01-server is pid 4242` lines.
func childPids(in lines: [String]) -> [pid_t] {
    lines.compactMap { line in
        guard line.hasPrefix("workbook: "), let range = line.range(of: " is pid ") else {
            return nil
        }
        return pid_t(line[range.upperBound...])
    }
}

/// True when no process, not even an unreaped zombie, has this pid.
func isGone(_ pid: pid_t) -> Bool {
    kill(pid, 0) == -1 && errno == ESRCH
}
