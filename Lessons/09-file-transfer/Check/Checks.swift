import ExerciseKit
import NetUtil

/// Exercise 09, checked against a peer that sends a body byte by byte, a
/// buffer at a time, or at once with the next frame behind it; that stops one
/// byte short; that sends nothing; against a file that takes part of each
/// write; and with a body far larger than the buffer.
public let receiveFileExercise = Exercise<ReceiveFile>(
    lesson: "09",
    task: "receive a file's body",
    checks: [
        Check(
            "writes a 24-byte body to the file and returns its MD5 when it arrives one byte at a time",
            hint: "one recv returns what has arrived, here 1 byte: loop until the body's "
                + "totalSize bytes are in, and stop there: the peer does not close after a "
                + "body (Notes.md, lesson 09, Your turn)"
        ) { receiveFile in
            let body = bytes("a file's body, in pieces")
            let received = try receive(with: receiveFile, totalSize: body.count, bufferSize: 8) {
                peer, pair in try peer.dribble(body, over: pair)
            }
            return expect(received, sent: body, .returned(wholeBody(body)))
        },
        Check(
            "writes a 100-byte body and returns its MD5 when it arrives 16 bytes (a buffer) at a time",
            hint: "loop until the body's totalSize bytes are in, writing and hashing each "
                + "piece (Notes.md, lesson 09, Your turn)"
        ) { receiveFile in
            let body = letters(100)
            let pieces = stride(from: 0, to: body.count, by: 16).map {
                Array(body[$0..<min($0 + 16, body.count)])
            }
            let received = try receive(with: receiveFile, totalSize: body.count, bufferSize: 16) {
                peer, pair in try peer.send(pieces, over: pair)
            }
            return expect(received, sent: body, .returned(wholeBody(body)))
        },
        Check(
            "takes exactly a 100-byte body sent at once with \"NEXT\" behind it, and leaves \"NEXT\" queued",
            hint: "it asked recv for more than the body still lacks and took the next frame's "
                + "bytes: ask for min(buffer.count, totalSize - received) "
                + "(Notes.md, lesson 09, Your turn)"
        ) { receiveFile in
            let body = letters(100)
            let received = try receive(with: receiveFile, totalSize: body.count, bufferSize: 16) {
                _, pair in try pair.peer.sendAll(body + bytes("NEXT"))
            }
            let expected = "\(wholeBody(body)), left \(shown(bytes("NEXT"))) queued"
            return expect(received, sent: body, .returned(expected))
        },
        Check(
            "throws closedPartWay(received: 99) when the peer closes one byte short of 100",
            hint: "recv returned 0: the peer closed 1 byte short, and a short file returned "
                + "as complete is worse than none: throw ExerciseError.closedPartWay(received:) "
                + "(Notes.md, lesson 09, Your turn)"
        ) { receiveFile in
            let body = letters(100)
            let received = try receive(with: receiveFile, totalSize: body.count, bufferSize: 16) {
                _, pair in
                try pair.peer.sendAll(Array(body.prefix(99)))
                pair.peer.close()
            }
            // What reached the file before the end is the code's to keep or not (a
            // server keeps it for a resume): only the answer is compared.
            let expected = Outcome.threw("\(ExerciseError.closedPartWay(received: 99))")
            if received.outcome == expected && received.stayedInBuffer { return nil }
            return expect(received, sent: body, expected)
        },
        Check(
            "returns d41d8cd98f00b204e9800998ecf8427e at once for a body of 0 bytes while the peer stays open",
            hint: "a body of 0 bytes is complete before any recv: a recv now waits for bytes "
                + "that are not this body's (Notes.md, lesson 09, Your turn)"
        ) { receiveFile in
            let received = try receive(with: receiveFile, totalSize: 0, bufferSize: 16) { _, _ in }
            return expect(
                received, sent: [],
                .returned("returned d41d8cd98f00b204e9800998ecf8427e, wrote the 0 bytes sent"))
        },
        Check(
            "writes all 65536 bytes to a file that takes only part of each write",
            hint: "write returns how many bytes it took, here part of the piece: loop until "
                + "the whole piece is written (Notes.md, lesson 09, Your turn)",
            limit: .seconds(2)
        ) { receiveFile in
            try throughPipe(
                receiveFile, totalSize: BodyPattern.blockSize, bufferSize: 16 << 10,
                cuttingWrites: true)
        },
        Check(
            "moves an 8 MiB body through a 64 KiB buffer, its memory growing by under 4 MiB",
            hint: heldHint,
            limit: .seconds(10)
        ) { receiveFile in
            try throughPipe(
                receiveFile, totalSize: 8 << 20, bufferSize: 64 << 10, cuttingWrites: false)
        },
    ],
    solution: receiveFileSolution,
    wrongAnswers: [
        WrongAnswer("more than the body still lacks", receiveFileAsksWholeBuffer),
        WrongAnswer("a short file returned as complete", receiveFileEndTakenAsDone),
        WrongAnswer("hash only the bytes recv returned", receiveFileHashesWholeBuffer),
        WrongAnswer("held the whole body in memory", receiveFileCollects),
        WrongAnswer("write returns how many bytes it took", receiveFileOneWrite),
        WrongAnswer("past the end of the buffer", receiveFileOverrunsBuffer),
    ]
)

/// What a right answer reports for `body`: its MD5, and the body in the file.
func wholeBody(_ body: [UInt8]) -> String {
    "returned \(MD5.hex(body)), wrote the \(byteCount(body.count)) sent"
}

let heldHint =
    "the memory grew with the body: it held the whole body in memory; write each piece "
    + "and reuse the buffer, so memory stays the buffer's size (Notes.md, lesson 09, Your turn)"

let overrunHint =
    "recv wrote past the end of the buffer: never ask recv for more than buffer.count "
    + "bytes (Notes.md, lesson 09, Your turn)"

let hashHint =
    "the file is right but the MD5 is not: hash only the bytes recv returned, "
    + "buffer[..<got], not the whole buffer (Notes.md, lesson 09, Your turn)"

/// nil when the code did what was expected; otherwise what differed, with the
/// hint for a buffer overrun or a wrong hash where that is what went wrong.
func expect(_ received: Received, sent body: [UInt8], _ expected: Outcome) -> Mismatch? {
    let got = received.report(sent: body)
    guard received.stayedInBuffer else {
        return Mismatch(
            expected: "\(expected)", got: "\(got), and bytes past the buffer's end changed",
            hint: overrunHint)
    }
    if got != expected, case .returned(let digest) = received.outcome, received.written == body,
        digest != MD5.hex(body)
    {
        return Mismatch(expected: "\(expected)", got: "\(got)", hint: hashHint)
    }
    return expect(got, expected)
}
