#if canImport(Glibc)
    import Glibc
    import GlibcExtras
#else
    import Darwin
#endif

/// Starts the program at `path`, with `arguments` after its own path as
/// `argv`, and `streams` (three descriptors) as its standard input, output
/// and error. The one place in the workbook that starts a process.
///
/// The child starts clean, whatever state this process is in: it keeps only
/// descriptors 0, 1 and 2, no signal is blocked, and SIGINT, SIGTERM, SIGPIPE
/// and SIGHUP have their default actions. Without that, it would inherit
/// every descriptor open at that instant that is not close-on-exec, and the
/// signals this process blocks (see `onStopSignal`) or ignores, across
/// `exec`: Ctrl-C or `kill` would no longer stop it.
///
/// With `cpu`, the child is started from a thread allowed only on that CPU,
/// so it inherits the restriction from its first instruction.
///
/// Returns the child's pid, or the error number `posix_spawn` gave.
///
/// The corresponding C functions are `posix_spawn(3)`,
/// `posix_spawnattr_setsigmask(3)`, `posix_spawnattr_setsigdefault(3)` and
/// `posix_spawn_file_actions_addclosefrom_np(3)`.
func spawnClean(
    path: String, arguments: [String], streams: [Int32], pinnedTo cpu: Int32?
) -> Result<pid_t, SpawnFailure> {
    var actions = SpawnActions()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for (target, source) in streams.enumerated() {
        posix_spawn_file_actions_adddup2(&actions, source, Int32(target))
    }
    var attributes = SpawnAttributes()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    #if canImport(Glibc)
        _ = GlibcExtras.addCloseFrom?(&actions, 3)
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

    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var pid: pid_t = 0
    func spawn() -> Int32 {
        posix_spawn(&pid, path, &actions, &attributes, argv, inheritedEnvironment)
    }
    var status: Int32
    #if canImport(Glibc)
        status = cpu.map { withThreadPinned(to: $0, spawn) } ?? spawn()
    #else
        status = spawn()
    #endif
    return status == 0 ? .success(pid) : .failure(SpawnFailure(errno: status))
}

/// Why `posix_spawn` failed: it returns an error number instead of setting `errno`.
struct SpawnFailure: Error {
    let errno: Int32
    var reason: String { String(cString: strerror(errno)) }
}

/// A pipe, as (read end, write end), both close-on-exec: only a child that
/// gets an end through `spawnClean`'s `streams` (as its 0, 1 or 2) has it.
/// `pipe2` with `O_CLOEXEC` sets that in the same call on Linux; elsewhere
/// `fcntl` sets it just after.
///
/// The corresponding C function is `pipe(2)` (`pipe2(2)` on Linux).
func makePipe() throws -> (read: Int32, write: Int32) {
    var ends: [Int32] = [-1, -1]
    var status: Int32
    #if canImport(Glibc)
        if let pipe2 = GlibcExtras.pipe2 {
            status = pipe2(&ends, O_CLOEXEC)
        } else {
            status = pipe(&ends)
            for end in ends where status == 0 { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        }
    #else
        status = pipe(&ends)
        for end in ends where status == 0 { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    #endif
    guard status == 0 else {
        throw LessonProcessError.noPipe(String(cString: strerror(errno)))
    }
    return (ends[0], ends[1])
}

/// The pipes made while starting a child, so that a failure part-way leaks
/// none of them: a failed second pipe, or a failed spawn, closes the first.
final class PipesBeingMade {
    private(set) var ends: [Int32] = []
    private let makeOne: () throws -> (read: Int32, write: Int32)

    /// `makeOne` is `makePipe`, except in a test that makes it fail.
    init(making makeOne: @escaping () throws -> (read: Int32, write: Int32) = makePipe) {
        self.makeOne = makeOne
    }

    /// One more pipe, remembered until `closeAll`.
    func make() throws -> (read: Int32, write: Int32) {
        let pipe = try makeOne()
        ends += [pipe.read, pipe.write]
        return pipe
    }

    /// Closes every end made so far; for when starting the child has failed.
    func closeAll() {
        for end in ends { close(end) }
        ends = []
    }
}

/// The status a shell would show for a child, from what `waitpid` filled in:
/// its exit code, or 128 + the number of the signal that ended it.
func shellExitStatus(fromWaitStatus status: Int32) -> Int32 {
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : 128 + signal
}

/// Makes a write to a pipe whose reader has gone fail with EPIPE, instead of
/// killing this process with SIGPIPE. For a program that feeds another
/// program's standard input, such as the workbook runner; sockets get
/// `MSG_NOSIGNAL` at each send instead, where a learner can see it.
///
/// The corresponding C function is `signal(2)`.
public func ignoreBrokenPipes() {
    signal(SIGPIPE, SIG_IGN)
}

private func addSpawnFlags(_ attributes: inout SpawnAttributes, _ flags: Int32) {
    var current: Int16 = 0
    posix_spawnattr_getflags(&attributes, &current)
    posix_spawnattr_setflags(&attributes, current | Int16(flags))
}

#if canImport(Glibc)
    /// A `posix_spawn` setup, before its `_init` call.
    typealias SpawnActions = posix_spawn_file_actions_t
    typealias SpawnAttributes = posix_spawnattr_t
    /// The environment `posix_spawn` passes on unchanged.
    var inheritedEnvironment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? { environ }
#else
    /// On macOS these are opaque pointers that `_init` fills in.
    typealias SpawnActions = posix_spawn_file_actions_t?
    typealias SpawnAttributes = posix_spawnattr_t?
    var inheritedEnvironment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        _NSGetEnviron().pointee
    }
#endif
