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
        summary: "recv takes at most what you ask for; the rest waits in the kernel",
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
        summary: "an empty receive buffer makes recv wait while the peer is open",
        client: ["--hold", "1"],
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
        summary: "after the peer closes, recv returns \"\" at once, for ever",
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
                    + "Does each call wait? (yes or no)",
                answer: .word {
                    // A thousand calls that each waited could not finish in a second.
                    $0.line("server: 1000 more recv(1024)", 1)?.number(after: "returned \"\" in ")
                        .map { Double($0)! < 1000 ? "no" : "yes" }
                }
            ),
        ]
    ),
]
