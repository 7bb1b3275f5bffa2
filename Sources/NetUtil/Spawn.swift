/// Sets up a `posix_spawn` so that the child starts clean, whatever state
/// the parent is in: it keeps only descriptors 0, 1 and 2, no signal is
/// blocked, and SIGINT, SIGTERM, SIGPIPE and SIGHUP have their default actions.
///
/// Without this, a child inherits every descriptor the parent has open at
/// that instant, sockets included (a server's listening socket, other
/// clients' connections, a test's socket pairs), and holds their peers open
/// for as long as it runs. It would also inherit the signals the parent
/// blocks (see `onStopSignal`) or ignores, across `exec`, and Ctrl-C or
/// `kill` would no longer stop it.
///
/// The corresponding C functions are `posix_spawnattr_setsigmask(3)`,
/// `posix_spawnattr_setsigdefault(3)` and `posix_spawn_file_actions_addclosefrom_np(3)`.
public func startChildClean(
    _ actions: inout SpawnActions, _ attributes: inout SpawnAttributes
) {
    #if canImport(Glibc)
        _ = closeFromInChild?(&actions, 3)
    #else
        addSpawnFlags(&attributes, Int32(POSIX_SPAWN_CLOEXEC_DEFAULT))
    #endif
    var noneBlocked = sigset_t()
    sigemptyset(&noneBlocked)
    posix_spawnattr_setsigmask(&attributes, &noneBlocked)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGTERM, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    addSpawnFlags(&attributes, Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
}

/// A pipe, as (read end, write end).
///
/// The corresponding C function is `pipe(2)`.
public func makePipe() throws(SocketError) -> (read: Int32, write: Int32) {
    var ends: [Int32] = [-1, -1]
    _ = try retryingOnInterrupt("pipe") { pipe(&ends) }
    return (ends[0], ends[1])
}

/// The status a shell would show for a child, from what `waitpid` filled in:
/// its exit code, or 128 + the number of the signal that ended it.
public func exitStatus(fromWaitStatus status: Int32) -> Int32 {
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : 128 + signal
}

private func addSpawnFlags(_ attributes: inout SpawnAttributes, _ flags: Int32) {
    var current: Int16 = 0
    posix_spawnattr_getflags(&attributes, &current)
    posix_spawnattr_setflags(&attributes, current | Int16(flags))
}

#if canImport(Glibc)
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later).
    /// Swift's Glibc module does not import it, so it is looked up by name.
    private let closeFromInChild:
        (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
            guard
                let symbol = dlsym(
                    UnsafeMutableRawPointer(bitPattern: 0),
                    "posix_spawn_file_actions_addclosefrom_np")
            else { return nil }
            return unsafeBitCast(
                symbol,
                to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) ->
                    Int32).self)
        }()
#endif
