/// Every lesson the runner knows, in reading order.
///
/// Adding a lesson is one entry here: its number and name (the folder is
/// `Lessons/NN-name`, the executables `lessonNN-server` and `lessonNN-client`),
/// a one-line summary, any arguments that keep its run short, and two or three
/// questions. Each question carries a rule that reads its answer from the
/// lines the run printed, so the answer key changes whenever the lesson does.
let lessons: [Lesson] = [
    Lesson(
        number: "01",
        name: "recv-partial",
        summary: "how much does one recv return?",
        questions: [
            Question(
                "The client sends \"hello\"; the server calls recv(2), recv(2), recv(1). "
                    + "What does the second recv(2) return?",
                answer: .bytes { $0.line("server: recv(2)", 2)?.receivedBytes }
            ),
            Question(
                "After the first recv(2), how many bytes are still queued in the kernel?",
                answer: .number { $0.line("server: recv(2)", 1)?.number(before: " still queued") }
            ),
        ]
    ),
    Lesson(
        number: "02",
        name: "recv-block",
        summary: "what does recv do when there is nothing to read?",
        client: ["--hold", "1"],
        byHand: [HandRun(client: ["--hold", "2"])],
        questions: [
            Question(
                "The client sends \"hello\", holds the connection open for 1 second, then closes. "
                    + "How many seconds does the server's second recv(1024) block?",
                answer: .number(within: 0.3) {
                    $0.line("server: recv(1024)", 2)?.number(after: "after blocking ")
                }
            ),
            Question(
                "What does that second recv(1024) return in the end?",
                answer: .bytes { $0.line("server: recv(1024)", 2)?.receivedBytes }
            ),
        ]
    ),
    Lesson(
        number: "03",
        name: "recv-eof",
        summary: "what does recv return after the other side has closed?",
        questions: [
            Question(
                "The client sends \"hello\" and closes. "
                    + "How many bytes does the server's first recv(1024) return?",
                answer: .number { $0.line("server: recv(1024)", 1)?.number(before: " byte") }
            ),
            Question(
                "What does the third recv(1024) return?",
                answer: .bytes { $0.line("server: recv(1024)", 3)?.receivedBytes }
            ),
            Question(
                "The server then calls recv(1024) 1000 more times. "
                    + "Does each call wait?",
                answer: .word {
                    // The line comes only once all 1000 calls have returned; with
                    // the client gone for good, a call that waited would wait still.
                    $0.line("server: 1000 more recv(1024)", 1).map { _ in "no" }
                }
            ),
        ]
    ),
    Lesson(
        number: "04",
        name: "sticky-packet",
        summary: "does one send arrive as one recv?",
        byHand: [
            HandRun(server: ["--demo", "merge"], client: ["--demo", "merge"]),
            HandRun(
                server: ["--demo", "spill"], client: ["--demo", "spill"],
                typing: "seq 1 500, echo hi, q"),
        ],
        questions: [
            Question(
                "The client sends \"hello\" and then \"world\" with two send calls. The server "
                    + "waits until both are queued, then calls recv(1024) once. What does it return?",
                answer: .bytes { $0.line("server: recv(1024)", 1)?.receivedBytes }
            ),
            Question(
                "How many bytes are queued in the server's kernel just before that recv?",
                answer: .number {
                    $0.line("server: ", containing: "bytes queued")?.number(before: " bytes queued")
                }
            ),
        ]
    ),
    Lesson(
        number: "05",
        name: "header-framing",
        summary: "how can a receiver tell where a message ends?",
        clientInput: "echo hello\nseq 1 3\nrm -rf /tmp/x\n",
        serverEnd: .stopWhenQuiet,
        byHand: [HandRun(typing: "seq 1 3; q quits")],
        questions: [
            Question(
                "The client asks for `seq 1 3`. How many bytes long is the answer's body?",
                answer: .number { $0.line("client: body ", 2)?.number(after: "body ") }
            ),
            Question(
                "Then it asks for `rm -rf /tmp/x`, which the server refuses to run. "
                    + "What exit status does the server answer with?",
                answer: .number {
                    $0.line("server: ", containing: "\"rm -rf /tmp/x\"")?.number(
                        after: "exit status ")
                }
            ),
        ]
    ),
    Lesson(
        number: "06",
        name: "udp",
        summary: "what changes without a connection?",
        server: ["--reply", "upper"],
        clientInput: "hi\nhello\n",
        serverEnd: .stopWhenQuiet,
        byHand: [HandRun(server: ["--reply", "upper"], typing: "lines to send")],
        questions: [
            Question(
                "The client sends the datagram \"hi\" to a server that answers in capitals. "
                    + "What does the client's recvfrom return?",
                answer: .bytes { $0.line("client: recvfrom(1024)", 1)?.receivedBytes }
            ),
            Question(
                "Does the server accept a connection before it can read the datagram?",
                answer: .word { run in
                    // Read only once the server has received something at all.
                    run.line("server: recvfrom", 1).map { _ in
                        run.line("server: accepted", 1) == nil ? "no" : "yes"
                    }
                }
            ),
        ]
    ),
    Lesson(
        number: "07",
        name: "poll",
        summary: "how can one thread serve many clients?",
        server: ["--trace-loop"],
        client: ["--connections", "3"],
        clientInput: "echo hello\nseq 1 3\n",
        serverEnd: .stopWhenQuiet,
        byHand: [HandRun(server: ["--trace-loop"], client: ["--connections", "3"])],
        questions: [
            Question(
                "The server has started and no client has sent a byte yet. What does its first "
                    + "poll report ready: the listener or a connection?",
                answer: .oneOf(["listener", "connection"]) {
                    $0.line("server: poll(", 1).map {
                        $0.contains("ready: listener") ? "listener" : "connection"
                    }
                }
            ),
            Question(
                "With the client's 3 connections open, how many descriptors does one poll call "
                    + "watch, counting the listening socket and the Ctrl-C pipe?",
                answer: .number { run in
                    run.lines.compactMap { $0.number(after: "server: poll(") }
                        .compactMap { Int($0) }.max().map(String.init)
                }
            ),
            Question(
                "The client sends `echo hello` on all 3 connections before it reads anything. "
                    + "How many answers to it come back?",
                answer: .number { run in
                    run.line("client: sent \"seq", 1).map { _ in
                        String(run.lines.filter { $0.hasSuffix(#": "hello\n""#) }.count)
                    }
                }
            ),
        ]
    ),
    Lesson(
        number: "08",
        name: "connection-end",
        summary: "how does a connection end?",
        server: ["--demo", "reset"],
        client: ["--demo", "reset"],
        byHand: [HandRun(server: ["--demo", "reset"], client: ["--demo", "reset"])],
        questions: [
            Question(
                "The server sends \"bye\" and closes with the client's \"hello\" unread. The "
                    + "client waits until the connection has ended, then calls recv(1024). "
                    + "What does it return?",
                answer: .bytes { $0.line("client: recv(1024)", 1)?.receivedBytes }
            ),
            Question(
                "The client calls recv(1024) again. Which errno does it fail with?",
                answer: .errorName { $0.line("client: recv(1024)", 2)?.errnoAfterArrow }
            ),
            Question(
                "After a third recv, the client sends \"more\" with MSG_NOSIGNAL. "
                    + "Which errno does send fail with?",
                answer: .errorName { $0.line("client: send(\"more\")", 1)?.errnoAfterArrow }
            ),
        ]
    ),
    Lesson(
        number: "09",
        name: "file-transfer",
        summary: "how do you send a file, safely?",
        client: ["demo"],
        serverEnd: .stopWhenQuiet,
        byHand: [
            HandRun(server: ["--root", "/tmp/served"], client: ["put", "Package.swift"])
        ],
        questions: [
            Question(
                "The client uploads demo.bin, 1048576 bytes, in one frame. The server answers "
                    + "with a header alone. What total_size does that answer carry?",
                answer: .number {
                    $0.line("client: answer ", 1)?.number(after: "\"total_size\":")
                }
            ),
            Question(
                "It uploads demo.bin again, without --overwrite. "
                    + "Does the server replace the file?",
                answer: .word { run in
                    run.line("client: demo 3", 1).map { _ in
                        run.line("server: ", containing: "refused: exists") == nil ? "yes" : "no"
                    }
                }
            ),
            Question(
                "An upload of cut.bin (1048576 bytes) is cut after 300000 bytes; the client "
                    + "then resumes it. How many body bytes does the resumed put send?",
                answer: .number {
                    $0.line("client: header ", containing: "\"offset\":")?.number(
                        after: "\"total_size\":")
                }
            ),
        ]
    ),
]

extension String {
    /// The errno a failed call's trace line names: `ECONNRESET` from
    /// `client: recv(1024) -> ECONNRESET (Connection reset by peer)`.
    fileprivate var errnoAfterArrow: String? {
        guard let arrow = range(of: "-> E")?.upperBound else { return nil }
        return "E" + self[arrow...].prefix { $0.isUppercase || $0.isNumber }
    }
}
