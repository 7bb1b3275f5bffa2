/// A frame whose body is too large to hold: the header goes first, on its
/// own, and the body follows through a fixed buffer, one piece at a time.
///
/// On the wire nothing changes (lesson 05's length, header, `total_size`
/// bytes of body); only the receiver's way of reading the body does. The
/// body of a streamed frame is never held in memory as one array.
extension FrameHeader {
    /// The bytes that go before the body: the header's length, big-endian, then the header.
    public var prefix: [UInt8] {
        withUnsafeBytes(of: UInt32(json.count).bigEndian, Array.init) + json
    }
}

extension Socket {
    /// Sends a header alone; the body, if any, is the caller's to stream after it.
    public func sendHeader(_ header: FrameHeader) throws(SocketError) {
        try sendAll(header.prefix)
    }

    /// Receives the header length and the header of the next frame, and not
    /// one byte more: what follows is the body, left in the kernel for the
    /// caller to read in pieces. `total_size` is not limited here; the
    /// caller checks it against its own limit before reading the body.
    ///
    /// With a `deadline`, the whole header must be in by then, or
    /// `SocketError.tooSlow` is thrown.
    ///
    /// Returns nil if the peer closed cleanly before the frame began.
    public func receiveHeader(maximumHeaderLength: Int = 65536, by deadline: Deadline? = nil)
        throws -> FrameHeader?
    {
        guard let lengthBytes = try receiveExactly(4, by: deadline) else { return nil }
        let length = lengthBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }  // big-endian
        guard length > 0 else { throw FrameError.emptyHeader }
        guard length <= maximumHeaderLength else {
            throw FrameError.headerTooLong(length: length, limit: maximumHeaderLength)
        }
        let json: [UInt8]
        do {
            guard let bytes = try receiveExactly(Int(length), by: deadline) else {
                throw FrameError.endedPartWay(part: .header, received: 0, expected: Int(length))
            }
            json = bytes
        } catch SocketError.closedPartWay(let expected, let received) {
            throw FrameError.endedPartWay(part: .header, received: received, expected: expected)
        }
        if let object = JSONReader.object(from: json), object["total_size"] == nil {
            // No `total_size`: in a streamed exchange that means no body, as a
            // request such as `{"op": "list"}` has none.
            guard String(validating: json, as: UTF8.self) != nil else {
                throw FrameError.headerNotUTF8
            }
            return FrameHeader(json: json, totalSize: 0)
        }
        return try FrameHeader.parse(json, maximumBodySize: Int.max)
    }

    /// One `recv` into `buffer`: returns how many bytes arrived, 0 when the
    /// peer has closed. A body is read by calling it until `total_size` bytes are in.
    /// With a `deadline`, it waits only until then (see `Deadline`).
    ///
    /// The corresponding C function is `recv(2)`.
    public func receive(into buffer: UnsafeMutableRawBufferPointer, by deadline: Deadline? = nil)
        throws(SocketError) -> Int
    {
        try receiveCall("recv(\(buffer.count))", by: deadline) {
            recv(descriptor, buffer.baseAddress, buffer.count, 0)
        }
    }

    /// Sends every byte `buffer` points to, looping over short writes.
    /// `MSG_NOSIGNAL`: as in `sendAll(_:)`.
    ///
    /// The corresponding C function is `send(2)`.
    public func sendAll(_ buffer: UnsafeRawBufferPointer) throws(SocketError) {
        var sent = 0
        while sent < buffer.count {
            sent += try retryingOnInterrupt("send") {
                send(descriptor, buffer.baseAddress! + sent, buffer.count - sent, noSignalOnSend)
            }
        }
    }

    /// Sends small writes at once instead of holding them back (Nagle's
    /// algorithm) until earlier data is acknowledged: a header sent on its
    /// own, or the last piece of a body, then never waits on a delayed ACK.
    ///
    /// The corresponding C call is `setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, ...)`.
    public func setNoDelay() throws(SocketError) {
        try setOption(
            level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1, called: "TCP_NODELAY")
    }

    /// Whether bytes (or the peer's close) are waiting to be read, without waiting.
    /// A sender streaming a body asks between pieces, to see an early answer
    /// such as a refusal instead of sending on into a connection being closed.
    ///
    /// The corresponding C function is `poll(2)`.
    public func hasInput() -> Bool {
        var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&ready, 1, 0) > 0
    }
}
