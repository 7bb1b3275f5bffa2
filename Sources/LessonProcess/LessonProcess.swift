import NetUtil
import Synchronization

/// One lesson executable running as a child process, with its standard
/// output and error read line by line, and every wait bounded by a deadline.
///
/// The tests and the `workbook` runner use it to start the real lesson
/// programs. The process is killed when this object goes away, so a failing
/// test never leaves one behind; `stopAll` does the same for every one still
/// running, for a program that is asked to stop.
public final class LessonProcess {
    /// The executable's name, such as `lesson01-server`.
    public let product: String
    public let pid: pid_t
    /// Nil when the output goes to a shared `Transcript` instead.
    private var output: LineReader?
    private var errors: LineReader?
    private var input: Int32
    /// Set once the process has been waited for: its status, as `Finished.status`.
    private var exitStatus: Int32?

    /// Starts `product` from the same build folder as the running program.
    ///
    /// - Parameters:
    ///   - transcript: where standard output and error go; by default each
    ///     has a pipe of its own, read with `nextLine` and `finish`.
    ///   - scheduling: which CPU and priority the process runs with.
    ///   - openFileLimit: at most this many descriptors (`ulimit -n`), to
    ///     test how a server copes when it runs out; `/bin/sh` sets the limit
    ///     and then becomes the program, so `pid` is the program's.
    public init(
        _ product: String,
        arguments: [String] = [],
        writingTo transcript: Transcript? = nil,
        scheduling: Scheduling = .asUsual,
        openFileLimit: Int? = nil
    ) throws {
        self.product = product
        var path = try Self.executablePath(product)
        var arguments = arguments
        if let openFileLimit {
            arguments =
                ["-c", "ulimit -n \(openFileLimit) && exec \"$0\" \"$@\"", path] + arguments
            path = "/bin/sh"
        }
        // If a later step fails, every pipe end made so far is closed again.
        let pipes = PipesBeingMade()
        let pid: pid_t
        var (outRead, outWrite, errRead, errWrite, inRead, inWrite):
            (Int32, Int32, Int32, Int32, Int32, Int32)
        do {
            (outRead, outWrite) = try transcript.map { (-1, $0.writeEnd) } ?? pipes.make()
            (errRead, errWrite) = try transcript.map { (-1, $0.writeEnd) } ?? pipes.make()
            (inRead, inWrite) = try pipes.make()
            var cpu: Int32?
            if case .pinned(let chosen, _) = scheduling { cpu = chosen }
            // Only 0, 1 and 2, and default signals: no socket or pipe of a test
            // running in parallel leaks into the child, and Ctrl-C and kill reach
            // it even though a runner blocks them in itself (see onStopSignal).
            pid = try spawnClean(
                path: path, arguments: arguments, streams: [inRead, outWrite, errWrite],
                pinnedTo: cpu
            ).mapError { LessonProcessError.couldNotStart(product, $0.reason) }.get()
        } catch {
            pipes.closeAll()
            throw error
        }
        // The child has its own copies of these ends; ours must go, or the
        // read ends would never report end of file.
        var parentCopies = [inRead]
        if transcript == nil { parentCopies += [outWrite, errWrite] }
        for descriptor in parentCopies { close(descriptor) }
        self.pid = pid
        runningProcesses.withLock { _ = $0.insert(pid) }
        #if canImport(Glibc)
            // glibc's posix_spawn accepts only FIFO, RR and OTHER, so the idle
            // policy is set here, on the thread that runs the lesson, before
            // anything talks to it.
            if case .pinned(_, idle: true) = scheduling {
                var priority = sched_param(sched_priority: 0)
                _ = sched_setscheduler(pid, idleSchedulingPolicy, &priority)
            }
        #endif
        output = transcript == nil ? LineReader(descriptor: outRead) : nil
        errors = transcript == nil ? LineReader(descriptor: errRead) : nil
        input = inWrite
    }

    deinit {
        terminate()
        output?.closePipe()
        errors?.closePipe()
        if input >= 0 { close(input) }
    }

    /// The next line of standard output, or nil at end of output (at once
    /// when the output goes to a `Transcript`).
    /// Throws if no line arrives before `deadline`.
    public func nextLine(before deadline: ContinuousClock.Instant) throws -> String? {
        try output?.nextLine(before: deadline, from: product) ?? nil
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

    /// Closes the reading end of the program's standard output, as a terminal
    /// that went away or a `| head -1` that finished does: the program's next
    /// write there fails with EPIPE, or SIGPIPE ends it.
    public func closeOutput() {
        output?.closePipe()
    }

    /// Writes `text` to the program's standard input.
    /// If the program has already exited, the rest is dropped: with SIGPIPE
    /// ignored (see `ignoreBrokenPipes`) the write fails with EPIPE instead.
    public func send(_ text: String) {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes {
                write(input, $0.baseAddress! + written, $0.count - written)
            }
            if count > 0 {
                written += count
            } else if count == -1 && errno == EINTR {
                continue
            } else {
                return
            }
        }
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
            while let line = try output?.nextLine(before: deadline, from: product) {
                lines.append(line)
            }
            while let line = try errors?.nextLine(before: deadline, from: product) {
                errorLines.append(line)
            }
        } catch {
            terminate()
            throw error
        }
        // Both pipes reached end of file: the process has exited or is exiting,
        // so this wait is short.
        let status = try waitForExit(before: deadline)
        return Finished(lines: lines, errorLines: errorLines, status: status)
    }

    /// True once the process has exited (and has been waited for).
    public var hasExited: Bool {
        reap(waiting: false) != nil
    }

    /// Asks the process to stop, as `kill` does: SIGTERM.
    public func stop() {
        if !hasExited { signal(SIGTERM) }
    }

    /// Waits for the process to exit and returns its status, as `Finished.status`.
    /// Past `deadline`, kills it and throws.
    public func waitForExit(before deadline: ContinuousClock.Instant) throws -> Int32 {
        if let status = exitStatus(polling: deadline) { return status }
        terminate()
        throw LessonProcessError.timedOut(product)
    }

    /// The exit status, once the process has exited; nil if it is still
    /// running at `deadline`. waitpid cannot wait with a timeout, so this asks
    /// again every 2 ms.
    private func exitStatus(polling deadline: ContinuousClock.Instant) -> Int32? {
        while ContinuousClock.now < deadline {
            if let status = reap(waiting: false) { return status }
            usleep(2000)
        }
        return reap(waiting: false)
    }

    /// Ends the process if it is still running, and waits for it: SIGTERM
    /// first, so that a runner stops the processes it started itself (killed
    /// outright, it would leave them running, with no parent), then SIGKILL
    /// for a process that is still there a second later.
    private func terminate() {
        guard reap(waiting: false) == nil else { return }
        signal(SIGTERM)
        guard exitStatus(polling: .now + .seconds(1)) == nil else { return }
        signal(SIGKILL)
        _ = reap(waiting: true)
    }

    /// Sends `number` to the process, unless `stopAll` has already killed and
    /// waited for it: its pid may since belong to another process.
    private func signal(_ number: Int32) {
        runningProcesses.withLock { pids in
            if pids.contains(pid) { kill(pid, number) }
        }
    }

    /// Kills and waits for every lesson process this program started that is
    /// still running. Meant for a program that is asked to stop (Ctrl-C):
    /// no child outlives it, not even as a zombie.
    public static func stopAll() {
        runningProcesses.withLock { pids in
            for pid in pids {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
            pids.removeAll()
        }
    }

    /// Collects the exit status if the process has ended (or, with `waiting`,
    /// once it has), and takes it off the list `stopAll` works through.
    private func reap(waiting: Bool) -> Int32? {
        if let exitStatus { return exitStatus }
        let status: Int32? = runningProcesses.withLock { pids in
            // Not on the list: stopAll has already killed and waited for it.
            guard pids.contains(pid) else { return 128 + SIGKILL }
            var status: Int32 = 0
            guard waitpid(pid, &status, waiting ? 0 : WNOHANG) == pid else { return nil }
            pids.remove(pid)
            return shellExitStatus(fromWaitStatus: status)
        }
        exitStatus = status
        return status
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
        var folder = runningExecutablePath().split(separator: "/").dropLast()
        for _ in 0..<4 where !folder.isEmpty {
            let candidate = "/" + (folder + [Substring(product)]).joined(separator: "/")
            if access(candidate, X_OK) == 0 { return candidate }
            folder = folder.dropLast()
        }
        throw LessonProcessError.notBuilt(product)
    }

    /// The running program's own file, with symbolic links resolved.
    private static func runningExecutablePath() -> String {
        var path = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        #if canImport(Glibc)
            let linkPath = "/proc/self/exe"
        #else
            var size = UInt32(path.count)
            _ = _NSGetExecutablePath(&path, &size)
            let linkPath = path.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        #endif
        guard realpath(linkPath, &path) != nil else { return CommandLine.arguments[0] }
        return path.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

/// Why a lesson process could not be run or read.
public enum LessonProcessError: Error, CustomStringConvertible {
    case notBuilt(String)
    case couldNotStart(String, String)
    case noPipe(String)
    case timedOut(String)
    case endedWithout(String, String)

    public var description: String {
        switch self {
        case .notBuilt(let product): "\(product) is not built; run `swift build` first"
        case .couldNotStart(let product, let reason): "could not start \(product): \(reason)"
        case .noPipe(let reason): "pipe: \(reason)"
        case .timedOut(let product): "\(product) printed nothing more before the deadline"
        case .endedWithout(let product, let text): "\(product) ended without printing \"\(text)\""
        }
    }
}

/// The processes started and not yet waited for, so that `stopAll` can reach them
/// from any thread.
private let runningProcesses = Mutex<Set<pid_t>>([])
