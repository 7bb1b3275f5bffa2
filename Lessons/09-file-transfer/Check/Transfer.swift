import ExerciseKit
import NetUtil

/// `receiveFile(from:totalSize:into:buffer:)`: the body written to `file`, its MD5 returned.
public typealias ReceiveFile =
    @Sendable (Int32, Int, Int32, UnsafeMutableRawBufferPointer) throws -> String

/// The buffer handed to the code, with a guard zone after it that the code
/// must never touch. A recv asked for more than the buffer holds writes into
/// the zone, and the check sees the damage instead of memory being overwritten.
final class GuardedBuffer: @unchecked Sendable {
    // @unchecked: the memory is touched by the code's thread, then read by the
    // check's after the code has returned.
    let buffer: UnsafeMutableRawBufferPointer
    private let whole: UnsafeMutableRawBufferPointer
    /// Larger than anything a socket pair queues, so an overrun stays inside it.
    private static let zoneSize = 1 << 20
    private static let zoneByte: UInt8 = 0xA5

    init(size: Int) {
        whole = .allocate(byteCount: size + Self.zoneSize, alignment: 64)
        whole.initializeMemory(as: UInt8.self, repeating: Self.zoneByte)
        buffer = UnsafeMutableRawBufferPointer(rebasing: whole[..<size])
    }

    deinit { whole.deallocate() }

    /// True if no byte after the buffer's end has changed: the first is still
    /// the zone's byte, and each is the same as the one after it.
    var zoneIsIntact: Bool {
        let zone = whole.baseAddress! + buffer.count
        return zone.load(as: UInt8.self) == Self.zoneByte
            && memcmp(zone, zone + 1, Self.zoneSize - 1) == 0
    }
}

/// A file of its own under /tmp, removed from the directory at once: it lives
/// as long as its descriptor, and no other program can see it.
final class ScratchFile: Sendable {
    let descriptor: Int32

    init() throws {
        var template = Array("/tmp/exercise09-XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw ExerciseError.failed(call: "mkstemp", errno: errno) }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        unlink(template)
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Every byte in the file, from its start (only small files are checked this way).
    func contents() -> [UInt8] {
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = pread(descriptor, &chunk, chunk.count, off_t(contents.count))
            if got <= 0 { return contents }
            contents += chunk[..<got]
        }
    }
}

/// What the code did with one body: its answer, what reached the file, how
/// many bytes it left queued in the socket, and whether it stayed in its buffer.
struct Received {
    let outcome: Outcome
    let written: [UInt8]
    let leftQueued: [UInt8]
    let stayedInBuffer: Bool

    /// The outcome with what was written and left, as the reports print it.
    func report(sent body: [UInt8]) -> Outcome {
        var what = "wrote \(describe(written, sent: body))"
        if !leftQueued.isEmpty { what += ", left \(shown(leftQueued)) queued" }
        switch outcome {
        case .returned(let digest): return .returned("returned \(digest), \(what)")
        case .threw(let error): return .threw("\(error), \(what)")
        }
    }
}

/// `bytes` as a report names them, next to the `body` that was sent.
func describe(_ bytes: [UInt8], sent body: [UInt8]) -> String {
    if bytes == body { return "the \(byteCount(body.count)) sent" }
    if bytes.count > body.count && Array(bytes.prefix(body.count)) == body {
        return "the \(byteCount(body.count)) sent, then \(shown(Array(bytes[body.count...])))"
    }
    if bytes.isEmpty { return "nothing" }
    if bytes.count < body.count && Array(body.prefix(bytes.count)) == bytes {
        return "only the first \(bytes.count) of the \(byteCount(body.count)) sent"
    }
    return "\(byteCount(bytes.count)), not the ones sent"
}

/// Runs `code` on a body of `totalSize` bytes that `script` sends over a
/// socket pair, with a buffer of `bufferSize` bytes and a scratch file.
func receive(
    with code: ReceiveFile, totalSize: Int, bufferSize: Int,
    peer script: @escaping @Sendable (Peer, StreamPair) throws -> Void
) throws -> Received {
    let pair = try StreamPair()
    let file = try ScratchFile()
    let guarded = GuardedBuffer(size: bufferSize)
    let peer = try Peer.run { try script($0, pair) }
    defer { peer.stop() }
    let outcome = try Outcome.of {
        try code(pair.reader.descriptor, totalSize, file.descriptor, guarded.buffer)
    }
    return Received(
        outcome: outcome, written: file.contents(), leftQueued: try takeQueued(from: pair.reader),
        stayedInBuffer: guarded.zoneIsIntact)
}

/// The bytes still queued at `socket`, taken without waiting.
func takeQueued(from socket: Socket) throws -> [UInt8] {
    let count = try socket.queuedByteCount()
    return count == 0 ? [] : try socket.receive(upTo: count)
}

/// The bytes `a` to `z`, over and over: `count` of them.
func letters(_ count: Int) -> [UInt8] {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz".utf8)
    return (0..<count).map { alphabet[$0 % alphabet.count] }
}
