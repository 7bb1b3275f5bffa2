import ExerciseKit
import NetUtil

/// Runs `code` on a body of `totalSize` bytes of `bodyPattern`, with "NEXT"
/// behind it, written into a `PipeSink`, and checks the answer, the bytes
/// that came through, what was left queued, the buffer's guard zone and the
/// growth of the process's peak memory.
///
/// With `cuttingWrites`, the whole body is queued before the code starts (so
/// its first recv fills the buffer) and the pipe cuts its writes short.
/// Otherwise a peer sends the body one block at a time while the code reads.
func throughPipe(_ code: ReceiveFile, totalSize: Int, bufferSize: Int, cuttingWrites: Bool)
    throws -> Mismatch?
{
    let pair = try StreamPair()
    let guarded = GuardedBuffer(size: bufferSize)
    let sink = try PipeSink(cuttingWritesOf: cuttingWrites ? .current() : nil)
    let blocks = totalSize / BodyPattern.blockSize
    let peer = try Peer.run { peer in
        if cuttingWrites { return }
        for _ in 0..<blocks where !peer.isStopping { try pair.peer.sendAll(bodyPattern.block) }
        try pair.peer.sendAll(bytes("NEXT"))
    }
    if cuttingWrites {
        for _ in 0..<blocks { try pair.peer.sendAll(bodyPattern.block) }
        try pair.peer.sendAll(bytes("NEXT"))
    }
    let memoryBefore = peakResidentBytes()
    let outcome: Outcome
    do {
        outcome = try Outcome.of {
            try code(pair.reader.descriptor, totalSize, sink.writeEnd, guarded.buffer)
        }
    } catch {
        _ = sink.finish()  // not started: nothing to check
        throw error
    }
    let grown = peakResidentBytes() - memoryBefore
    let left = try takeQueued(from: pair.reader)
    // A peer still sending (the code returned early) fails with EPIPE and stops.
    pair.reader.close()
    peer.stop()
    let (count, firstDifference) = sink.finish()

    var written: String
    switch (count, firstDifference) {
    case (totalSize, nil): written = "the \(byteCount(totalSize)) sent"
    case (_, nil): written = "only the first \(count) of the \(byteCount(totalSize)) sent"
    case (_, let offset?): written = "\(byteCount(count)), not as sent from byte \(offset) on"
    }
    if !left.isEmpty { written += ", left \(shown(left)) queued" }
    let got: Outcome =
        switch outcome {
        case .returned(let digest): .returned("returned \(digest), wrote \(written)")
        case .threw(let error): .threw("\(error), wrote \(written)")
        }
    let digest = patternDigests[totalSize] ?? "?"
    let expected = Outcome.returned(
        "returned \(digest), wrote the \(byteCount(totalSize)) sent, "
            + "left \(shown(bytes("NEXT"))) queued")
    guard guarded.zoneIsIntact else {
        return Mismatch(
            expected: "\(expected)", got: "\(got), and bytes past the buffer's end changed",
            hint: overrunHint)
    }
    let bound = 4 << 20
    if grown >= bound {
        return Mismatch(
            expected: "peak memory growing by under \(mebibytes(bound))",
            got: "peak memory grew by \(mebibytes(grown)) for a body of \(mebibytes(totalSize))",
            hint: heldHint)
    }
    if got != expected, case .returned(let returned) = outcome, returned != digest,
        count == totalSize, firstDifference == nil
    {
        return Mismatch(expected: "\(expected)", got: "\(got)", hint: hashHint)
    }
    return expect(got, expected)
}

/// The MD5 of the first `size` bytes of `bodyPattern`, worked out once with
/// Python's hashlib (hashing 8 MiB again here would double the check's time).
let patternDigests = [
    1 << 16: "9cc60713923528a1dd94e1c1ab0ebc9e",
    8 << 20: "87efc8a53971b3cf4400b68dad563855",
]

/// `8.0 MiB`.
func mebibytes(_ count: Int) -> String {
    let tenths = (count * 10 + (1 << 19)) >> 20
    return "\(tenths / 10).\(tenths % 10) MiB"
}

/// The process's peak resident memory so far, in bytes.
///
/// The corresponding C function is `getrusage(2)`.
func peakResidentBytes() -> Int {
    var usage = rusage()
    #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024  // Linux counts in KiB
    #else
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss  // macOS counts in bytes
    #endif
}
