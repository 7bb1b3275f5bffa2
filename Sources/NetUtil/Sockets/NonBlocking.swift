/// Non-blocking sockets and `poll`: how one thread serves many connections.
///
/// A blocking call waits inside the kernel until it can do its work, and
/// while it waits, its thread can do nothing else. A non-blocking socket
/// makes every call return at once: with the work done, or with EAGAIN
/// ("nothing to do yet, try later"). `poll` then tells the one thread which
/// sockets have something to do, so it never asks in vain for long.
extension Socket {
    /// Makes every later call on this socket return at once instead of
    /// waiting: `recv` with nothing queued, `send` with a full send buffer and
    /// `accept` with no connection waiting all fail with EAGAIN.
    ///
    /// On Linux a socket returned by `accept` does not inherit this from the
    /// listening socket (on macOS it does), so each one is set on its own.
    ///
    /// The corresponding C function is `fcntl(2)` with `O_NONBLOCK`.
    public func makeNonBlocking() throws(SocketError) {
        let flags = try retryingOnInterrupt("fcntl(F_GETFL)") { fcntl(descriptor, F_GETFL) }
        _ = try retryingOnInterrupt("fcntl(F_SETFL, O_NONBLOCK)") {
            fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        }
    }
}

extension TCPListener {
    /// Takes the next connection waiting in the backlog, or returns nil at
    /// once if there is none (EAGAIN) on a non-blocking listener.
    ///
    /// The corresponding C function is `accept(2)`.
    public func acceptIfReady() throws(SocketError) -> (connection: Socket, peer: SocketAddress)? {
        do {
            return try accept()
        } catch .failed(_, _, let code) where code == EAGAIN || code == EWOULDBLOCK {
            return nil
        }
    }
}

/// Waits until at least one of `entries` is ready for what its `events` ask
/// (`POLLIN`: a `recv` or `accept` would not wait; `POLLOUT`: a `send` would
/// not wait), or until `milliseconds` have passed (-1: no limit). Fills in
/// each entry's `revents` and returns how many entries are ready.
///
/// An entry whose `fd` is negative is skipped: a way to stop watching a
/// descriptor for a while without rebuilding the list.
///
/// The corresponding C function is `poll(2)`.
public func waitForReadiness(_ entries: inout [pollfd], milliseconds: Int32) throws(SocketError)
    -> Int
{
    let count = nfds_t(entries.count)
    return Int(try retryingOnInterrupt("poll") { poll(&entries, count, milliseconds) })
}

/// What `revents` holds, in the words of `poll(2)`: `in`, `out`, `hup`, `err`.
public func readinessText(_ events: Int16) -> String {
    let names: [(Int32, String)] = [
        (Int32(POLLIN), "in"), (Int32(POLLOUT), "out"), (Int32(POLLHUP), "hup"),
        (Int32(POLLERR), "err"), (Int32(POLLNVAL), "nval"),
    ]
    return names.filter { Int32(events) & $0.0 != 0 }.map(\.1).joined(separator: "+")
}
