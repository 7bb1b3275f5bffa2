import Foundation

/// One lesson executable running as a child process, with its standard
/// output and error read line by line, and every wait bounded by a deadline.
///
/// The tests and the `workbook` runner use it to start the real lesson
/// programs. The process is killed when this object goes away, so a failing
/// test never leaves one behind.
public final class LessonProcess {
    /// The executable's name, such as `lesson01-server`.
    public let product: String
    public let pid: pid_t
    private var output: LineReader
    private var errors: LineReader
    private var input: Int32
    private var exitStatus: Int32?

    /// Starts `product` from the same build folder as the running program.
    public init(_ product: String, arguments: [String] = []) throws {
        self.product = product
        let path = try Self.executablePath(product)
        let (outRead, outWrite) = try makePipe()
        let (errRead, errWrite) = try makePipe()
        let (inRead, inWrite) = try makePipe()

        var actions: posix_spawn_file_actions_t = .init()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inRead, 0)
        posix_spawn_file_actions_adddup2(&actions, outWrite, 1)
        posix_spawn_file_actions_adddup2(&actions, errWrite, 2)
        // The child keeps only 0, 1 and 2. Without this it would inherit every
        // descriptor the parent has open at that instant, including sockets and
        // pipes of tests running in parallel, and hold their peers open.
        #if canImport(Glibc)
            _ = closeFromInChild?(&actions, 3)
        #endif
        var attributes: posix_spawnattr_t = .init()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A child inherits the spawning thread's blocked and ignored signals;
        // give it a clean slate so Ctrl-C and kill reach it as they would from a shell.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for number in [SIGINT, SIGTERM, SIGPIPE, SIGHUP] { sigaddset(&defaultSignals, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        #if canImport(Darwin)
            flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        for descriptor in [inRead, outWrite, errWrite] { close(descriptor) }
        guard status == 0 else {
            for descriptor in [inWrite, outRead, errRead] { close(descriptor) }
            throw LessonProcessError.couldNotStart(product, String(cString: strerror(status)))
        }
        self.pid = pid
        output = LineReader(descriptor: outRead)
        errors = LineReader(descriptor: errRead)
        input = inWrite
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        output.close()
        errors.close()
        if input >= 0 { close(input) }
    }

    /// The next line of standard output, or nil at end of output.
    /// Throws if no line arrives before `deadline`.
    public func nextLine(before deadline: ContinuousClock.Instant) throws -> String? {
        try output.nextLine(before: deadline, from: product)
    }

    /// Reads standard output until a line containing `text` arrives, and returns it.
    public func waitForLine(containing text: String, before deadline: ContinuousClock.Instant)
        throws -> String
    {
        while let line = try nextLine(before: deadline) {
            if line.contains(text) { return line }
        }
        throw LessonProcessError.endedWithout(product, text)
    }

    /// Writes `text` to the program's standard input.
    public func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
    }

    /// Closes the program's standard input, so it reads end of file.
    public func closeInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    /// Reads both outputs to their end, then collects the exit status.
    /// Past `deadline`, kills the process and throws.
    public func finish(before deadline: ContinuousClock.Instant) throws -> Finished {
        closeInput()
        var lines: [String] = []
        var errorLines: [String] = []
        do {
            while let line = try output.nextLine(before: deadline, from: product) {
                lines.append(line)
            }
            while let line = try errors.nextLine(before: deadline, from: product) {
                errorLines.append(line)
            }
        } catch {
            kill(pid, SIGKILL)
            throw error
        }
        // Both pipes reached end of file: the process has exited or is exiting,
        // so this wait is short.
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        exitStatus = status
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Finished(lines: lines, errorLines: errorLines, status: code)
    }

    /// What a finished process printed, and how it exited.
    public struct Finished: Sendable {
        /// Standard output lines not read before `finish`.
        public let lines: [String]
        public let errorLines: [String]
        /// The exit status, or 128 + the signal number if a signal ended it.
        public let status: Int32
    }

    /// Finds `product` beside the running executable: `swift build` puts every
    /// product of the package in one folder. On macOS the test runner sits
    /// three levels down, inside an `.xctest` bundle, so the parents are tried too.
    static func executablePath(_ product: String) throws -> String {
        var folder = Bundle.main.executableURL?.resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<4 {
            guard let current = folder else { break }
            let candidate = current.appendingPathComponent(product).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = current.deletingLastPathComponent()
        }
        throw LessonProcessError.notBuilt(product)
    }
}

/// Why a lesson process could not be run or read.
public enum LessonProcessError: Error, CustomStringConvertible {
    case notBuilt(String)
    case couldNotStart(String, String)
    case timedOut(String)
    case endedWithout(String, String)

    public var description: String {
        switch self {
        case .notBuilt(let product): "\(product) is not built; run `swift build` first"
        case .couldNotStart(let product, let reason): "could not start \(product): \(reason)"
        case .timedOut(let product): "\(product) printed nothing more before the deadline"
        case .endedWithout(let product, let text): "\(product) ended without printing \"\(text)\""
        }
    }
}

/// A pipe whose two ends are closed in the child after `posix_spawn` copies them.
private func makePipe() throws -> (read: Int32, write: Int32) {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else {
        throw LessonProcessError.couldNotStart("pipe", String(cString: strerror(errno)))
    }
    return (ends[0], ends[1])
}

#if canImport(Glibc)
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later). Swift's
    /// Glibc module does not import it, so it is looked up by name.
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
