import NetUtil

extension StreamPair {
    /// Two ends of one real TCP connection over 127.0.0.1, for checks about
    /// what only TCP does: FIN and RST, a reset with `SO_LINGER` 0, and send
    /// buffers that fill up. `reader` is the client's end, `peer` the server's.
    ///
    /// The corresponding C functions are `listen(2)`, `connect(2)` and `accept(2)`.
    public static func overLoopbackTCP() throws -> StreamPair {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let (client, _) = try connectTCP(host: "127.0.0.1", port: listener.address.port)
        let (server, _) = try listener.accept()
        return StreamPair(reader: client, peer: server)
    }

    private init(reader: Socket, peer: Socket) {
        self.reader = reader
        self.peer = peer
    }
}
