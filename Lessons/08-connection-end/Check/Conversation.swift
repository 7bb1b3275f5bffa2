import ExerciseKit
import NetUtil

/// `askAndReadAll(_:request:limit:)`: the whole answer, read to the server's end.
public typealias AskAndReadAll = @Sendable (Int32, [UInt8], Int) throws -> [UInt8]

/// One request and its answer over a real TCP connection on loopback: the
/// learner's code at the client's end, a scripted server at the other.
struct Conversation: Sendable {
    let pair: StreamPair

    init() throws {
        pair = try StreamPair.overLoopbackTCP()
        // The server's thread looks up every 50 ms to see whether the check is over.
        try pair.peer.setReceiveTimeout(seconds: 0.05)
    }

    /// What the code did, and whether it closed its descriptor on the way.
    struct Result {
        let outcome: Outcome
        let closedItsDescriptor: Bool
    }

    /// Runs `code` while `script` plays the server, and waits for the script
    /// to finish. `describe` turns the answer into the text the check compares.
    func run(
        _ code: AskAndReadAll, request: [UInt8], limit: Int,
        describe: @escaping ([UInt8]) -> String = { shown($0) },
        server script: @escaping @Sendable (Server) throws -> Void
    ) throws -> Result {
        // The code gets a descriptor of its own for the client's end: if it
        // closes it, this check's own stays open and nothing is closed twice.
        let descriptor = fcntl(pair.reader.descriptor, F_DUPFD_CLOEXEC, 0)
        guard descriptor >= 0 else { throw ExerciseError.failed(call: "fcntl", errno: errno) }
        let peer = try Peer.run { peer in try script(Server(pair: pair, peer: peer)) }
        defer { peer.stop() }
        let outcome: Outcome
        do {
            outcome = try Outcome.of { describe(try code(descriptor, request, limit)) }
        } catch {
            close(descriptor)  // not started: nothing to check
            throw error
        }
        let closed = fcntl(descriptor, F_GETFD) == -1
        if !closed { close(descriptor) }
        return Result(outcome: outcome, closedItsDescriptor: closed)
    }

    /// The scripted server's side of the connection.
    struct Server {
        let pair: StreamPair
        let peer: Peer

        /// Everything the client sends until its FIN (recv returns 0); nil if
        /// the check ended first or the client sent more than `limit` bytes.
        func readRequest(limit: Int = 4 << 20) throws -> [UInt8]? {
            var request: [UInt8] = []
            while request.count <= limit {
                do {
                    let bytes = try pair.peer.receive(upTo: 65536)
                    if bytes.isEmpty { return request }
                    request += bytes
                } catch .timedOut {
                    if peer.isStopping { return nil }
                }
            }
            return nil
        }

        /// Sends each piece only once the one before has reached the client's
        /// kernel and been taken by its code, so no recv gets two pieces.
        /// Returns false if the check ended first.
        func answer(_ pieces: [[UInt8]]) throws -> Bool {
            for piece in pieces {
                try pair.peer.sendAll(piece)
                _ = try pair.peer.waitUntilAcknowledged(seconds: 1)
                guard try peer.waitUntilTaken(from: pair.reader) else { return false }
            }
            return true
        }

        /// Waits until the client's first bytes have arrived; false if the check ended first.
        func waitForFirstBytes() throws -> Bool {
            while try pair.peer.queuedByteCount() == 0 {
                if peer.isStopping { return false }
                sleep(seconds: 0.001)
            }
            return true
        }

        /// FIN: the answer is complete.
        func close() { pair.peer.close() }

        /// RST: SO_LINGER on with 0 seconds, then close.
        func reset() throws {
            try pair.peer.setLinger(seconds: 0)
            pair.peer.close()
        }
    }
}

/// What a check says when the code closed its descriptor: nothing is left to
/// read the answer from.
let closedHint =
    "close() instead of shutdown: close gives up the descriptor, both directions, so nothing "
    + "is left to read the answer from; shutdown(SHUT_WR) ends only your sending half "
    + "(Notes.md, lesson 08, Your turn)"

/// nil when the code did what was expected; otherwise what differed, with
/// the hint for a closed descriptor when that is what went wrong.
func expect(_ result: Conversation.Result, _ expected: Outcome) -> Mismatch? {
    guard result.closedItsDescriptor else { return expect(result.outcome, expected) }
    return Mismatch(
        expected: "\(expected)", got: "\(result.outcome), and its descriptor closed",
        hint: closedHint)
}

/// Bytes `a` to `z`, over and over: `count` of them. Built 26 at a time,
/// since a megabyte built byte by byte takes a debug build a while.
func letters(_ count: Int) -> [UInt8] {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz".utf8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + alphabet.count)
    while bytes.count < count { bytes += alphabet }
    return Array(bytes.prefix(count))
}

/// What the server read of `request`, as a check reports it.
func howMuchArrived(_ got: [UInt8], of request: [UInt8]) -> String {
    if got == request { return "all \(request.count) bytes" }
    if got.count == request.count { return "\(got.count) bytes, not the ones sent" }
    return "\(got.count) of the \(request.count) bytes"
}
