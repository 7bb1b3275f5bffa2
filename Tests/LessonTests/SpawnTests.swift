import NetUtil
import Testing

@testable import LessonProcess

@Suite("Starting lesson programs")
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
}
