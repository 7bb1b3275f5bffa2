import ExerciseKit
import NetUtil

/// `takeFrames(from:maximumLength:)`: every complete frame's body, the rest left buffered.
public typealias TakeFrames = @Sendable (inout [UInt8], Int) throws -> [[UInt8]]

/// A frame: the body's length as 4 big-endian bytes, then the body.
func frame(_ body: String) -> [UInt8] {
    let length = UInt32(body.utf8.count)
    return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) } + bytes(body)
}

/// Every frame the code takes from the stream the peer sends in `pieces`
/// (each sent once the one before was taken): the checker appends each chunk
/// that one recv returns to the buffer and calls the code.
func frames(_ takeFrames: TakeFrames, from pieces: [[UInt8]], maximumLength: Int = 1024)
    throws -> Outcome
{
    let pair = try StreamPair()
    let peer = try Peer.run { peer in
        if try peer.send(pieces, over: pair) { pair.peer.close() }
    }
    defer { peer.stop() }
    var taken: [[UInt8]] = []
    var buffer: [UInt8] = []
    let end = try Outcome.of {
        while true {
            let chunk = try pair.reader.receive(upTo: 65536)
            if chunk.isEmpty { return "\(buffer.count) bytes left in the buffer" }
            buffer += chunk
            taken += try takeFrames(&buffer, maximumLength)
        }
    }
    return .returned("\(shownMessages(taken)), then \(end)")
}

/// Exercise 05, checked against a peer that cuts the stream anywhere.
public let takeFramesExercise = Exercise<TakeFrames>(
    lesson: "05",
    task: "decode length-prefixed frames",
    checks: [
        Check(
            "takes \"hello\" from 00 00 00 05 \"hello\"",
            hint: "the length is big-endian (network byte order): 00 00 00 05 is 5; read in "
                + "the machine's little-endian order it is 83886080 (Notes.md, lesson 05)"
        ) { takeFrames in
            expect(
                try frames(takeFrames, from: [frame("hello")]),
                .returned("[\"hello\"], then 0 bytes left in the buffer"))
        },
        Check(
            "takes \"hello\" whichever byte the frame is cut at",
            hint: "a frame can arrive in pieces, its header too: take a frame only once all "
                + "4 + length bytes are buffered (Notes.md, lesson 05, Your turn)"
        ) { takeFrames in
            let whole = frame("hello")
            for cut in 1..<whole.count {
                let got = try frames(
                    takeFrames, from: [Array(whole[..<cut]), Array(whole[cut...])])
                let expected = Outcome.returned("[\"hello\"], then 0 bytes left in the buffer")
                if let mismatch = expect(got, expected) {
                    return Mismatch(
                        expected: "\(mismatch.expected) (cut after \(cut) bytes)",
                        got: mismatch.got)
                }
            }
            return nil
        },
        Check(
            "takes \"hello\", \"world\" and \"!\" when one chunk holds two frames and part of a third",
            hint: "bytes after a frame belong to the next one: remove only the frames you "
                + "took, and take every complete one (Notes.md, lesson 05, Your turn)"
        ) { takeFrames in
            let third = frame("!")
            let pieces = [frame("hello") + frame("world") + third[..<2], Array(third[2...])]
            return expect(
                try frames(takeFrames, from: pieces),
                .returned("[\"hello\", \"world\", \"!\"], then 0 bytes left in the buffer"))
        },
        Check(
            "throws tooLong(length: 4294967295) for a length of ff ff ff ff",
            hint: "check the length against maximumLength as soon as the header is in, before "
                + "allocating or waiting for the body (Notes.md, lesson 05, Your turn)"
        ) { takeFrames in
            expect(
                try frames(takeFrames, from: [[0xFF, 0xFF, 0xFF, 0xFF] + bytes("hello")]),
                .returned("[], then throws tooLong(length: 4294967295)"))
        },
        Check(
            "takes a frame of maximumLength bytes and refuses one of a byte more",
            hint: "the limit is the longest body allowed: a length equal to maximumLength "
                + "is fine (Notes.md, lesson 05, Your turn)"
        ) { takeFrames in
            let pieces = [frame("1234"), frame("12345")]
            return expect(
                try frames(takeFrames, from: pieces, maximumLength: 4),
                .returned("[\"1234\"], then throws tooLong(length: 5)"))
        },
        Check(
            "takes an empty frame, 00 00 00 00, as an empty body",
            hint: "a length of 0 is a frame with an empty body (Notes.md, lesson 05)"
        ) { takeFrames in
            expect(
                try frames(takeFrames, from: [frame("") + frame("hi")]),
                .returned("[\"\", \"hi\"], then 0 bytes left in the buffer"))
        },
    ],
    solution: takeFramesSolution,
    wrongAnswers: [
        WrongAnswer("the length is big-endian", takeFramesNativeOrder),
        WrongAnswer("a frame can arrive in pieces", takeFramesBodyAssumedWhole),
        WrongAnswer("bytes after a frame belong to the next one", takeFramesDropsRest),
        WrongAnswer("check the length against maximumLength", takeFramesNoLimit),
    ]
)
