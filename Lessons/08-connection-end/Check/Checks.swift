import ExerciseKit
import NetUtil
import Synchronization

/// Exercise 08, checked against a scripted server over a real TCP connection:
/// it answers only after the request's end, interrupts a send, answers in
/// pieces, answers nothing, exactly the limit or more, or resets part-way.
public let askAndReadAllExercise = Exercise<AskAndReadAll>(
    lesson: "08",
    task: "ask, then read the whole answer",
    checks: [
        Check(
            "returns \"HELLO\" from a server that answers once it has read your request to its end",
            hint: "the server is still waiting for the end of your request: did you "
                + "shutdown(SHUT_WR)? (Notes.md, lesson 08, Your turn)"
        ) { askAndReadAll in
            let result = try Conversation().run(askAndReadAll, request: bytes("hello"), limit: 100)
            { server in
                guard let request = try server.readRequest() else { return }
                try server.pair.peer.sendAll(String(decoding: request, as: UTF8.self).uppercased())
                server.close()
            }
            if result.outcome == .returned(shown([])) && !result.closedItsDescriptor {
                return Mismatch(
                    expected: shown(bytes("HELLO")), got: shown([]),
                    hint: "recv returned 0 before the server answered: SHUT_RDWR and SHUT_RD "
                        + "end your receiving half too; shut only the sending half, SHUT_WR "
                        + "(Notes.md, lesson 08, Your turn)")
            }
            if result.outcome == .threw("\(ExerciseError.failed(call: "send", errno: EPIPE))") {
                return Mismatch(
                    expected: shown(bytes("HELLO")), got: "\(result.outcome)",
                    hint: "send failed with EPIPE: after shutdown(SHUT_WR) nothing more can be "
                        + "sent; send the whole request first (Notes.md, lesson 08, Your turn)")
            }
            return expect(result, .returned(shown(bytes("HELLO"))))
        },
        Check(
            "sends all of a 1 MiB request though a signal cuts one send short",
            hint: "one send took only part of the request (a signal can cut any send short): "
                + "send returns how many bytes it took; loop until all are sent "
                + "(Notes.md, lesson 08, Your turn)",
            limit: .seconds(2)
        ) { askAndReadAll in
            let conversation = try Conversation()
            let request = letters(1 << 20)
            // A small send buffer, and a server that reads nothing yet: the send must wait.
            var small: Int32 = 65536
            setsockopt(
                conversation.pair.reader.descriptor, SOL_SOCKET, SO_SNDBUF, &small,
                socklen_t(MemoryLayout<Int32>.size))
            let client = InterruptibleThread.current()
            let received = Mutex<String>("nothing")
            let result = try conversation.run(askAndReadAll, request: request, limit: 100) {
                server in
                guard try server.waitForFirstBytes() else { return }
                // The code is inside send now, waiting for room: interrupt it.
                client.interrupt()
                guard let got = try server.readRequest() else { return }
                received.withLock { $0 = howMuchArrived(got, of: request) }
                try server.pair.peer.sendAll("OK")
                server.close()
            }
            let outcome: Outcome =
                switch result.outcome {
                case .returned: .returned("the server read \(received.withLock { $0 })")
                case .threw: result.outcome
                }
            let answered = Conversation.Result(
                outcome: outcome, closedItsDescriptor: result.closedItsDescriptor)
            return expect(answered, .returned("the server read all 1048576 bytes"))
        },
        Check(
            "returns all 300000 bytes of an answer sent in 3 pieces, in order",
            hint: "one recv returns one piece of the answer at most: loop until recv returns 0 "
                + "(Notes.md, lesson 08, Your turn)"
        ) { askAndReadAll in
            let answer = letters(300_000)
            let result = try Conversation().run(
                askAndReadAll, request: bytes("all"), limit: 1 << 20,
                describe: { $0 == answer ? "the 300000 bytes sent" : shown($0) }
            ) { server in
                guard try server.readRequest() != nil else { return }
                let pieces = stride(from: 0, to: answer.count, by: 100_000).map {
                    Array(answer[$0..<$0 + 100_000])
                }
                if try server.answer(pieces) { server.close() }
            }
            return expect(result, .returned("the 300000 bytes sent"))
        },
        Check(
            "returns \"\" (0 bytes) when the server answers nothing and closes",
            hint: "a server may answer nothing: recv returning 0 at once is an empty answer, "
                + "not an error (Notes.md, lesson 08, Your turn)"
        ) { askAndReadAll in
            let result = try Conversation().run(askAndReadAll, request: bytes("hi"), limit: 100) {
                server in
                if try server.readRequest() != nil { server.close() }
            }
            return expect(result, .returned(shown([])))
        },
        Check(
            "returns an answer of exactly the limit, 1000 bytes when the limit is 1000",
            hint: "an answer of exactly limit bytes is allowed: throw only when byte limit + 1 "
                + "arrives (Notes.md, lesson 08, Your turn)"
        ) { askAndReadAll in
            let answer = letters(1000)
            let result = try Conversation().run(
                askAndReadAll, request: bytes("hi"), limit: 1000,
                describe: { $0 == answer ? "the 1000 bytes sent" : shown($0) }
            ) { server in
                guard try server.readRequest() != nil else { return }
                if try server.answer([answer]) { server.close() }
            }
            return expect(result, .returned("the 1000 bytes sent"))
        },
        Check(
            "throws longerThan(limit: 1000) for a 5000-byte answer, taking at most 1001 bytes",
            hint: "no limit: an answer longer than limit must throw ExerciseError.longerThan("
                + "limit:), or a server can make you keep all it sends "
                + "(Notes.md, lesson 08, Your turn)"
        ) { askAndReadAll in
            let conversation = try Conversation()
            let result = try conversation.run(askAndReadAll, request: bytes("hi"), limit: 1000) {
                server in
                guard try server.readRequest() != nil else { return }
                try server.pair.peer.sendAll(letters(5000))
                // Every byte in the client's buffer before the check counts what is left.
                _ = try server.pair.peer.waitUntilAcknowledged(seconds: 1)
                server.close()
            }
            let left = try conversation.pair.reader.queuedByteCount()
            let outcome: Outcome =
                switch result.outcome {
                case .returned(let text): .returned("\(text), \(left) of 5000 bytes left unread")
                case .threw(let text): .threw("\(text), \(left) of 5000 bytes left unread")
                }
            let expected = Outcome.threw(
                "\(ExerciseError.longerThan(limit: 1000)), 3999 of 5000 bytes left unread")
            if case .threw(let text) = outcome, text.hasPrefix("longerThan"), outcome != expected {
                return Mismatch(
                    expected: "\(expected)", got: "\(outcome)",
                    hint: "it took more than limit + 1 bytes from the socket before it threw: "
                        + "ask recv for at most what the limit still allows, plus one "
                        + "(Notes.md, lesson 08, Your turn)")
            }
            return expect(
                Conversation.Result(
                    outcome: outcome, closedItsDescriptor: result.closedItsDescriptor),
                expected)
        },
        Check(
            "throws failed(call: \"recv\", errno: ECONNRESET) when the server resets after \"HEL\"",
            hint: "ECONNRESET is not an end: the server reset the connection part-way, and what "
                + "came before is not the whole answer; throw ExerciseError.failed(call: "
                + "\"recv\", errno: errno) (Notes.md, lesson 08, Your turn)"
        ) { askAndReadAll in
            let result = try Conversation().run(askAndReadAll, request: bytes("hello"), limit: 100)
            { server in
                guard try server.readRequest() != nil else { return }
                if try server.answer([bytes("HEL")]) { try server.reset() }
            }
            return expect(
                result, .threw("\(ExerciseError.failed(call: "recv", errno: ECONNRESET))"))
        },
    ],
    solution: askAndReadAllSolution,
    wrongAnswers: [
        WrongAnswer("close() instead of shutdown", askAndReadAllCloses),
        WrongAnswer("did you shutdown(SHUT_WR)?", askAndReadAllNeverEnds),
        WrongAnswer("one send", askAndReadAllOneSend),
        WrongAnswer("one recv", askAndReadAllOneRecv),
        WrongAnswer("no limit", askAndReadAllUnlimited),
        WrongAnswer("ECONNRESET is not an end", askAndReadAllResetIsEnd),
    ]
)
