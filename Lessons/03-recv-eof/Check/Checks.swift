import ExerciseKit
import NetUtil

/// `receiveUntilClosed(from:)`: everything the peer sent, once it has closed.
public typealias ReceiveUntilClosed = @Sendable (Int32) throws -> [UInt8]

/// Exercise 03, checked against a peer that sends in one piece or dribbles, then closes.
public let receiveUntilClosedExercise = Exercise<ReceiveUntilClosed>(
    lesson: "03",
    task: "read until the peer has closed",
    checks: [
        Check(
            "returns \"hello\" sent in one piece, then a close",
            hint: "after the close recv returns 0 at once, every time: stop at the first 0, "
                + "or the loop spins for ever (Notes.md, lesson 03, Your turn)"
        ) { receiveUntilClosed in
            let pair = try StreamPair()
            try pair.peer.sendAll(bytes("hello"))
            pair.peer.close()
            let got = try Outcome.of { shown(try receiveUntilClosed(pair.reader.descriptor)) }
            return expect(got, .returned(shown(bytes("hello"))))
        },
        Check(
            "returns all of 100000 bytes sent in one piece, then a close",
            hint: "one recv returns at most what fits its buffer: loop until recv returns 0 "
                + "(Notes.md, lesson 03, Your turn)"
        ) { receiveUntilClosed in
            let pair = try StreamPair()
            let stream = (0..<100_000).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            let peer = try Peer.run { _ in
                try pair.peer.sendAll(stream)
                pair.peer.close()
            }
            defer { peer.stop() }
            let got = try Outcome.of {
                let received = try receiveUntilClosed(pair.reader.descriptor)
                return received == stream ? "the 100000 bytes" : shown(received)
            }
            return expect(got, .returned("the 100000 bytes"))
        },
        Check(
            "returns \"hello world\" sent one byte at a time, then a close",
            hint: "a recv shorter than asked for, or an empty queue, is not the end: more may "
                + "be on its way; only recv returning 0 is (Notes.md, lesson 03, Your turn)"
        ) { receiveUntilClosed in
            let pair = try StreamPair()
            let peer = try Peer.run { peer in
                if try peer.dribble(bytes("hello world"), over: pair) { pair.peer.close() }
            }
            defer { peer.stop() }
            let got = try Outcome.of { shown(try receiveUntilClosed(pair.reader.descriptor)) }
            return expect(got, .returned(shown(bytes("hello world"))))
        },
        Check(
            "returns \"\" (0 bytes) when the peer closes without sending",
            hint: "a peer that sends nothing and closes sent \"\": return the empty array "
                + "(Notes.md, lesson 03)"
        ) { receiveUntilClosed in
            let pair = try StreamPair()
            pair.peer.close()
            let got = try Outcome.of { shown(try receiveUntilClosed(pair.reader.descriptor)) }
            return expect(got, .returned(shown(bytes(""))))
        },
    ],
    solution: receiveUntilClosedSolution,
    wrongAnswers: [
        WrongAnswer("stop at the first 0", receiveUntilClosedSpins),
        WrongAnswer("one recv returns at most what fits its buffer", receiveUntilClosedOneRecv),
        WrongAnswer("a recv shorter than asked for", receiveUntilClosedStopsShort),
        WrongAnswer("an empty queue, is not the end", receiveUntilClosedStopsWhenEmpty),
    ]
)
