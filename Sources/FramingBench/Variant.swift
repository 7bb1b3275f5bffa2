import NetUtil

/// The ways of moving a message that the benchmark compares.
public enum Variant: String, CaseIterable, Sendable {
    /// No framing at all: both ends know the size in advance. The machine's limit.
    case raw
    /// Lesson 05's frame, through NetUtil's encoder and decoder.
    case framed
    /// Lesson 05's frame, its body passed through a fixed 256 KiB buffer, never held whole.
    case streamed
    /// The tutorial's pattern: three sends, native-endian length, `recv(1024)` appended.
    case tutorial
}

/// One end of a benchmark connection: its socket, and the frame decoder that
/// must live as long as the connection, since it may hold bytes it read ahead.
public final class BenchConnection {
    public let socket: Socket
    var decoder = FrameDecoder(maximumBodySize: 1 << 32)
    /// The streamed variant's one buffer, allocated on first use and then reused.
    lazy var piece = [UInt8](repeating: 0, count: rawChunk)

    public init(_ socket: Socket) {
        self.socket = socket
    }
}

/// Sends one message with `body` the way `variant` does.
public func sendMessage(_ body: [UInt8], over connection: BenchConnection, as variant: Variant)
    throws
{
    let socket = connection.socket
    switch variant {
    case .raw: try sendRaw(body, over: socket)
    case .framed, .streamed: try sendFramed(body, over: socket)  // the same bytes on the wire
    case .tutorial: try sendTutorial(body, over: socket)
    }
}

/// Receives one message the way `variant` does and returns its body.
/// `size` is the body size, which only the raw variant needs to be told.
public func receiveMessage(over connection: BenchConnection, as variant: Variant, size: Int)
    throws -> [UInt8]
{
    let socket = connection.socket
    switch variant {
    case .raw: return try receiveRaw(size, over: socket)
    case .framed: return try receiveFramed(over: socket, decoder: &connection.decoder)
    case .streamed:
        // Collected here for tests and the echoing side; `measureBulk` discards each piece.
        var body: [UInt8] = []
        _ = try connection.piece.withUnsafeMutableBytes { buffer in
            try receiveStreamed(over: socket, through: buffer) { piece, _ in
                body.append(contentsOf: piece)
            }
        }
        return body
    case .tutorial: return try receiveTutorial(over: socket)
    }
}

/// Why a benchmark peer could not go on.
public enum BenchError: Error, CustomStringConvertible {
    case peerClosed(received: Int, expected: Int)
    case badHeader(String)

    public var description: String {
        switch self {
        case .peerClosed(let received, let expected):
            "the peer closed after \(received) of \(expected) bytes"
        case .badHeader(let text): "unreadable header: \(text)"
        }
    }
}
