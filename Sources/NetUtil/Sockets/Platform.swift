// The few places where Linux (Glibc) and macOS (Darwin) spell the same C API
// differently. Everything else in NetUtil reads the same on both.
#if canImport(Glibc)
    @_exported import Glibc
    import GlibcExtras

    /// `SOCK_STREAM` as the plain integer `socket(2)` takes.
    public let streamSocketType = Int32(SOCK_STREAM.rawValue)
    /// `SOCK_DGRAM` as the plain integer `socket(2)` takes.
    public let datagramSocketType = Int32(SOCK_DGRAM.rawValue)
    /// Asks `send(2)` to fail with EPIPE instead of raising SIGPIPE.
    public let noSignalOnSend = Int32(MSG_NOSIGNAL)
    /// The `ioctl(2)` request that asks how many bytes are queued for reading.
    let bytesQueuedRequest = UInt(FIONREAD)
    /// Asks `socket(2)` to make the socket close-on-exec from the start.
    let closeOnExecSocketFlag = Int32(SOCK_CLOEXEC.rawValue)
#elseif canImport(Darwin)
    @_exported import Darwin

    public let streamSocketType = SOCK_STREAM
    public let datagramSocketType = SOCK_DGRAM
    /// macOS has no MSG_NOSIGNAL; `Socket` sets SO_NOSIGPIPE on every socket instead.
    public let noSignalOnSend: Int32 = 0
    /// FIONREAD is `_IOR('f', 127, int)` there, a macro Swift cannot import.
    let bytesQueuedRequest: UInt = 0x4004_667F
    /// macOS has no SOCK_CLOEXEC; `Socket` sets FD_CLOEXEC with `fcntl` instead.
    let closeOnExecSocketFlag: Int32 = 0
#endif

/// The C `close(2)`, under a name that `Socket.close()` does not hide.
func posixClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}

/// The C `write(2)`, under a name that `Output.write` does not hide.
func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// `accept(2)` with the new socket close-on-exec from the start: `accept4`
/// with `SOCK_CLOEXEC` on Linux. Elsewhere `accept`, then `fcntl`: a program
/// started by another thread in between could inherit the socket.
func acceptCloseOnExec(
    _ descriptor: Int32,
    _ address: UnsafeMutablePointer<sockaddr>,
    _ length: UnsafeMutablePointer<socklen_t>
) -> Int32 {
    #if canImport(Glibc)
        if let accept4 = GlibcExtras.accept4 {
            return accept4(descriptor, address, length, closeOnExecSocketFlag)
        }
    #endif
    let accepted = accept(descriptor, address, length)
    if accepted >= 0 { _ = fcntl(accepted, F_SETFD, FD_CLOEXEC) }
    return accepted
}
