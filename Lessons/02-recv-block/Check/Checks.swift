import ExerciseKit
import NetUtil

/// `receive(upTo:from:within:)`: one recv that waits at most `within` seconds.
public typealias ReceiveWithin = @Sendable (Int, Int32, Double) throws -> [UInt8]

/// Exercise 02, checked against a peer that sends early, late, never, or closes.
public let receiveWithinExercise = Exercise<ReceiveWithin>(
    lesson: "02",
    task: "receive with a deadline",
    checks: [
        Check(
            "returns \"hi\" when it is already queued",
            hint: "bytes already queued come back from recv at once (Notes.md, lesson 02)"
        ) { receive in
            let pair = try StreamPair()
            try pair.peer.sendAll(bytes("hi"))
            let got = try Outcome.of { shown(try receive(1024, pair.reader.descriptor, 0.2)) }
            return expect(got, .returned(shown(bytes("hi"))))
        },
        Check(
            "returns \"\" (0 bytes) when the peer has closed",
            hint: "0 bytes is the peer's close, not a timeout: return the empty array "
                + "(Notes.md, lesson 03)"
        ) { receive in
            let pair = try StreamPair()
            pair.peer.close()
            let got = try Outcome.of { shown(try receive(1024, pair.reader.descriptor, 0.2)) }
            return expect(got, .returned(shown(bytes(""))))
        },
        Check(
            "throws timedOut after 0.2 s when the peer sends nothing",
            hint: "nothing limits the wait: set SO_RCVTIMEO (or poll with a timeout) before "
                + "recv (Notes.md, lesson 02, The way out: a receive timeout)"
        ) { receive in
            let pair = try StreamPair()
            let started = ContinuousClock.now
            let got = try Outcome.of { shown(try receive(1024, pair.reader.descriptor, 0.2)) }
            let waited = ContinuousClock.now - started
            let expected = "throws timedOut after 0.2 s"
            if got == .returned(shown(bytes(""))) {
                return Mismatch(
                    expected: expected, got: "\(got) after \(secondsText(waited))",
                    hint: "a timeout is not a close: recv fails with EAGAIN at the deadline, "
                        + "and that is ExerciseError.timedOut, not \"\" (Notes.md, lesson 02)")
            }
            if got == .threw("timedOut") && waited < .milliseconds(150) {
                return Mismatch(
                    expected: expected, got: "\(got) after \(secondsText(waited))",
                    hint: "it gave up without waiting: let recv wait until the deadline, "
                        + "with SO_RCVTIMEO or poll (Notes.md, lesson 02)")
            }
            return expect(got, .threw("timedOut")).map {
                Mismatch(expected: expected, got: $0.got)
            }
        },
        Check(
            "returns \"late\" sent 0.1 s into a 2 s deadline",
            hint: "the deadline is how long to wait at most, not how long to wait at least: "
                + "return what arrives in time (Notes.md, lesson 02)",
            limit: .seconds(3)
        ) { receive in
            let pair = try StreamPair()
            let peer = try Peer.run { peer in
                sleep(seconds: 0.1)
                if !peer.isStopping { try pair.peer.sendAll(bytes("late")) }
            }
            defer { peer.stop() }
            let got = try Outcome.of { shown(try receive(1024, pair.reader.descriptor, 2)) }
            return expect(got, .returned(shown(bytes("late"))))
        },
    ],
    solution: receiveSolution,
    wrongAnswers: [
        WrongAnswer("nothing limits the wait", receiveNoTimeout),
        WrongAnswer("a timeout is not a close", receiveTimeoutTakenAsClose),
        WrongAnswer("it gave up without waiting", receiveDoesNotWait),
        WrongAnswer("0 bytes is the peer's close, not a timeout", receiveCloseTakenAsTimeout),
    ]
)
