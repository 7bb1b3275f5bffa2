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
        try sendAll(gathering: frame.prefix, frame.body) { vectors in
            var message = msghdr()
            message.msg_iov = vectors.baseAddress
            message.msg_iovlen = .init(vectors.count)
            return sendmsg(descriptor, &message, noSignalOnSend)
        }
    }

    /// The loop behind `sendFrame`, with the system call passed in so tests
    /// can make it write one byte at a time. Each round describes only what
    /// is still unsent: the rest of `first`, then the rest of `second`.
    func sendAll(
        gathering first: [UInt8], _ second: [UInt8],
        using sendVectors: (UnsafeMutableBufferPointer<iovec>) -> Int
    ) throws(SocketError) -> Int {
        let total = first.count + second.count
        var sent = 0
        while sent < total {
            sent += try retryingOnInterrupt("sendmsg") {
                first.withUnsafeBytes { head in
                    second.withUnsafeBytes { tail in
                        var vectors: [iovec] = []
                        for (buffer, start) in [(head, sent), (tail, sent - head.count)]
                        where start < buffer.count {
                            let skipped = max(0, start)
                            vectors.append(
                                iovec(
                                    iov_base: UnsafeMutableRawPointer(
                                        mutating: buffer.baseAddress! + skipped),
                                    iov_len: buffer.count - skipped))
                        }
                        return vectors.withUnsafeMutableBufferPointer { sendVectors($0) }
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
    /// Returns nil if the peer closed cleanly between frames. Throws a
    /// `FrameError` for a malformed frame or an end part-way through one,
    /// and a `SocketError` if a `recv` fails.
    ///
    /// The corresponding C function is `recv(2)`.
    public func receiveFrame(_ decoder: inout FrameDecoder, recvSize: Int) throws -> Frame? {
        while true {
            if let frame = try decoder.takeReadAhead() { return frame }
            let received: Int
            if decoder.isReadingBody {
                let size = min(recvSize, decoder.bytesWanted)
                received = try receiveCall("recv(\(size))") {
                    decoder.fill(upTo: size) { recv(descriptor, $0.baseAddress, $0.count, 0) }
                }
                if received > 0, let frame = try decoder.advance() { return frame }
            } else {
                received = try receiveCall("recv(\(recvSize))") {
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
