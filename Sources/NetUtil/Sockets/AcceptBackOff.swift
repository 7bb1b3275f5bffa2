extension TCPListener {
    /// Waits for the next connection, as `accept()`, but waits out a shortage
    /// of descriptors or memory instead of failing: EMFILE (this process has
    /// as many descriptors open as its limit allows), ENFILE (the whole
    /// system has), ENOBUFS or ENOMEM.
    ///
    /// Such a failure leaves the connection waiting in the backlog, so
    /// trying again at once fails again at once: a server that simply loops
    /// spins at full speed and logs hundreds of thousands of lines a second.
    /// Here the first failure of a run prints one line, and the pause before
    /// each new try doubles, from 10 ms up to 1 s: at most 7 tries in the
    /// first second of a shortage, then one a second, until a descriptor is
    /// free again (a client leaves) and `accept` succeeds.
    ///
    /// Other errors are thrown as they are.
    public func acceptWaitingOutShortages() throws(SocketError) -> (
        connection: Socket, peer: SocketAddress
    ) {
        var pause = 0.01
        var failed = false
        while true {
            do {
                return try accept()
            } catch .failed(let call, let address, let code) where shortages.contains(code) {
                if !failed {
                    let error = SocketError.failed(call: call, address: address, errno: code)
                    trace("\(error); trying again, less and less often, until it works")
                    failed = true
                }
                sleep(seconds: pause)
                pause = min(pause * 2, 1)
            }
        }
    }
}

/// The errors that mean "no room right now", not "something is wrong".
private let shortages: Set<Int32> = [EMFILE, ENFILE, ENOBUFS, ENOMEM]
