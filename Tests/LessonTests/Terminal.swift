import Foundation
import GlibcExtras
import LessonProcess
import NetUtil
import Testing

/// A lesson program running at a pseudo-terminal, as when a person runs it
/// in a terminal window: its standard input, output and error are the pty's
/// slave side, so `isatty` is true, and the test types and reads on the
/// master side, as the terminal would. The kernel's line discipline echoes
/// what is typed and turns each `\n` written into `\r\n`, as for a person.
final class TerminalProcess {
    let product: String
    let pid: pid_t
    private let master: Int32
    /// Everything read from the terminal so far, `\r` removed.
    private(set) var screen = ""
    /// Where the next `waitFor` starts looking in `screen`.
    private var searched: String.Index

    init(_ product: String, arguments: [String]) throws {
        self.product = product
        var (master, slave): (Int32, Int32) = (-1, -1)
        guard let openpty = GlibcExtras.openpty, openpty(&master, &slave, nil, nil, nil) == 0 else {
            throw TerminalError.noTerminal(errno)
        }
        // Close-on-exec, so that programs other tests start at the same time hold neither end.
        for end in [master, slave] { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        self.master = master
        defer { close(slave) }

        // Started as every child of the workbook is: only 0, 1 and 2 (all three the
        // terminal), default signals, none blocked.
        do {
            pid = try startProgram(
                path: try productPath(product), arguments: arguments,
                streams: [slave, slave, slave])
        } catch {
            close(master)
            throw error
        }
        searched = screen.startIndex
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(master)
    }

    /// Types `text` at the terminal, as a person would. `"\u{4}"` (Ctrl-D)
    /// at the start of a line is the end of input.
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes {
                write(master, $0.baseAddress! + written, $0.count - written)
            }
            if count > 0 { written += count } else if errno != EINTR { return }
        }
    }

    /// Reads the terminal until `text` appears after the last match, and
    /// returns the screen from the last match to the end of this one.
    @discardableResult
    func waitFor(_ text: String, before deadline: ContinuousClock.Instant) throws -> String {
        while true {
            if let found = screen[searched...].range(of: text) {
                defer { searched = found.upperBound }
                return String(screen[searched..<found.upperBound])
            }
            guard try readMore(before: deadline) else {
                throw TerminalError.endedWithout(product, text, screen)
            }
        }
    }

    /// Waits for the program to exit and returns its status.
    func exitStatus(before deadline: ContinuousClock.Instant) throws -> Int32 {
        while try readMore(before: deadline) {}
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                return shellExitStatus(fromWaitStatus: status)
            }
            guard ContinuousClock.now < deadline else {
                throw TerminalError.timedOut(product, "exit")
            }
            usleep(1000)
        }
    }

    /// Reads what the terminal has; false once the program has closed it.
    private func readMore(before deadline: ContinuousClock.Instant) throws -> Bool {
        let left = deadline - ContinuousClock.now
        guard left > .zero else { throw TerminalError.timedOut(product, screen) }
        var ready = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(left.components.seconds * 1000 + 1)
        guard poll(&ready, 1, milliseconds) > 0 else { return try readMore(before: deadline) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(master, &buffer, buffer.count)
        // Linux reports EIO on the master once every slave descriptor is closed.
        guard count > 0 else { return false }
        screen += String(
            decoding: buffer[..<count].filter { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        return true
    }
}

enum TerminalError: Error, CustomStringConvertible {
    case noTerminal(Int32)
    case couldNotStart(String, Int32)
    case endedWithout(String, String, String)
    case timedOut(String, String)

    var description: String {
        switch self {
        case .noTerminal(let code): "no pseudo-terminal: errno \(code)"
        case .couldNotStart(let product, let code): "\(product) did not start: errno \(code)"
        case .endedWithout(let product, let text, let screen):
            "\(product) closed its terminal without printing \(quoted(text)); it showed "
                + quoted(Array(screen.utf8), limit: 2000)
        case .timedOut(let product, let screen):
            "\(product): deadline passed; the terminal showed \(quoted(Array(screen.utf8), limit: 2000))"
        }
    }
}

/// The path of a built product: beside the test bundle, as `swift build` puts them.
func productPath(_ product: String) throws -> String {
    var path = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let length = readlink("/proc/self/exe", &path, path.count - 1)
    var folder = String(
        decoding: path[..<max(0, length)].map { UInt8(bitPattern: $0) }, as: UTF8.self
    )
    .split(separator: "/").dropLast()
    for _ in 0..<4 where !folder.isEmpty {
        let candidate = "/" + (folder + [Substring(product)]).joined(separator: "/")
        if access(candidate, X_OK) == 0 { return candidate }
        folder = folder.dropLast()
    }
    throw TerminalError.couldNotStart(product, ENOENT)
}
