import NetUtil

/// A thread that a scripted peer can interrupt with a signal, as a timer or a
/// terminal resize can interrupt any program at any moment.
///
/// The signal's handler does nothing and is installed with `SA_RESTART`: a
/// blocking call that has transferred nothing yet simply goes on, but a
/// `send` that has taken part of its bytes returns that count at once. This
/// is how a check makes a short send happen on demand.
///
/// The corresponding C function is `pthread_kill(3)`.
public struct InterruptibleThread: @unchecked Sendable {
    // @unchecked: on macOS pthread_t is a pointer, which Swift does not know to be
    // Sendable; the value is only ever passed back to pthread_kill.
    private let thread: pthread_t

    /// The thread that calls this.
    public static func current() -> InterruptibleThread {
        _ = quietHandlerInstalled
        return InterruptibleThread(thread: pthread_self())
    }

    /// Sends the thread SIGUSR1. If it is not inside a system call, nothing happens.
    public func interrupt() {
        _ = pthread_kill(thread, SIGUSR1)
    }
}

/// Installs the do-nothing handler for SIGUSR1, once, on first use.
///
/// The corresponding C function is `sigaction(2)`.
private let quietHandlerInstalled: Bool = {
    var action = sigaction()
    #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { _ in }
    #else
        action.__sigaction_u.__sa_handler = { _ in }
    #endif
    action.sa_flags = SA_RESTART
    return sigaction(SIGUSR1, &action, nil) == 0
}()
