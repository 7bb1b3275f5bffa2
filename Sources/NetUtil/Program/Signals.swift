/// Runs `handler` on a thread of its own when the process is asked to stop:
/// Ctrl-C (SIGINT) or `kill` (SIGTERM).
///
/// A C signal handler may only call a handful of async-signal-safe
/// functions, which rules out almost all Swift code. So no handler is
/// installed at all: the two signals are blocked, which leaves them pending
/// instead of acting on them, and one thread waits for them with `sigwait`
/// and then runs `handler` as ordinary code that may print, close sockets,
/// kill child processes and call `exit`.
///
/// Call it before starting any other thread: threads inherit the blocked
/// set from the thread that creates them, and a thread that did not block
/// the signals could still be killed by one.
///
/// The corresponding C functions are `pthread_sigmask(3)` and `sigwait(3)`.
public func onStopSignal(_ handler: @escaping @Sendable (_ signal: Int32) -> Void) {
    var stopSignals = sigset_t()
    sigemptyset(&stopSignals)
    sigaddset(&stopSignals, SIGINT)
    sigaddset(&stopSignals, SIGTERM)
    pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
    let waited = stopSignals
    // If no thread can be started, the signals stay blocked but pending; the
    // process can still be stopped with SIGKILL. That cannot happen this early.
    try? startThread {
        var waitFor = waited
        var signal: Int32 = 0
        while true {
            if sigwait(&waitFor, &signal) == 0 { handler(signal) }
        }
    }
}
