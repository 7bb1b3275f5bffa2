import Dispatch
import NetUtil
import Synchronization

/// How a run of an exercise's checks ended.
public enum Verdict: Sendable, Equatable {
    case done
    /// The code still throws `ExerciseError.notStarted`.
    case notStarted
    case failing

    /// `exercise-runner`'s exit status, which `workbook check` reads.
    public var exitStatus: Int32 {
        switch self {
        case .done: 0
        case .failing: 1
        case .notStarted: 3
        }
    }
}

/// Runs `checks` in order on `implementation`, printing its `check NAME`
/// and `hint HINT` lines before each, and stops at the first that fails, printing what was
/// expected, what the code did, and the check's hint.
///
/// Each check runs on a thread of its own, and is given up on once its time
/// is over: code that blocks or spins for ever fails that check instead of
/// hanging the run. The thread is left behind, so the run must end soon after
/// (`exercise-runner` exits); that is why only the first failure is reported.
func runChecks<Implementation>(
    _ checks: [Check<Implementation>], on implementation: Implementation, lesson: String
) -> Verdict {
    for check in checks {
        Output.line("check \(check.name)")
        Output.line("hint \(check.hint)")
        let mismatch: Mismatch?
        switch runWithLimit(check, on: implementation) {
        case .finished(.success(let found)):
            mismatch = found
        case .finished(.failure(ExerciseError.notStarted)):
            Output.line("not started")
            return .notStarted
        case .finished(.failure(let error)):
            // The check itself could not set up its sockets: say so plainly.
            mismatch = Mismatch(expected: "the check to run", got: "\(error)")
        case .stuck(let spinning):
            let seconds = secondsText(check.limit)
            mismatch = Mismatch(
                expected: "an answer within \(seconds)",
                got: "still running after \(seconds), "
                    + (spinning ? "busy on the CPU all the time (spinning)" : "blocked, waiting"))
        }
        if let mismatch {
            Output.line("failing")
            Output.line("expected \(mismatch.expected)")
            Output.line("got \(mismatch.got)")
            if let hint = mismatch.hint { Output.line("hint \(hint)") }
            return .failing
        }
    }
    Output.line("done")
    return .done
}

private enum Run {
    case finished(Result<Mismatch?, any Error>)
    case stuck(spinning: Bool)
}

/// Runs one check on a thread of its own and waits for it, at most `check.limit`.
private func runWithLimit<Implementation>(
    _ check: Check<Implementation>, on implementation: Implementation
) -> Run {
    let finished = DispatchSemaphore(value: 0)
    let result = Mutex<Result<Mismatch?, any Error>?>(nil)
    let cpuBefore = processCPUSeconds()
    let started = ContinuousClock.now
    do {
        try startThread {
            let outcome = Result { () throws -> Mismatch? in try check.body(implementation) }
            result.withLock { $0 = outcome }
            finished.signal()
        }
    } catch {
        return .finished(.failure(error))
    }
    let milliseconds = Int(check.limit / .milliseconds(1))
    if finished.wait(timeout: .now() + .milliseconds(milliseconds)) == .timedOut {
        // Code that spins keeps one CPU busy; code that blocks uses next to none.
        let wall = (ContinuousClock.now - started) / .seconds(1)
        return .stuck(spinning: processCPUSeconds() - cpuBefore > wall / 4)
    }
    return .finished(result.withLock { $0! })
}

/// CPU time used so far by every thread of this process, in seconds.
///
/// The corresponding C function is `getrusage(2)`.
private func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(everyThreadOfThisProcess, &usage)
    func seconds(_ time: timeval) -> Double {
        Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000
    }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

#if canImport(Glibc)
    private let everyThreadOfThisProcess = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
    private let everyThreadOfThisProcess = RUSAGE_SELF
#endif
