import Dispatch
import ExerciseKit
import NetUtil
import Synchronization

/// `serveUpper(listener:stop:)`: a one-thread poll loop answering each line in capitals.
public typealias ServeUpper = @Sendable (Int32, Int32) throws -> Void

/// The code's loop, on a thread the check starts, serving a real listening socket
/// on 127.0.0.1 until the check makes `stop` readable.
final class RunningLoop: Sendable {
    let listener: TCPListener
    /// The pipe the check writes one byte to: its read end is `stop`.
    private let stopPipe: [Int32]
    private let outcome = Mutex<Result<Void, any Error>?>(nil)
    private let returned = DispatchSemaphore(value: 0)
    /// The loop thread's name in /proc/self/task (its thread id, on Linux).
    private let thread = Mutex<String?>(nil)
    /// The loop thread's schedstat file, opened once: a file opened later, while
    /// the code may have just closed a socket, would take that socket's number.
    private let schedstat = Mutex<Int32>(-1)
    /// Every thread of the process before the loop's started; nil on macOS.
    private let threadsBefore: Set<String>?

    private init() throws {
        listener = try TCPListener(host: "127.0.0.1", port: 0, backlog: 16)
        try listener.socket.makeNonBlocking()
        // Small buffers, which accepted sockets inherit: a client that reads nothing
        // fills them after a few dozen kilobytes, and a blocking send then waits.
        for option in [SO_SNDBUF, SO_RCVBUF] {
            var size: Int32 = 16384
            setsockopt(
                listener.socket.descriptor, SOL_SOCKET, option, &size,
                socklen_t(MemoryLayout<Int32>.size))
        }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw ExerciseError.failed(call: "pipe", errno: errno) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        stopPipe = ends
        threadsBefore = threadNames()
    }

    deinit { for end in stopPipe + [schedstat.withLock { $0 }] where end >= 0 { close(end) } }

    /// Starts `serveUpper` on a thread of its own, and returns once it runs.
    static func start(_ serveUpper: @escaping ServeUpper) throws -> RunningLoop {
        let loop = try RunningLoop()
        let begun = DispatchSemaphore(value: 0)
        try startThread {
            loop.thread.withLock { $0 = currentThreadName() }
            begun.signal()
            let result = Result {
                try serveUpper(loop.listener.socket.descriptor, loop.stopPipe[0])
            }
            loop.outcome.withLock { $0 = result }
            loop.returned.signal()
        }
        _ = begun.wait(timeout: .now() + .seconds(2))
        if let name = loop.thread.withLock({ $0 }) {
            let file = open("/proc/self/task/\(name)/schedstat", O_RDONLY | O_CLOEXEC)
            loop.schedstat.withLock { $0 = file }
        }
        return loop
    }

    var port: UInt16 { listener.address.port }

    /// True once the code has returned or thrown.
    var hasReturned: Bool { outcome.withLock { $0 != nil } }

    /// If the code returned before the check made `stop` readable, what to report;
    /// a stub's `notStarted` goes on up, so the exercise shows as not started.
    func returnedEarly() throws -> Mismatch? {
        guard let result = outcome.withLock({ $0 }) else { return nil }
        var got = "it returned"
        if case .failure(let error) = result {
            if case ExerciseError.notStarted = error { throw ExerciseError.notStarted }
            got = "it threw \(error)"
        }
        return Mismatch(
            expected: "the loop to go on until stop is readable", got: got,
            hint: "the loop must serve until stop is readable, whatever a client does "
                + "(Notes.md, lesson 07, Your turn)")
    }

    /// Makes `stop` readable and waits for the code to return, for at most `limit`.
    func stop(within limit: Duration = answerTime) -> Mismatch? {
        var byte: UInt8 = 1
        _ = write(stopPipe[1], &byte, 1)
        let milliseconds = Int(limit / .milliseconds(1))
        guard returned.wait(timeout: .now() + .milliseconds(milliseconds)) == .success else {
            return Mismatch(
                expected: "a return within \(secondsText(limit)) of stop becoming readable",
                got: "still running after \(secondsText(limit)), \(state())",
                hint: stopHint)
        }
        if case .failure(let error) = outcome.withLock({ $0! }) {
            return Mismatch(expected: "a return", got: "it threw \(error)", hint: stopHint)
        }
        return nil
    }

    /// What the loop thread is doing: busy on the CPU, or waiting.
    func state() -> String {
        isSpinning() ? "busy on the CPU all the time (spinning)" : "blocked, waiting"
    }

    /// Whether the loop thread wants the CPU for most of a quarter of a second.
    ///
    /// On Linux, /proc/self/task/ID/schedstat counts the nanoseconds a thread ran
    /// and waited to run: a spinning thread does one or the other all the time,
    /// however busy the machine, and a thread blocked in poll neither.
    func isSpinning() -> Bool {
        let window = 0.25
        let file = schedstat.withLock { $0 }
        let before = runnableNanoseconds(file) ?? processCPUNanoseconds()
        sleep(seconds: window)  // a measuring window, not a wait for readiness
        let after = runnableNanoseconds(file) ?? processCPUNanoseconds()
        return Double(after - before) / 1e9 > window / 2
    }

    /// Threads started since the loop began, not counting its own; nil where
    /// /proc/self/task does not exist (macOS).
    func threadsStarted() -> Int? {
        guard let before = threadsBefore, let now = threadNames() else { return nil }
        let own = thread.withLock { $0 }
        return now.subtracting(before).filter { $0 != own }.count
    }
}

/// How long the checks wait for an answer or for the loop to return.
let answerTime: Duration = .seconds(2)

let stopHint =
    "watch stop in the same poll as the sockets, and return as soon as it is readable "
    + "(Notes.md, lesson 07, Your turn)"

/// The names of this process's threads, from /proc/self/task (Linux).
private func threadNames() -> Set<String>? {
    guard let folder = opendir("/proc/self/task") else { return nil }
    defer { closedir(folder) }
    var names: Set<String> = []
    while let entry = readdir(folder) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.insert(name) }
    }
    return names
}

/// The calling thread's name in /proc/self/task, read from /proc/thread-self.
private func currentThreadName() -> String? {
    var buffer = [CChar](repeating: 0, count: 64)
    let count = readlink("/proc/thread-self", &buffer, buffer.count - 1)
    guard count > 0 else { return nil }
    return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        .split(separator: "/").last.map(String.init)
}

/// Nanoseconds the thread has run plus waited to run, from its schedstat file (Linux).
private func runnableNanoseconds(_ file: Int32) -> Int? {
    var line = [UInt8](repeating: 0, count: 128)
    let count = pread(file, &line, line.count, 0)
    guard count > 0 else { return nil }
    // "RAN WAITED SLICES": nanoseconds on the CPU, nanoseconds waiting for it, a count.
    let text = String(decoding: line[..<count], as: UTF8.self)
    let numbers = text.split(separator: " ").prefix(2).compactMap { Int($0) }
    return numbers.count == 2 ? numbers[0] + numbers[1] : nil
}

/// CPU time of the whole process, where there is no schedstat.
private func processCPUNanoseconds() -> Int {
    var usage = rusage()
    #if canImport(Glibc)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
        getrusage(RUSAGE_SELF, &usage)
    #endif
    let times = [usage.ru_utime, usage.ru_stime]
    return times.reduce(0) { $0 + Int($1.tv_sec) * 1_000_000_000 + Int($1.tv_usec) * 1000 }
}
