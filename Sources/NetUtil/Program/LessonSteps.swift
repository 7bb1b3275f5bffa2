/// The opening steps that lessons 02 onwards share with lesson 01, where they
/// are written out one by one. Each step still prints its trace line.
///
/// Listens on the lesson's host and port, waits for one client, and stops
/// listening: the single-connection server of the tutorial's first lessons.
public func acceptOneClient(_ options: Options) throws(SocketError) -> Socket {
    let listener = try TCPListener(host: options.host, port: options.port)
    trace("listening on \(listener.address)")
    let (connection, peer) = try listener.accept()
    trace("accepted \(peer)")
    listener.close()
    return connection
}

/// Connects to the lesson's server and says where it got through.
public func connectToServer(_ options: Options) throws(SocketError) -> Socket {
    let (connection, server) = try connectTCP(host: options.host, port: options.port)
    trace("connected to \(server)")
    return connection
}
