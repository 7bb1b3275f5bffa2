/// Sending and receiving whole frames on a connected socket.
extension Socket {
    /// Sends `frame` with one gather write: the header length and header from
    /// one buffer, the body from its own, in a single system call, with no
    /// copying them together first. Loops over partial writes.
    ///
    /// Three separate sends (length, header, body) would be three small
    /// segments: with Nagle's algorithm the second waits until the first is
    /// acknowledged, and the receiver may hold that ACK back for its delayed-
    /// ACK timer: on Linux 40 ms or more per message, once the connection is
    /// past its first exchanges (which Linux acknowledges at once).
    /// `MSG_NOSIGNAL`: as in `sendAll`.
    ///
    /// The corresponding C function is `sendmsg(2)`.
    @discardableResult
    public func sendFrame(_ frame: Frame) throws(SocketError) -> Int {
        try sendAll(gathering: frame.header.json, frame.body, lengthFirst: true) { vectors in
            var message = msghdr()
            message.msg_iov = vectors.baseAddress
            message.msg_iovlen = .init(vectors.count)
            return sendmsg(descriptor, &message, noSignalOnSend)
        }
    }

    /// The loop behind `sendFrame`, with the system call passed in so tests
    /// can make it write one byte at a time: `first`, then `second`, after
    /// `first`'s length (4 bytes, big-endian) if `lengthFirst`. Each round
    /// describes only what is still unsent. Nothing is copied or allocated:
    /// the length is on the stack, and so are the vectors pointing at the pieces.
    func sendAll(
        gathering first: [UInt8], _ second: [UInt8], lengthFirst: Bool = false,
        using sendVectors: (UnsafeMutableBufferPointer<iovec>) -> Int
    ) throws(SocketError) -> Int {
        let length = UInt32(first.count).bigEndian
        let total = (lengthFirst ? 4 : 0) + first.count + second.count
        var sent = 0
        while sent < total {
            sent += try retryingOnInterrupt("sendmsg") {
                withUnsafeTemporaryAllocation(of: iovec.self, capacity: 3) { vectors in
                    var count = 0
                    var skip = sent  // bytes already sent, from the front
                    func add(_ piece: UnsafeRawBufferPointer) {
                        if skip < piece.count {
                            vectors[count] = iovec(
                                iov_base: UnsafeMutableRawPointer(
                                    mutating: piece.baseAddress! + skip),
                                iov_len: piece.count - skip)
                            count += 1
                        }
                        skip = max(0, skip - piece.count)
                    }
                    return withUnsafeBytes(of: length) { lengthBytes in
                        first.withUnsafeBytes { head in
                            second.withUnsafeBytes { tail in
                                if lengthFirst { add(lengthBytes) }
                                add(head)
                                add(tail)
                                return sendVectors(.init(rebasing: vectors[..<count]))
                            }
                        }
                    }
                }
            }
        }
        return sent
    }

    /// Receives one whole frame, in as few `recv` calls as it can without
    /// ever mixing two frames: each call asks for at most `recvSize` bytes.
    ///
    /// While it needs a length or a header, it reads ahead (see
    /// `FrameDecoder.readAhead`): a small frame then takes a single `recv`,
    /// and whatever follows it waits in the decoder for the next call. A body
    /// still missing bytes after that is received straight into its own
    /// buffer of `total_size` bytes, never asking for more than it lacks.
    ///
    /// With a `frameTime`, each `recv` waits at most that long, and a frame,
    /// once its first byte is in, must be complete within `frameTime` of it:
    /// a client trickling a byte at a time is cut off with
    /// `SocketError.tooSlow` instead of holding the connection for ever.
    ///
    /// Returns nil if the peer closed cleanly between frames. Throws a
    /// `FrameError` for a malformed frame or an end part-way through one,
    /// and a `SocketError` if a `recv` fails.
    ///
    /// The corresponding C function is `recv(2)`.
    public func receiveFrame(
        _ decoder: inout FrameDecoder, recvSize: Int, frameTime: Double? = nil
    ) throws -> Frame? {
        var deadline: Deadline?
        while true {
            if let frame = try decoder.takeReadAhead() { return frame }
            if let frameTime {
                if decoder.isBetweenFrames {
                    try setReceiveTimeout(seconds: frameTime)
                } else if deadline == nil {
                    deadline = Deadline("a frame", seconds: frameTime)
                }
            }
            let received: Int
            if decoder.isReadingBody {
                let size = min(recvSize, decoder.bytesWanted)
                received = try receiveCall("recv(\(size))", by: deadline) {
                    decoder.fill(upTo: size) { recv(descriptor, $0.baseAddress, $0.count, 0) }
                }
                if received > 0, let frame = try decoder.advance() { return frame }
            } else {
                received = try receiveCall("recv(\(recvSize))", by: deadline) {
                    decoder.readAhead(upTo: recvSize) {
                        recv(descriptor, $0.baseAddress, $0.count, 0)
                    }
                }
            }
            if received == 0 {
                try decoder.endOfInput()
                return nil
            }
        }
    }
}
