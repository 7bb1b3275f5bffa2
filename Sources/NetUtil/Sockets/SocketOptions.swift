/// What a socket can tell about its kernel buffers, and how long it may wait.
extension Socket {
    /// How many received bytes wait in the kernel's receive buffer, not yet
    /// taken by any `recv`. Lessons print it after each `recv` to show that
    /// what a call does not take stays queued for the next one.
    ///
    /// The corresponding C call is `ioctl(fd, FIONREAD, &count)`.
    public func queuedByteCount() throws(SocketError) -> Int {
        var count: Int32 = 0
        _ = try retryingOnInterrupt("ioctl(FIONREAD)") {
            ioctl(descriptor, bytesQueuedRequest, &count)
        }
        return Int(count)
    }

    /// Makes every later `recv` on this socket give up after `seconds` with
    /// `SocketError.timedOut` instead of blocking for ever. Zero means no limit.
    ///
    /// The corresponding C call is `setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, ...)`.
    public func setReceiveTimeout(seconds: Double) throws(SocketError) {
        // Whole microseconds first, so that rounding never makes tv_usec 1,000,000.
        let microseconds = Int((seconds * 1_000_000).rounded())
        var limit = timeval(
            tv_sec: .init(microseconds / 1_000_000),
            tv_usec: .init(microseconds % 1_000_000)
        )
        _ = try retryingOnInterrupt("setsockopt(SO_RCVTIMEO)") {
            setsockopt(
                descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// Makes every later send on this socket give up after `seconds` without
    /// progress, failing with EAGAIN, instead of blocking for ever on a peer
    /// that stops reading. Zero means no limit.
    ///
    /// The corresponding C call is `setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, ...)`.
    public func setSendTimeout(seconds: Double) throws(SocketError) {
        // A positive time too small for a whole microsecond is one, never 0 ("no limit").
        let microseconds = seconds > 0 ? max(1, Int((seconds * 1_000_000).rounded())) : 0
        var limit = timeval(
            tv_sec: .init(microseconds / 1_000_000),
            tv_usec: .init(microseconds % 1_000_000)
        )
        _ = try retryingOnInterrupt("setsockopt(SO_SNDTIMEO)") {
            setsockopt(
                descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// Waits until at least `count` bytes are queued in the receive buffer,
    /// without reading any of them, for at most `seconds`. Returns how many
    /// are queued: `count` or more, or fewer if the time ran out first.
    ///
    /// No system call blocks until a given number of bytes has arrived and
    /// leaves them unread, so this asks `FIONREAD` once a millisecond. The
    /// lessons use it to take timing out of a demo: "both messages are in
    /// the buffer" becomes a fact, not a hope about how long a sleep lasts.
    public func waitUntilQueued(atLeast count: Int, seconds: Double) throws(SocketError) -> Int {
        let deadline = ContinuousClock.now + .milliseconds(Int((seconds * 1000).rounded()))
        while true {
            let queued = try queuedByteCount()
            if queued >= count || ContinuousClock.now >= deadline { return queued }
            sleep(seconds: 0.001)
        }
    }
}
