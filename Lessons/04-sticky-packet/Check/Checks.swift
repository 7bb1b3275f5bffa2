import ExerciseKit
import NetUtil

/// `nextMessage(from:pending:)`: the next "\n"-terminated message, nil at a clean end.
public typealias NextMessage = @Sendable (Int32, inout [UInt8]) throws -> [UInt8]?

/// Every message the code returns from the stream the peer sends in `pieces`
/// (each sent once the one before was taken), then a close: the list, and how it ended.
func messages(_ nextMessage: NextMessage, from pieces: [[UInt8]]) throws -> Outcome {
    let pair = try StreamPair()
    let peer = try Peer.run { peer in
        if try peer.send(pieces, over: pair) { pair.peer.close() }
    }
    defer { peer.stop() }
    var received: [[UInt8]] = []
    var pending: [UInt8] = []
    let end = try Outcome.of {
        // More calls than the stream has messages: the code must stop by itself.
        for _ in 0..<10 {
            guard let message = try nextMessage(pair.reader.descriptor, &pending) else {
                return "nil"
            }
            received.append(message)
        }
        return "still more"
    }
    return .returned("\(shownMessages(received)), then \(end)")
}

/// Exercise 04, checked against a peer that merges and splits messages.
public let nextMessageExercise = Exercise<NextMessage>(
    lesson: "04",
    task: "split a stream into lines",
    checks: [
        Check(
            "returns nil when the peer closes without sending",
            hint: "recv returns 0 once the peer has closed, at once and every time: with "
                + "nothing pending, that is the end, return nil (Notes.md, lesson 03)"
        ) { nextMessage in
            expect(try messages(nextMessage, from: []), .returned("[], then nil"))
        },
        Check(
            "returns \"hello\" from \"hello\\n\" sent one byte at a time",
            hint: "one recv is not one message: a message can arrive in pieces; keep "
                + "receiving until a \"\\n\" is pending (Notes.md, lesson 04, Your turn)"
        ) { nextMessage in
            let pieces = bytes("hello\n").map { [$0] }
            return expect(
                try messages(nextMessage, from: pieces), .returned("[\"hello\"], then nil"))
        },
        Check(
            "returns \"hello\" and \"world\" from \"hello\\nworld\\n\" sent in one piece",
            hint: "the bytes after the \"\\n\" belong to the next message: keep them in "
                + "pending, and look there before the next recv (Notes.md, lesson 04, Your turn)"
        ) { nextMessage in
            expect(
                try messages(nextMessage, from: [bytes("hello\nworld\n")]),
                .returned("[\"hello\", \"world\"], then nil"))
        },
        Check(
            "throws closedPartWay(received: 3) when the peer closes after \"hello\\nwor\"",
            hint: "the end part-way through a message is not a message: throw "
                + "ExerciseError.closedPartWay(received:) (Notes.md, lesson 04, Your turn)"
        ) { nextMessage in
            expect(
                try messages(nextMessage, from: [bytes("hello\nwor")]),
                .returned("[\"hello\"], then throws closedPartWay(received: 3)"))
        },
        Check(
            "returns \"one\", \"two\" and \"three\" whichever byte the stream is cut at",
            hint: "wherever the stream is cut, look for the \"\\n\" in everything pending, "
                + "not only in the last recv (Notes.md, lesson 04, Your turn)"
        ) { nextMessage in
            let stream = bytes("one\ntwo\nthree\n")
            for cut in 1..<stream.count {
                let pieces = [Array(stream[..<cut]), Array(stream[cut...])]
                let got = try messages(nextMessage, from: pieces)
                let expected = Outcome.returned("[\"one\", \"two\", \"three\"], then nil")
                if let mismatch = expect(got, expected) {
                    return Mismatch(
                        expected: "\(mismatch.expected) (cut after \(cut) bytes)",
                        got: mismatch.got)
                }
            }
            return nil
        },
    ],
    solution: nextMessageSolution,
    wrongAnswers: [
        WrongAnswer("one recv is not one message", nextMessageOneRecv),
        WrongAnswer("belong to the next message", nextMessageDropsRest),
        WrongAnswer("the end part-way through a message", nextMessagePartTaken),
        WrongAnswer("recv returns 0 once the peer has closed", nextMessageSpins),
    ]
)
