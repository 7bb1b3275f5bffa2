import Testing

@testable import NetUtil

@Suite("Running a client's command")
struct CommandTests {
    @Test("an allowed command runs with its arguments and returns its output and exit status 0")
    func allowed() {
        let result = runCommand("seq  1\t3", timeLimit: 5, outputCap: 1000)
        #expect(result == CommandResult(output: bytes("1\n2\n3\n"), status: 0))
    }

    @Test(
        "shell syntax is not special: \"ls;\" is not an allowed program and $(id) is printed as is")
    func noShell() {
        #expect(
            runCommand("ls; rm -rf /tmp/x", timeLimit: 5, outputCap: 1000)
                == CommandResult(
                    output: bytes(
                        "\"ls;\" is not allowed; the commands allowed are: echo, date, uname, whoami, pwd, seq, ls\n"
                    ), status: 127))
        #expect(
            runCommand("echo $(id) `id` | cat", timeLimit: 5, outputCap: 1000)
                == CommandResult(output: bytes("$(id) `id` | cat\n"), status: 0))
    }

    @Test("a command off the list, or an empty line, gets 127 and runs nothing")
    func refused() {
        #expect(runCommand("rm -rf /", timeLimit: 5, outputCap: 1000).status == 127)
        #expect(
            runCommand("  ", timeLimit: 5, outputCap: 1000).output
                == bytes(
                    "an empty command is not allowed; the commands allowed are: echo, date, uname, whoami, pwd, seq, ls\n"
                ))
    }

    @Test("the output is standard output first, then standard error")
    func outputOrder() {
        let result = runCommand("ls -d / /no-such-file", timeLimit: 5, outputCap: 1000)
        #expect(
            result
                == CommandResult(
                    output: bytes(
                        "/\nls: cannot access '/no-such-file': No such file or directory\n"),
                    status: 2))
    }

    @Test("past the output cap the command is killed and a note says where the output was cut")
    func outputCap() {
        let result = runCommand("seq 1 1000000", timeLimit: 5, outputCap: 100)
        let kept = Array((1...1000).map { "\($0)\n" }.joined().utf8.prefix(100))
        #expect(result.output == kept + bytes("seq: output cut at the cap of 100 bytes\n"))
        #expect(result.status == 128 + SIGKILL)
    }

    @Test("past the time limit the command is killed and a note names the limit")
    func timeLimit() {
        let started = ContinuousClock.now
        let result = runCommand("sleep 10", allowed: ["sleep"], timeLimit: 0.1, outputCap: 100)
        #expect(result.output == bytes("sleep: stopped after the time limit of 0.10 s\n"))
        #expect(result.status == 128 + SIGKILL)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("a command that writes more to standard error than a pipe holds never blocks")
    func bigStandardError() {
        let names = (1...2000).map { "/no-such-file-\($0)" }
        let result = runCommand(
            "ls " + names.joined(separator: " "), timeLimit: 5, outputCap: 1 << 20)
        let expected = names.map { "ls: cannot access '\($0)': No such file or directory\n" }
        #expect(result.output.count == expected.joined().utf8.count)
        #expect(result.output.count > 65536)
        #expect(result.status == 2)
    }

    #if os(Linux)
        @Test("a command inherits no descriptor but 0, 1 and 2, even while sockets are open")
        func noInheritedSockets() throws {
            let (one, other) = makeSocketPair()
            let listener = try TCPListener(host: "127.0.0.1", port: 0)
            // ls itself opens descriptor 3 to read the directory.
            let result = runCommand("ls /proc/self/fd", timeLimit: 5, outputCap: 1000)
            #expect(result == CommandResult(output: bytes("0\n1\n2\n3\n"), status: 0))
            _ = (one, other, listener)
        }
    #endif
}
