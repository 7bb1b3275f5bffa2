/// One connection's incoming frames, for a program that never waits on one
/// socket: bytes go in whenever `poll` says some arrived, frames come out
/// one at a time, and everything in between stays here.
///
/// `receiveFrame` loops until a frame is whole, blocking as often as it
/// takes. A one-thread server cannot: it takes what one `recv` brings, then
/// goes back to `poll` for the other connections. So the half-read frame
/// has to live somewhere between rounds. It lives in the same
/// `FrameDecoder` lesson 05 uses, whose state machine never cared whether
/// the next bytes come a moment later or ten `poll` rounds later.
///
/// Use it in this order, every round: take frames with `nextFrame()` until
/// it returns nil, and only then `receive` once more.
public struct IncomingFrames: Sendable {
    public private(set) var decoder: FrameDecoder
    /// True while bytes read ahead may still hold (part of) a frame.
    private var hasBytesAhead = false

    public init(maximumBodySize: Int) {
        decoder = FrameDecoder(maximumBodySize: maximumBodySize)
    }

    /// True between frames: no byte of an unfinished frame is held.
    public var isBetweenFrames: Bool { decoder.isBetweenFrames }

    /// The next whole frame from bytes already received, or nil if it needs
    /// more. Bytes past the frame stay here for the next call.
    public mutating func nextFrame() throws(FrameError) -> Frame? {
        guard hasBytesAhead else { return nil }
        if let frame = try decoder.takeReadAhead() { return frame }
        hasBytesAhead = false
        return nil
    }

    /// What one `recv` did.
    public enum Received: Sendable, Equatable {
        /// Bytes arrived; `nextFrame()` may now have a frame.
        case bytes(Int)
        /// Nothing was queued (EAGAIN, or EINTR): ask `poll` again.
        case wouldBlock
        /// The peer closed between frames.
        case closed
    }

    /// Exactly one `recv` of at most `maximum` bytes, which never waits on a
    /// non-blocking socket (and on a blocking one, only if `poll` did not say
    /// it was readable). Throws a `FrameError` if the peer closed part-way
    /// through a frame, and a `SocketError` if the call failed.
    ///
    /// The corresponding C function is `recv(2)`.
    public mutating func receive(from socket: Socket, upTo maximum: Int) throws -> Received {
        precondition(!hasBytesAhead, "take every frame with nextFrame() before receiving more")
        // Received into a buffer that lives for this call only; the decoder
        // keeps just the bytes that came. So a connection that sent 31 bytes
        // holds 31 bytes between rounds, not a buffer of `maximum`.
        var result = 0
        var failure: Int32 = 0
        let chunk = [UInt8](unsafeUninitializedCapacity: maximum) { buffer, count in
            result = recv(socket.descriptor, buffer.baseAddress, maximum, 0)
            if result == -1 { failure = errno }  // read before anything else can change it
            count = max(0, result)
        }
        if result > 0 {
            _ = chunk.withUnsafeBytes { bytes in
                decoder.readAhead(upTo: bytes.count) { space in
                    space.copyMemory(from: bytes)
                    return bytes.count
                }
            }
        }
        switch result {
        case -1 where [EAGAIN, EWOULDBLOCK, EINTR].contains(failure):
            return .wouldBlock
        case -1:
            throw SocketError.failed(call: "recv(\(maximum))", address: nil, errno: failure)
        case 0:
            try decoder.endOfInput()
            return .closed
        default:
            hasBytesAhead = true
            return .bytes(result)
        }
    }
}
