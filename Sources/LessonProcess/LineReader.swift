#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Splits what arrives on a pipe into lines, waiting with `poll(2)` so that
/// no read can outlast its deadline.
struct LineReader {
    private var descriptor: Int32
    private var pending: [UInt8] = []
    private var reachedEnd = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The next whole line, without its newline; nil once the writer has closed
    /// and nothing is left. A last line without a newline is returned as is.
    mutating func nextLine(before deadline: ContinuousClock.Instant, from product: String) throws
        -> String?
    {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            if reachedEnd {
                guard !pending.isEmpty else { return nil }
                defer { pending.removeAll() }
                return String(decoding: pending, as: UTF8.self)
            }
            try waitForData(before: deadline, from: product)
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                pending += chunk[..<count]
            } else if count == 0 || errno != EINTR {
                reachedEnd = true
            }
        }
    }

    /// Returns when the pipe is readable (data or end of file); throws at the deadline.
    private func waitForData(before deadline: ContinuousClock.Instant, from product: String) throws
    {
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw LessonProcessError.timedOut(product) }
            let milliseconds =
                left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
                + 1
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&request, 1, Int32(clamping: milliseconds)) > 0 { return }
        }
    }

    mutating func closePipe() {
        if descriptor >= 0 { _ = close(descriptor) }
        descriptor = -1
    }
}
