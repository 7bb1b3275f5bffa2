import NetUtil

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// One pipe that several lesson processes write their standard output and
/// standard error into, read back line by line in the order the lines were written.
///
/// Two processes writing to two pipes cannot be put back in order by the
/// reader: when both pipes have a line waiting, nothing says which came first.
/// Writes into one pipe queue up in the order they happened, and the lessons
/// write each line with a single `write(2)`, so lines never mix. Every lesson
/// line starts with its role (`server: `, `client: `), so nothing is lost by
/// sharing.
///
/// The corresponding C function is `pipe(2)`.
public final class Transcript {
    private var reader: LineReader
    /// The end the children write to; -1 once `closeWriteEnd` has run.
    private(set) var writeEnd: Int32

    public init() throws {
        let (read, write) = try makePipe()
        // Both ends are close-on-exec: only the children get the write end
        // (posix_spawn copies it to their 1 and 2), never a process started
        // for another reason.
        reader = LineReader(descriptor: read)
        writeEnd = write
    }

    deinit {
        reader.closePipe()
        closeWriteEnd()
    }

    /// Closes this process's copy of the write end, once every child is started.
    /// From then on, `nextLine` returns nil when every child has closed its
    /// output, that is, when they have all exited.
    public func closeWriteEnd() {
        if writeEnd >= 0 { close(writeEnd) }
        writeEnd = -1
    }

    /// The next line any child wrote, or nil once all of them have closed
    /// their output. Throws `LessonProcessError.timedOut` if no line arrives
    /// before `deadline`; the transcript can still be read after that.
    public func nextLine(before deadline: ContinuousClock.Instant) throws -> String? {
        try reader.nextLine(before: deadline, from: "the lesson")
    }
}
