import ExerciseKit
import NetUtil
import Synchronization

/// Runs `code` on a body of `totalSize` bytes of `bodyPattern`, with "NEXT"
/// behind it, written into a `PipeSink`, and checks the answer, the bytes
/// that came through, what was left queued, the buffer's guard zone and the
/// growth of the process's resident memory while the body went through.
///
/// With `cuttingWrites`, the pipe cuts the code's writes short. A peer sends
/// the body one block at a time while the code reads.
func throughPipe(_ code: ReceiveFile, totalSize: Int, bufferSize: Int, cuttingWrites: Bool)
    throws -> Mismatch?
{
    let pair = try StreamPair()
    let guarded = GuardedBuffer(size: bufferSize)
    let sink = try PipeSink(cuttingWritesOf: cuttingWrites ? .current() : nil)
    let blocks = totalSize / BodyPattern.blockSize
    let memoryBefore = residentBytes()
    // The most memory seen while the body goes through, looked at after each block sent.
    let memoryMost = Mutex(memoryBefore)
    // On Linux a socket pair queues the whole 64 KiB body at once: the code's
    // first recv fills its buffer, and its first write must wait part-way.
    // Elsewhere a socket pair may queue less, and the peer sends as the code reads.
    #if os(Linux)
        let queuedFirst = cuttingWrites
    #else
        let queuedFirst = false
    #endif
    let peer = try Peer.run { peer in
        if queuedFirst { return }
        for _ in 0..<blocks where !peer.isStopping {
            try pair.peer.sendAll(bodyPattern.block)
            let now = residentBytes()
            memoryMost.withLock { $0 = max($0, now) }
        }
        try pair.peer.sendAll(bytes("NEXT"))
    }
    if queuedFirst {
        for _ in 0..<blocks { try pair.peer.sendAll(bodyPattern.block) }
        try pair.peer.sendAll(bytes("NEXT"))
    }
    let outcome: Outcome
    do {
        outcome = try Outcome.of {
            try code(pair.reader.descriptor, totalSize, sink.writeEnd, guarded.buffer)
        }
    } catch {
        _ = sink.finish()  // not started: nothing to check
        throw error
    }
    let now = residentBytes()
    let grown = memoryMost.withLock { max($0, now) } - memoryBefore
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
            expected: "memory growing by under \(mebibytes(bound))",
            got: "memory grew by \(mebibytes(grown)) for a body of \(mebibytes(totalSize))",
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

/// The process's resident memory now, in bytes: on Linux the second number
/// in /proc/self/statm, which counts pages. Elsewhere the peak so far, from
/// `getrusage(2)`: growth measured with it can only come out smaller.
func residentBytes() -> Int {
    #if os(Linux)
        let statm = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
        if statm >= 0 {
            defer { close(statm) }
            var text = [UInt8](repeating: 0, count: 128)
            let got = read(statm, &text, text.count)
            let fields = text.prefix(max(got, 0)).split(separator: UInt8(ascii: " "))
            if fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) {
                return pages * sysconf(Int32(_SC_PAGESIZE))
            }
        }
    #endif
    var usage = rusage()
    #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024  // Linux counts in KiB
    #else
        getrusage(RUSAGE_SELF, &usage)
        return usage.ru_maxrss  // macOS counts in bytes
    #endif
}
