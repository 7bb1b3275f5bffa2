import Dispatch
import NetUtil
import Synchronization

/// Two connected stream sockets: one end for the learner's code, one for the
/// scripted peer. A socket pair follows the same `recv` rules as a TCP
/// connection (bytes in order, no boundaries, 0 bytes once the peer has
/// closed) with no port and no handshake.
///
/// The corresponding C function is `socketpair(2)`.
public struct StreamPair: Sendable {
    /// The end the learner's code reads from.
    public let reader: Socket
    /// The end the scripted peer writes to.
    public let peer: Socket

    public init() throws {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, streamSocketType, 0, &ends) == 0 else {
            throw ExerciseError.failed(call: "socketpair", errno: errno)
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        reader = Socket(adopting: ends[0])
        peer = Socket(adopting: ends[1])
    }
}

/// A scripted peer running on a thread of its own, next to the learner's code.
///
/// A script that waits for the learner's code waits on an event (the bytes
/// it sent have been taken), never for a fixed time, and gives up as soon as
/// `stop()` says the code has returned.
public final class Peer: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    private init() {}

    /// Starts `script` on a new thread.
    public static func run(_ script: @escaping @Sendable (Peer) throws -> Void) throws -> Peer {
        let peer = Peer()
        try startThread {
            // A peer that fails (its socket closed under it) simply stops.
            try? script(peer)
            peer.finished.signal()
        }
        return peer
    }

    /// True once the learner's code has returned.
    public var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Tells the script to stop and waits for it, for at most a second.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        _ = finished.wait(timeout: .now() + .seconds(1))
    }

    /// Sends each piece only after `pair.reader` has taken every byte of
    /// the one before, so no `recv` can ever return more than one piece.
    /// Returns false if told to stop first.
    @discardableResult
    public func send(_ pieces: [[UInt8]], over pair: StreamPair) throws -> Bool {
        for piece in pieces {
            try pair.peer.sendAll(piece)
            guard try waitUntilTaken(from: pair.reader) else { return false }
        }
        return true
    }

    /// Sends `bytes` one byte at a time: every `recv` at the other end gets one byte.
    @discardableResult
    public func dribble(_ bytes: [UInt8], over pair: StreamPair) throws -> Bool {
        try send(bytes.map { [$0] }, over: pair)
    }

    /// Waits until nothing is queued at `reader`: the code has taken it all.
    /// No system call waits for another socket's buffer to empty, so this
    /// asks `FIONREAD` once a millisecond. Returns false if told to stop first.
    public func waitUntilTaken(from reader: Socket) throws -> Bool {
        while try reader.queuedByteCount() > 0 {
            if isStopping { return false }
            sleep(seconds: 0.001)
        }
        return !isStopping
    }
}

/// Bytes of a string, for writing checks: `bytes("hello")`.
public func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
