import Dispatch

/// Runs `handler` when the process is asked to stop: Ctrl-C (SIGINT) or
/// `kill` (SIGTERM).
///
/// A C signal handler may only call a handful of async-signal-safe
/// functions, which rules out almost all Swift code. Instead the signal is
/// blocked from its default action (`SIG_IGN`) and delivered by Dispatch as
/// an ordinary event on a background queue, where `handler` may print,
/// close sockets, kill child processes and call `exit`.
///
/// The corresponding C functions are `signal(2)` and `sigaction(2)`.
public func onStopSignal(_ handler: @escaping @Sendable (_ signal: Int32) -> Void) {
    for number in [SIGINT, SIGTERM] {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { handler(number) }
        source.resume()
        // A signal source stops delivering once released. These are meant to
        // last as long as the process, so each is retained on purpose, never released.
        _ = Unmanaged.passRetained(source as AnyObject)
    }
}
