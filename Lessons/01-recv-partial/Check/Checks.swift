import ExerciseKit
import NetUtil

/// `receiveExactly(_:from:)`: exactly `count` bytes, nil at a clean end.
public typealias ReceiveExactly = @Sendable (Int, Int32) throws -> [UInt8]?

/// Exercise 01, checked against a peer that decides how recv splits the bytes.
public let receiveExactlyExercise = Exercise<ReceiveExactly>(
    lesson: "01",
    task: "receive exactly n bytes",
    checks: [
        Check(
            "returns \"hello\" when it arrives one byte at a time",
            hint: "one recv returns what has arrived so far, here 1 byte: loop until you "
                + "have all 5 (Notes.md, lesson 01, Your turn)"
        ) { receiveExactly in
            let pair = try StreamPair()
            let peer = try Peer.run { try $0.dribble(bytes("hello"), over: pair) }
            defer { peer.stop() }
            let got = try Outcome.of { shown(try receiveExactly(5, pair.reader.descriptor)) }
            return expect(got, .returned(shown(bytes("hello"))))
        },
        Check(
            "takes \"hello\" from \"hello world\" and leaves \" world\" queued",
            hint: "it asked recv for more than it still needed and took the next message's "
                + "bytes: ask for count minus what you have (Notes.md, lesson 01, Your turn)"
        ) { receiveExactly in
            let pair = try StreamPair()
            try pair.peer.sendAll(bytes("hello world"))
            let got = try Outcome.of {
                let message = try receiveExactly(5, pair.reader.descriptor)
                return "\(shown(message)), \(try pair.reader.queuedByteCount()) bytes left queued"
            }
            return expect(got, .returned("\(shown(bytes("hello"))), 6 bytes left queued"))
        },
        Check(
            "returns nil when the peer closes before sending anything",
            hint: "recv returns 0 once the peer has closed, at once and every time: stop "
                + "there; before any byte it is a clean end (Notes.md, lesson 03)"
        ) { receiveExactly in
            let pair = try StreamPair()
            pair.peer.close()
            let got = try Outcome.of { shown(try receiveExactly(5, pair.reader.descriptor)) }
            return expect(got, .returned("nil"))
        },
        Check(
            "throws closedPartWay(received: 3) when the peer closes after \"hel\"",
            hint: "an end part-way is not a message: throw "
                + "ExerciseError.closedPartWay(received:) (Notes.md, lesson 01, Your turn)"
        ) { receiveExactly in
            let pair = try StreamPair()
            let peer = try Peer.run { peer in
                if try peer.dribble(bytes("hel"), over: pair) { pair.peer.close() }
            }
            defer { peer.stop() }
            let got = try Outcome.of { shown(try receiveExactly(5, pair.reader.descriptor)) }
            return expect(got, .threw("\(ExerciseError.closedPartWay(received: 3))"))
        },
    ],
    solution: receiveExactlySolution,
    wrongAnswers: [
        WrongAnswer("one recv returns what has arrived", receiveExactlyOneRecv),
        WrongAnswer("more than it still needed", receiveExactlyAsksTooMuch),
        WrongAnswer("end part-way is not a message", receiveExactlyShortTakenAsWhole),
        WrongAnswer("recv returns 0 once the peer has closed", receiveExactlySpinsOnEnd),
    ]
)
