import NetUtil
import TestThreads
import Testing

@testable import LessonProcess

@Suite("Starting lesson programs", .mayBlock)
struct SpawnTests {
    @Test("both ends of every pipe made for a child are close-on-exec")
    func pipesAreCloseOnExec() throws {
        let (read, write) = try makePipe()
        defer {
            close(read)
            close(write)
        }
        for end in [read, write] {
            #expect(fcntl(end, F_GETFD) & FD_CLOEXEC != 0, "descriptor \(end)")
        }
    }

    @Test("a failed second pipe leaves the first one closed, not leaked")
    func failedSecondPipe() throws {
        var made = 0
        let pipes = PipesBeingMade {
            made += 1
            if made == 2 { throw LessonProcessError.noPipe("Too many open files") }
            return try makePipe()
        }
        let first = try pipes.make()
        let identities = [first.read, first.write].map(fileIdentity)
        #expect(throws: LessonProcessError.self) { try pipes.make() }
        pipes.closeAll()
        // Closed: the number is free (EBADF), or a test running in parallel
        // already reuses it for something else.
        #expect(fileIdentity(first.read) != identities[0])
        #expect(fileIdentity(first.write) != identities[1])
    }

    /// The device and inode a descriptor refers to, or nil if it is not open.
    func fileIdentity(_ descriptor: Int32) -> [UInt64]? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        return [UInt64(status.st_dev), UInt64(status.st_ino)]
    }
}
