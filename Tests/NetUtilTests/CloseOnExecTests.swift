import TestThreads
import Testing

@testable import NetUtil

@Suite("Descriptors are close-on-exec where they are made", .mayBlock)
struct CloseOnExecTests {
    func isCloseOnExec(_ descriptor: Int32) -> Bool {
        let flags = fcntl(descriptor, F_GETFD)
        return flags != -1 && flags & FD_CLOEXEC != 0
    }

    @Test(
        "a listening socket, a connecting socket, an accepted connection and a UDP socket are all close-on-exec"
    )
    func socketsAreCloseOnExec() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let (client, _) = try connectTCP(host: "127.0.0.1", port: listener.address.port)
        let (accepted, _) = try listener.accept()
        let udp = try UDPSocket(host: "127.0.0.1", port: 0)
        let unbound = try UDPSocket(family: AF_INET)
        for socket in [listener.socket, client, accepted, udp.socket, unbound.socket] {
            #expect(isCloseOnExec(socket.descriptor), "descriptor \(socket.descriptor)")
        }
    }
}
