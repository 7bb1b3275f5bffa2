/// The bytes a non-blocking program has promised a peer and the kernel has
/// not taken yet.
///
/// A blocking `send` waits until the kernel's send buffer has room for
/// everything. A non-blocking one takes what fits and returns; the rest
/// must wait here until `poll` reports the socket writable again. The
/// queue only grows when frames are added, so its owner decides how much
/// it may hold: a peer that never reads would otherwise make it grow for
/// ever.
public struct OutputQueue: Sendable {
    /// `bytes[sent...]` are still to go; earlier bytes already went.
    private var bytes: [UInt8] = []
    private var sent = 0

    public init() {}

    /// How many bytes wait to be sent.
    public var count: Int { bytes.count - sent }
    public var isEmpty: Bool { count == 0 }

    /// Queues one whole frame: length, header and body, in one run of
    /// bytes, so that a small frame leaves in one segment (see lesson 05 on
    /// Nagle's algorithm and three small sends).
    public mutating func append(_ frame: Frame) {
        if sent > 0 {
            bytes.removeFirst(sent)
            sent = 0
        }
        bytes += frame.prefix
        bytes += frame.body
    }

    /// What one `flush(to:)` did.
    public struct Progress: Sendable, Equatable {
        /// Bytes the kernel took, over every `send` call made.
        public var sent: Int
        /// True if the kernel stopped taking bytes (EAGAIN) with some still queued.
        public var blocked: Bool
    }

    /// Sends from the front of the queue until it is empty or the kernel's
    /// send buffer is full (EAGAIN). A call that takes only part of what it
    /// was offered (a partial write) is normal here: the rest stays queued.
    ///
    /// `MSG_NOSIGNAL`: a peer that has gone makes `send` fail with EPIPE
    /// instead of killing the whole server with SIGPIPE.
    ///
    /// The corresponding C function is `send(2)`.
    public mutating func flush(to socket: Socket) throws(SocketError) -> Progress {
        var progress = Progress(sent: 0, blocked: false)
        while !isEmpty {
            let result = bytes.withUnsafeBytes { buffer in
                send(socket.descriptor, buffer.baseAddress! + sent, count, noSignalOnSend)
            }
            if result >= 0 {
                sent += result
                progress.sent += result
                continue
            }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                progress.blocked = true
                break
            }
            throw .failed(call: "send", address: nil, errno: code)
        }
        if isEmpty {
            bytes = []  // an idle connection keeps no buffer
            sent = 0
        }
        return progress
    }
}
