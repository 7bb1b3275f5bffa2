// The few places where Linux (Glibc) and macOS (Darwin) spell the same C API
// differently. Everything else in NetUtil reads the same on both.
#if canImport(Glibc)
    @_exported import Glibc

    /// `SOCK_STREAM` as the plain integer `socket(2)` takes.
    public let streamSocketType = Int32(SOCK_STREAM.rawValue)
    /// `SOCK_DGRAM` as the plain integer `socket(2)` takes.
    public let datagramSocketType = Int32(SOCK_DGRAM.rawValue)
    /// Asks `send(2)` to fail with EPIPE instead of raising SIGPIPE.
    public let noSignalOnSend = Int32(MSG_NOSIGNAL)
    /// The `ioctl(2)` request that asks how many bytes are queued for reading.
    let bytesQueuedRequest = UInt(FIONREAD)
    /// A `posix_spawn` setup, before its `_init` call.
    public typealias SpawnActions = posix_spawn_file_actions_t
    public typealias SpawnAttributes = posix_spawnattr_t
    /// The environment `posix_spawn` passes on unchanged.
    public var inheritedEnvironment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? { environ }
#elseif canImport(Darwin)
    @_exported import Darwin

    public let streamSocketType = SOCK_STREAM
    public let datagramSocketType = SOCK_DGRAM
    /// macOS has no MSG_NOSIGNAL; `Socket` sets SO_NOSIGPIPE on every socket instead.
    public let noSignalOnSend: Int32 = 0
    /// FIONREAD is `_IOR('f', 127, int)` there, a macro Swift cannot import.
    let bytesQueuedRequest: UInt = 0x4004_667F
    /// On macOS these are opaque pointers that `_init` fills in.
    public typealias SpawnActions = posix_spawn_file_actions_t?
    public typealias SpawnAttributes = posix_spawnattr_t?
    /// The environment `posix_spawn` passes on unchanged.
    public var inheritedEnvironment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        _NSGetEnviron().pointee
    }
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
