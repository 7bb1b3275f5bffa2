/// Sending and receiving on a connected socket: the calls every lesson traces.
extension Socket {
    /// Sends every byte of `bytes`, looping over short writes, and returns the count.
    ///
    /// A blocking `send` may still write only part of the buffer (a signal
    /// arrives, a send timeout expires), so one call is never assumed to be enough.
    /// `MSG_NOSIGNAL` makes a send to a closed peer fail with EPIPE instead of
    /// killing the whole process with SIGPIPE.
    ///
    /// The corresponding C function is `send(2)`.
    @discardableResult
    public func sendAll(_ bytes: [UInt8]) throws(SocketError) -> Int {
        try sendAll(bytes) { chunk in
            send(descriptor, chunk.baseAddress, chunk.count, noSignalOnSend)
        }
    }

    /// Sends the UTF-8 bytes of `text`; see `sendAll(_:)`.
    @discardableResult
    public func sendAll(_ text: String) throws(SocketError) -> Int {
        try sendAll(Array(text.utf8))
    }

    /// The loop behind `sendAll`, with the system call passed in so tests can
    /// make it write one byte at a time.
    func sendAll(
        _ bytes: [UInt8],
        using sendChunk: (UnsafeRawBufferPointer) -> Int
    ) throws(SocketError) -> Int {
        var sent = 0
        while sent < bytes.count {
            sent += try retryingOnInterrupt("send") {
                bytes.withUnsafeBytes { sendChunk(UnsafeRawBufferPointer(rebasing: $0[sent...])) }
            }
        }
        return sent
    }

    /// Exactly one `recv` call: returns what the kernel's receive buffer holds,
    /// up to `maximum` bytes. It blocks only while the buffer is empty and the
    /// peer is still open; an empty result means the peer closed and
    /// everything it sent has been read.
    ///
    /// Throws `SocketError.timedOut` when a receive timeout is set and expires.
    ///
    /// The corresponding C function is `recv(2)`.
    public func receive(upTo maximum: Int) throws(SocketError) -> [UInt8] {
        try receive(upTo: maximum) { buffer in
            recv(descriptor, buffer.baseAddress, buffer.count, 0)
        }
    }

    /// The single call behind `receive(upTo:)`, with the system call passed in for tests.
    func receive(
        upTo maximum: Int,
        using receiveChunk: (UnsafeMutableRawBufferPointer) -> Int
    ) throws(SocketError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: maximum)
        let count = try receiveCall("recv(\(maximum))") {
            bytes.withUnsafeMutableBytes { receiveChunk($0) }
        }
        bytes.removeLast(maximum - count)
        return bytes
    }

    /// Receives exactly `count` bytes, calling `recv` as often as it takes.
    ///
    /// Returns nil if the peer closed before sending any of them (a clean end),
    /// and throws `SocketError.closedPartWay` if it closed in the middle.
    /// With a `deadline`, all of them must be in by then (see `Deadline`).
    public func receiveExactly(_ count: Int, by deadline: Deadline? = nil) throws(SocketError)
        -> [UInt8]?
    {
        try receiveExactly(count, by: deadline) { buffer in
            recv(descriptor, buffer.baseAddress, buffer.count, 0)
        }
    }

    /// The loop behind `receiveExactly(_:)`, with the system call passed in for tests.
    func receiveExactly(
        _ count: Int, by deadline: Deadline? = nil,
        using receiveChunk: (UnsafeMutableRawBufferPointer) -> Int
    ) throws(SocketError) -> [UInt8]? {
        // One buffer of the final size, filled in place: no growing, no copying.
        var bytes = [UInt8](repeating: 0, count: count)
        var received = 0
        while received < count {
            let got = try receiveCall("recv(\(count - received))", by: deadline) {
                bytes.withUnsafeMutableBytes { receiveChunk(.init(rebasing: $0[received...])) }
            }
            if got == 0 {
                if received == 0 { return nil }
                throw .closedPartWay(expected: count, received: received)
            }
            received += got
        }
        return bytes
    }

    /// One receive system call, with EINTR retried and an expired receive
    /// timeout (which the kernel reports as EAGAIN) turned into `.timedOut`.
    /// `call` names it in an error, and is only worked out if there is one.
    func receiveCall(_ call: @autoclosure () -> String, _ body: () -> Int) throws(SocketError)
        -> Int
    {
        do {
            return try retryingOnInterrupt(call(), body)
        } catch .failed(_, _, let code) where code == EAGAIN || code == EWOULDBLOCK {
            throw .timedOut(call: call())
        }
    }
}
