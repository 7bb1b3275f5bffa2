/// Runs `body` on a new thread of its own, and returns at once.
///
/// A server that gives each connection its own thread stays plain to read:
/// every connection is a straight-line loop of blocking calls, and a slow or
/// silent client blocks only its own thread, never the others. The thread
/// is detached: nobody waits for it, and it ends when `body` returns.
///
/// The corresponding C function is `pthread_create(3)`.
public func startThread(_ body: @escaping @Sendable () -> Void) throws(SocketError) {
    // The C call takes one raw pointer for the new thread; a retained box
    // carries the closure across, and the new thread releases it.
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    #if canImport(Glibc)
        var thread = pthread_t()
    #else
        var thread: pthread_t?
    #endif
    let status = pthread_create(
        &thread, nil,
        { raw in
            Unmanaged<ThreadBody>.fromOpaque(present(raw)).takeRetainedValue().body()
            return nil
        }, box)
    guard status == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(box).release()
        // pthread_create returns its error number instead of setting errno.
        throw .failed(call: "pthread_create", address: nil, errno: status)
    }
    #if canImport(Glibc)
        pthread_detach(thread)
    #else
        pthread_detach(thread!)
    #endif
}

/// The closure a new thread runs, in a class so that it can travel as a pointer.
private final class ThreadBody: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// The thread's argument: optional on Linux, not on macOS; present either way.
private func present(_ pointer: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer {
    pointer!
}
