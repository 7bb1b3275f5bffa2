import TestThreads
import Testing

@testable import NetUtil

@Suite("The commands a lesson server answers itself", .mayBlock)
struct CommandsTests {
    @Test("seq gives the same lines as coreutils seq for whole numbers, with 1 to 3 arguments")
    func seqLikeCoreutils() {
        #expect(answer(to: bytes("seq 3")) == Answer(status: 0, output: bytes("1\n2\n3\n")))
        #expect(answer(to: bytes("seq  -2\t1")).output == bytes("-2\n-1\n0\n1\n"))
        #expect(answer(to: bytes("seq 10 -4 1")).output == bytes("10\n6\n2\n"))
        #expect(answer(to: bytes("seq 2 1")) == Answer(status: 0, output: []))
        let million = answer(to: bytes("seq 1 1000000")).output
        #expect(million.count == 6_888_896)
        #expect(crc32Text(million) == "37b08252")
    }

    @Test("seq near the largest whole number stops instead of overflowing")
    func seqAtTheEdge() {
        let top = Int.max
        #expect(
            answer(to: bytes("seq \(top - 1) \(top)")).output == bytes("\(top - 1)\n\(top)\n"))
        #expect(answer(to: bytes("seq \(Int.min) -1 \(Int.min)")).output == bytes("\(Int.min)\n"))
    }

    @Test("an answer that would pass 8 MiB is refused with status 1, before it is all made")
    func answersAreCapped() {
        let refusal = "the answer would be over 8388608 bytes, the most it may be\n"
        #expect(
            answer(to: bytes("seq 1 9223372036854775807"))
                == Answer(status: 1, output: bytes("seq: " + refusal)))
        #expect(
            answer(to: bytes("repeat 9223372036854775807 hi"))
                == Answer(status: 1, output: bytes("repeat: " + refusal)))
        #expect(answer(to: bytes("repeat 1398102 hello")).status == 1)  // 1398102 × 6 > 8 MiB
        #expect(answer(to: bytes("repeat 1398101 hello")).output.count == 8_388_606)
    }

    @Test("echo, upper and repeat give back their words, one space apart")
    func words() {
        #expect(answer(to: bytes("echo  a\tb ")).output == bytes("a b\n"))
        #expect(answer(to: bytes("upper héllo, world")).output == bytes("HéLLO, WORLD\n"))
        #expect(answer(to: bytes("repeat 3 ab c")).output == bytes("ab c\nab c\nab c\n"))
        #expect(answer(to: bytes("repeat 0 x")) == Answer(status: 0, output: []))
    }

    @Test("shell syntax is plain text: $(id), ; and | are echoed, and nothing runs")
    func noShell() {
        #expect(
            answer(to: bytes("echo $(id) `id` | cat; ls"))
                == Answer(status: 0, output: bytes("$(id) `id` | cat; ls\n")))
    }

    @Test("an unknown command, date -f FILE included, gets 127 and the list of commands")
    func unknown() {
        let list = "is not a command here; the commands are: echo, help, repeat, seq, time, upper\n"
        #expect(
            answer(to: bytes("date -f /etc/passwd"))
                == Answer(status: 127, output: bytes("\"date\" " + list)))
        #expect(answer(to: bytes("ls;")).output == bytes("\"ls;\" " + list))
        #expect(
            answer(to: bytes(" \t")) == Answer(status: 127, output: bytes("an empty line " + list)))
        #expect(answer(to: [0xFF, 0x0A]).output == bytes("\"\\xff\" " + list))
    }

    @Test("bad arguments get status 1 and the command's usage line")
    func badArguments() {
        #expect(
            answer(to: bytes("seq"))
                == Answer(status: 1, output: bytes("usage: seq [FIRST [STEP]] LAST\n")))
        #expect(answer(to: bytes("seq 1 0 3")).status == 1)
        #expect(answer(to: bytes("seq 1.5")).status == 1)
        #expect(answer(to: bytes("seq 1 2 3 4")).status == 1)
        #expect(answer(to: bytes("seq 99999999999999999999")).status == 1)
        #expect(
            answer(to: bytes("repeat -1 x"))
                == Answer(status: 1, output: bytes("usage: repeat COUNT WORDS\n")))
        #expect(answer(to: bytes("repeat 2")).status == 1)
        #expect(
            answer(to: bytes("time -f /etc/passwd"))
                == Answer(status: 1, output: bytes("usage: time\n")))
    }

    @Test("time prints the current UTC time as YYYY-MM-DD HH:MM:SS UTC")
    func clock() {
        let line = String(decoding: answer(to: bytes("time")).output, as: UTF8.self)
        #expect(line.count == 24 && line.hasSuffix(" UTC\n"))
        let year = Int(line.prefix(4)) ?? 0
        let now = time(nil) / 31_556_952 + 1970  // seconds in an average Gregorian year
        #expect(year == now || year == now - 1 || year == now + 1)
    }

    @Test("help lists every command with its usage")
    func help() {
        let lines = String(decoding: answer(to: bytes("help")).output, as: UTF8.self)
            .split(separator: "\n")
        #expect(lines.map { String($0.split(separator: " ")[0]) } == commandNames)
        #expect(lines.first == "echo WORDS               the words, one space apart")
    }
}
