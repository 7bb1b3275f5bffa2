import Synchronization

/// Owns one socket descriptor and closes it exactly once: when `close()` is
/// called, or when the last reference goes away, whichever comes first.
///
/// Closing twice is a real bug in C: the number may already belong to a
/// socket or file opened since, and the second `close` would shut that one.
/// Here the descriptor is swapped for -1 atomically, so only one `close` can
/// ever see the real number, even if two threads race.
public final class Socket: Sendable {
    private let owned: Atomic<Int32>

    /// Takes ownership of a descriptor the caller got from `socket(2)` or `accept(2)`.
    public init(adopting descriptor: Int32) {
        owned = Atomic(descriptor)
        #if canImport(Darwin)
            // macOS has no MSG_NOSIGNAL; this socket option does the same job.
            var on: Int32 = 1
            setsockopt(
                descriptor, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    /// Creates a new socket of the given family (`AF_INET`, `AF_INET6`) and type.
    ///
    /// The socket is close-on-exec: if this process ever starts another
    /// program, the kernel closes the socket in it. Without that, every child
    /// would inherit the listening socket and every open connection, and
    /// hold them open (the peer never sees the end) for as long as it runs.
    /// `SOCK_CLOEXEC` sets it in the same call that makes the socket, so no
    /// other thread can start a program in between.
    ///
    /// The corresponding C function is `socket(2)`.
    convenience init(family: Int32, type: Int32) throws(SocketError) {
        let descriptor = try retryingOnInterrupt("socket") {
            socket(family, type | closeOnExecSocketFlag, 0)
        }
        #if canImport(Darwin)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)  // macOS has no SOCK_CLOEXEC
        #endif
        self.init(adopting: descriptor)
    }

    /// The descriptor, or -1 once closed (any call on it then fails with EBADF).
    ///
    /// Closing does not wake another thread blocked in `recv` or `accept` on
    /// this socket, and a thread that read the number just before the close
    /// could reach whatever reuses it: share a socket between threads only
    /// while it is open, and use `shutdown(2)` to wake a blocked reader.
    public var descriptor: Int32 { owned.load(ordering: .acquiring) }

    /// Closes the descriptor; later calls do nothing.
    ///
    /// For TCP, closing sends FIN: the peer's `recv` returns 0 bytes once it
    /// has read everything that came before.
    ///
    /// The corresponding C function is `close(2)`.
    public func close() {
        let descriptor = owned.exchange(-1, ordering: .acquiringAndReleasing)
        // close is not retried on EINTR: on Linux the descriptor is gone either way.
        if descriptor >= 0 { _ = posixClose(descriptor) }
    }

    deinit { close() }

    /// Sets an integer socket option such as `SO_REUSEADDR`.
    ///
    /// The corresponding C function is `setsockopt(2)`.
    func setOption(level: Int32, name: Int32, value: Int32, called: String) throws(SocketError) {
        var value = value
        _ = try retryingOnInterrupt("setsockopt(\(called))") {
            setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// The address this socket is bound to; after binding port 0, the port the kernel picked.
    ///
    /// The corresponding C function is `getsockname(2)`.
    public func localAddress() throws(SocketError) -> SocketAddress {
        try SocketAddress.filledIn { (address, length) throws(SocketError) in
            _ = try retryingOnInterrupt("getsockname") { getsockname(descriptor, address, length) }
        }
    }
}
