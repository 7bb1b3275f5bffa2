import Foundation
import Testing

/// A fixed set of threads that runs test bodies which block.
///
/// Swift Testing runs every test as a task on the cooperative pool, which has
/// one thread per core. Our tests block in `recv`, `poll` and `waitpid` while a
/// child process works or a time limit runs out, so on a two-core machine two
/// waiting tests hold up every other one. A test that prefers this executor
/// waits on a thread of its own, and the cooperative pool stays free.
final class BlockingTestPool: TaskExecutor, @unchecked Sendable {
    static let shared = BlockingTestPool(threads: 16)

    /// Jobs waiting for a thread; guarded by `condition`.
    private var waiting: [UnownedJob] = []
    private let condition = NSCondition()

    private init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "blocking test \(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        waiting.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while waiting.isEmpty { condition.wait() }
            let job = waiting.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// `@Suite(.mayBlock)`: the suite's tests run on `BlockingTestPool`, so a test
/// waiting on a socket, a pipe or a child process holds none of the cooperative
/// pool's few threads.
public struct MayBlock: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(BlockingTestPool.shared) { try await function() }
    }
}

extension Trait where Self == MayBlock {
    public static var mayBlock: Self { MayBlock() }
}
