import TestThreads
import Testing

@testable import NetUtil

@Suite("Command-line flags", .mayBlock)
struct FlagTests {
    let lessonFlags: [Flag] = [
        .seconds("hold", default: 20, help: "hold"),
        .seconds("timeout", help: "timeout"),
        .count("spins", default: 1000, maximum: 5000, help: "spins"),
    ]

    func parse(_ arguments: [String]) throws(FlagError) -> Options? {
        try parseFlags(arguments, defaultHost: "127.0.0.1", defaultPort: 7070, flags: lessonFlags)
    }

    @Test("with no flags, the defaults apply and an optional flag is off")
    func defaults() throws {
        let options = try #require(try parse([]))
        #expect(options.host == "127.0.0.1" && options.port == 7070)
        #expect(options.seconds("hold") == 20 && options.seconds("timeout") == nil)
        #expect(options.count("spins") == 1000)
    }

    @Test("--name value and --name=value both set a flag")
    func bothSpellings() throws {
        let options = try #require(
            try parse(["--port", "0", "--hold=0.5", "--host", "::1", "--timeout", "2"]))
        #expect(options.port == 0 && options.host == "::1")
        #expect(options.seconds("hold") == 0.5 && options.seconds("timeout") == 2)
    }

    @Test("a bare -- before the flags is ignored")
    func doubleDash() throws {
        let options = try #require(try parse(["--", "--hold", "3"]))
        #expect(options.seconds("hold") == 3)
    }

    @Test("--help asks for the usage text instead of options")
    func help() throws {
        #expect(try parse(["--port", "1", "--help"]) == nil)
        let text = usage(
            program: "lesson02-client", role: "client", summary: "s", port: 7070, flags: lessonFlags
        )
        #expect(text.contains("  --hold SECONDS     hold [0.001 to 86400] (default 20)"))
        #expect(
            text.contains(
                "usage: lesson02-client [--host HOST] [--port PORT] [--hold SECONDS] [--timeout SECONDS] [--spins N]"
            ))
    }

    @Test("bad flags each get one line naming the problem")
    func badFlags() {
        #expect(throws: FlagError.unknown("--prot")) { try parse(["--prot", "1"]) }
        #expect(throws: FlagError.unknown("extra")) { try parse(["extra"]) }
        #expect(throws: FlagError.missingValue(flag: "port")) { try parse(["--port"]) }
        #expect(
            throws: FlagError.malformed(
                flag: "port", value: "70000", expected: "a port number (0 to 65535)")
        ) {
            try parse(["--port", "70000"])
        }
        #expect(
            throws: FlagError.malformed(
                flag: "hold", value: "-1", expected: "a number of seconds from 0.001 to 86400")
        ) {
            try parse(["--hold", "-1"])
        }
        #expect(
            throws: FlagError.malformed(
                flag: "spins", value: "0", expected: "a whole number from 1 to 5000")
        ) {
            try parse(["--spins", "0"])
        }
        #expect(FlagError.unknown("--prot").description == "unknown flag \"--prot\" (try --help)")
        #expect(
            FlagError.malformed(flag: "port", value: "x", expected: "a port").description
                == "--port: \"x\" is not a port")
    }

    /// The kinds lesson 06 added: a choice, a switch, a count with a limit.
    let udpFlags: [Flag] = [
        .choice("reply", values: ["upper", "echo"], help: "reply"),
        .boolean("connect", help: "connect"),
        .count("buffer", default: 1024, maximum: 65_536, help: "buffer"),
    ]

    func parseUDP(_ arguments: [String]) throws(FlagError) -> Options? {
        try parseFlags(arguments, defaultHost: "127.0.0.1", defaultPort: 7090, flags: udpFlags)
    }

    @Test("a choice is off unless given, and takes one of its words")
    func choice() throws {
        #expect(try #require(try parseUDP([])).choice("reply") == nil)
        #expect(try #require(try parseUDP(["--reply", "echo"])).choice("reply") == "echo")
        #expect(try #require(try parseUDP(["--reply=upper"])).choice("reply") == "upper")
        #expect(
            throws: FlagError.malformed(
                flag: "reply", value: "loud", expected: "one of upper, echo")
        ) {
            try parseUDP(["--reply", "loud"])
        }
    }

    @Test("a switch is on when given, takes no value, and leaves the next argument alone")
    func boolean() throws {
        #expect(try #require(try parseUDP([])).isOn("connect") == false)
        let options = try #require(try parseUDP(["--connect", "--port", "7"]))
        #expect(options.isOn("connect") && options.port == 7)
        #expect(throws: FlagError.unexpectedValue(flag: "connect")) {
            try parseUDP(["--connect=yes"])
        }
        #expect(
            FlagError.unexpectedValue(flag: "connect").description
                == "--connect takes no value; give it alone to turn it on")
    }

    @Test("a count with a maximum refuses a larger number and names the range")
    func countMaximum() throws {
        #expect(try #require(try parseUDP(["--buffer", "65536"])).count("buffer") == 65_536)
        #expect(
            throws: FlagError.malformed(
                flag: "buffer", value: "65537", expected: "a whole number from 1 to 65536")
        ) {
            try parseUDP(["--buffer", "65537"])
        }
    }

    @Test("--help shows a choice as its words and a switch with no value")
    func usageOfNewKinds() {
        let text = usage(
            program: "lesson06-client", role: "client", summary: "s", port: 7090, flags: udpFlags)
        #expect(
            text.contains(
                "usage: lesson06-client [--host HOST] [--port PORT] "
                    + "[--reply upper|echo] [--connect] [--buffer N]"))
        #expect(text.contains("  --connect           connect\n"))
    }

    @Test("a choice flag takes one of its listed words and defaults to the one named")
    func choiceWithDefault() throws {
        let flags: [Flag] = [
            .choice("demo", values: ["merge", "spill"], default: "merge", help: "which demo")
        ]
        func parse(_ arguments: [String]) throws(FlagError) -> Options? {
            try parseFlags(arguments, defaultHost: "127.0.0.1", defaultPort: 7070, flags: flags)
        }
        #expect(try parse([])?.choice("demo") == "merge")
        #expect(try parse(["--demo", "spill"])?.choice("demo") == "spill")
        #expect(try parse(["--demo=merge"])?.choice("demo") == "merge")
        #expect(
            throws: FlagError.malformed(
                flag: "demo", value: "both", expected: "one of merge, spill")
        ) {
            try parse(["--demo", "both"])
        }
        #expect(
            FlagError.malformed(flag: "demo", value: "both", expected: "one of merge, spill")
                .description == "--demo: \"both\" is not one of merge, spill")
        let text = usage(
            program: "lesson04-server", role: "server", summary: "s", port: 7070, flags: flags)
        #expect(text.contains("  --demo merge|spill  which demo (default merge)"))

    }
}

@Suite("Command-line flags: ranges, zero, duplicates", .mayBlock)
struct FlagRangeTests {
    /// One flag of each numeric kind, with and without a meaning for 0.
    let flags: [Flag] = [
        .seconds("timeout", default: 1, zero: "wait for ever", help: "timeout"),
        .seconds("limit", default: 5, help: "limit"),
        .count("retries", default: 3, maximum: 100, zero: "send once", help: "retries"),
        .count("size", default: 10, maximum: 1 << 30, help: "size"),
    ]

    func parse(_ arguments: [String]) throws(FlagError) -> Options? {
        try parseFlags(arguments, defaultHost: "127.0.0.1", defaultPort: 7070, flags: flags)
    }

    @Test("a positive duration under 1 ms is refused, never rounded to 0 (\"no timeout\")")
    func tinyDuration() throws {
        for value in ["0.0000004", "0.0009", "1e-7"] {
            #expect(
                throws: FlagError.malformed(
                    flag: "timeout", value: value,
                    expected: "a number of seconds from 0.001 to 86400, or 0")
            ) { try parse(["--timeout", value]) }
        }
        #expect(try parse(["--timeout", "0.001"])?.seconds("timeout") == 0.001)
    }

    @Test("0 is accepted only by a flag that says what 0 means, and --help says it")
    func zeroRule() throws {
        #expect(try parse(["--timeout", "0"])?.seconds("timeout") == 0)
        #expect(try parse(["--retries", "0"])?.count("retries") == 0)
        #expect(
            throws: FlagError.malformed(
                flag: "limit", value: "0", expected: "a number of seconds from 0.001 to 86400")
        ) { try parse(["--limit", "0"]) }
        #expect(
            throws: FlagError.malformed(
                flag: "size", value: "0", expected: "a whole number from 1 to 1073741824")
        ) { try parse(["--size", "0"]) }
        let text = usage(program: "p", role: "client", summary: "s", port: 7070, flags: flags)
        #expect(
            text.contains(
                "  --timeout SECONDS  timeout [0.001 to 86400; 0: wait for ever] (default 1)\n"))
        #expect(text.contains("  --limit SECONDS    limit [0.001 to 86400] (default 5)\n"))
        #expect(
            text.contains("  --retries N        retries [0 to 100; 0: send once] (default 3)\n"))
        #expect(text.contains("  --size N           size [1 to 1073741824] (default 10)\n"))
    }

    @Test("the largest value of each flag is accepted, and one more is refused")
    func largest() throws {
        #expect(try parse(["--timeout", "86400"])?.seconds("timeout") == 86_400)
        #expect(try parse(["--retries", "100"])?.count("retries") == 100)
        #expect(try parse(["--size", "1073741824"])?.count("size") == 1 << 30)
        for (flag, value) in [
            ("timeout", "86400.5"), ("retries", "101"), ("retries", "9223372036854775807"),
            ("size", "9223372036854775808"), ("timeout", "inf"), ("timeout", "nan"),
        ] {
            #expect(throws: FlagError.self) { try parse(["--\(flag)", value]) }
        }
    }

    @Test("a flag given twice is one clear error, whichever spelling repeats it")
    func duplicate() throws {
        for arguments in [
            ["--retries", "1", "--retries", "2"], ["--retries=1", "--retries", "1"],
            ["--port", "1", "--port=2"],
        ] {
            let name = arguments[0].dropFirst(2).split(separator: "=")[0]
            #expect(throws: FlagError.duplicate(flag: String(name))) { try parse(arguments) }
        }
        let udp: [Flag] = [.boolean("connect", help: "c")]
        #expect(throws: FlagError.duplicate(flag: "connect")) {
            try parseFlags(
                ["--connect", "--connect"], defaultHost: "h", defaultPort: 1, flags: udp)
        }
        #expect(
            FlagError.duplicate(flag: "retries").description
                == "--retries is given twice; give it once")
    }

    @Test("reading a flag that was never declared stops the program, naming the flag")
    func undeclaredRead() async throws {
        let undeclared = try await #require(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) {
            let options = try parseFlags(
                [], defaultHost: "127.0.0.1", defaultPort: 1,
                flags: [.seconds("timeout", help: "t")])
            _ = options?.count("retries")
        }
        #expect(
            String(decoding: undeclared.standardErrorContent, as: UTF8.self).contains(
                "the lesson reads --retries, which it never declared"))
        let wrongKind = try await #require(
            processExitsWith: .failure, observing: [\.standardErrorContent]
        ) {
            let options = try parseFlags(
                [], defaultHost: "127.0.0.1", defaultPort: 1,
                flags: [.seconds("timeout", help: "t")])
            _ = options?.count("timeout")  // declared, but as seconds
        }
        #expect(
            String(decoding: wrongKind.standardErrorContent, as: UTF8.self).contains(
                "the lesson reads --timeout as a count flag; it is not one"))
    }

    @Test("a positive receive timeout never reaches the kernel as 0, which means no timeout")
    func receiveTimeoutRoundsUp() throws {
        let (socket, _) = makeSocketPair()
        try socket.setReceiveTimeout(seconds: 0.0000004)
        var limit = timeval()
        var size = socklen_t(MemoryLayout<timeval>.size)
        getsockopt(socket.descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, &size)
        #expect(limit.tv_sec == 0 && limit.tv_usec > 0)
    }
}
