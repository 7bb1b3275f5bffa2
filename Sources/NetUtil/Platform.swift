// The few places where Linux (Glibc) and macOS (Darwin) spell the same C API
// differently. Everything else in NetUtil reads the same on both.
#if canImport(Glibc)
    @_exported import Glibc

    /// `SOCK_STREAM` as the plain integer `socket(2)` takes.
    public let streamSocketType = Int32(SOCK_STREAM.rawValue)
    /// `SOCK_DGRAM` as the plain integer `socket(2)` takes.
    public let datagramSocketType = Int32(SOCK_DGRAM.rawValue)
    /// Asks `send(2)` to fail with EPIPE instead of raising SIGPIPE.
    let noSignalOnSend = Int32(MSG_NOSIGNAL)
#elseif canImport(Darwin)
    @_exported import Darwin

    public let streamSocketType = SOCK_STREAM
    public let datagramSocketType = SOCK_DGRAM
    /// macOS has no MSG_NOSIGNAL; `Socket` sets SO_NOSIGPIPE on every socket instead.
    let noSignalOnSend: Int32 = 0
#endif

/// The C `close(2)`, under a name that `Socket.close()` does not hide.
func posixClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}

/// The C `write(2)`, under a name that `Output.write` does not hide.
func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// The C `accept(2)`, under a name that `TCPListener.accept()` does not hide.
func posixAccept(
    _ descriptor: Int32,
    _ address: UnsafeMutablePointer<sockaddr>,
    _ length: UnsafeMutablePointer<socklen_t>
) -> Int32 {
    accept(descriptor, address, length)
}
