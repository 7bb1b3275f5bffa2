import ExerciseKit
import NetUtil
import Synchronization

/// `request(_:to:over:timeout:attempts:)`: the server's reply, or noReply.
public typealias Request =
    @Sendable ([UInt8], SocketAddress, UDPSocket, Double, Int) throws -> [UInt8]

/// A scripted UDP server on loopback, a stranger on another port of the same
/// host, and the client's socket, each bound to a free port.
struct UDPScene: Sendable {
    let server: UDPSocket
    let stranger: UDPSocket
    let client: UDPSocket

    init() throws {
        server = try UDPSocket(host: "127.0.0.1", port: 0)
        stranger = try UDPSocket(host: "127.0.0.1", port: 0)
        client = try UDPSocket(host: "127.0.0.1", port: 0)
        // The server's thread looks up every 50 ms to see whether the check is over.
        try server.setReceiveTimeout(seconds: 0.05)
    }

    /// Runs `request` with a 0.1 s timeout and 3 attempts, while `answer`
    /// plays the server; returns what it did and how many requests reached the server.
    func run(_ request: Request, answer: @escaping @Sendable (Server) throws -> Void)
        throws -> String
    {
        let peer = try Peer.run { peer in try answer(Server(scene: self, peer: peer)) }
        let outcome = try Outcome.of {
            shown(try request(bytes("ping"), try server.localAddress(), client, 0.1, 3))
        }
        peer.stop()
        return "\(outcome) after \(requestCount())"
    }

    /// How many "ping" datagrams the server took or still has queued.
    private let taken = Counter()

    /// The scripted server's side: its requests, and the stranger next to it.
    struct Server {
        let scene: UDPScene
        let peer: Peer

        /// The next request, once it arrives; throws once the check is over.
        func receiveRequest() throws -> Datagram {
            while !peer.isStopping {
                do {
                    let datagram = try scene.server.receive(upTo: 1024)
                    scene.taken.add()
                    return datagram
                } catch .timedOut {
                    continue
                }
            }
            throw ExerciseError.noReply
        }

        func reply(_ text: String, to client: SocketAddress) throws {
            try scene.server.send(bytes(text), to: client)
        }

        func strangerSends(_ text: String, to client: SocketAddress) throws {
            try scene.stranger.send(bytes(text), to: client)
        }
    }

    private func requestCount() -> String {
        var count = taken.value
        while recv(server.socket.descriptor, nil, 0, Int32(MSG_DONTWAIT)) >= 0 { count += 1 }
        return count == 1 ? "1 request" : "\(count) requests"
    }
}

/// Exercise 06, checked against a server that answers, loses, or never answers,
/// and a stranger that answers first.
public let requestExercise = Exercise<Request>(
    lesson: "06",
    task: "a UDP request with retries",
    checks: [
        Check(
            "returns \"pong\" from a server that answers at once",
            hint: "send the request to the server with sendto, then recvfrom its reply "
                + "(Notes.md, lesson 06)"
        ) { request in
            let scene = try UDPScene()
            let got = try scene.run(request) { server in
                let ping = try server.receiveRequest()
                try server.reply("pong", to: ping.sender)
            }
            return expect(.returned(got), .returned("\(shown(bytes("pong"))) after 1 request"))
        },
        Check(
            "returns \"pong\" from the server, not \"evil\" from a stranger on the same host",
            hint: "anyone can send a datagram to your port: compare the sender's address and "
                + "port with the server's, and ignore the rest (Notes.md, lesson 06, Your turn)"
        ) { request in
            let scene = try UDPScene()
            let got = try scene.run(request) { server in
                let ping = try server.receiveRequest()
                // The stranger's datagram is queued first: loopback delivers at once, in order.
                try server.strangerSends("evil", to: ping.sender)
                try server.reply("pong", to: ping.sender)
            }
            return expect(.returned(got), .returned("\(shown(bytes("pong"))) after 1 request"))
        },
        Check(
            "returns \"pong\" after 2 requests when the first is lost",
            hint: "a datagram can be lost and nothing tells you: wait at most the timeout "
                + "(SO_RCVTIMEO), then send again (Notes.md, lesson 06, Your turn)"
        ) { request in
            let scene = try UDPScene()
            let got = try scene.run(request) { server in
                _ = try server.receiveRequest()  // lost: no answer
                let ping = try server.receiveRequest()
                try server.reply("pong", to: ping.sender)
            }
            return expect(.returned(got), .returned("\(shown(bytes("pong"))) after 2 requests"))
        },
        Check(
            "throws noReply after 3 requests when the server never answers",
            hint: "bound the retries: after the last attempt's timeout, throw "
                + "ExerciseError.noReply (Notes.md, lesson 06, Your turn)"
        ) { request in
            let scene = try UDPScene()
            let got = try scene.run(request) { _ in }
            return expect(.returned(got), .returned("throws noReply after 3 requests"))
        },
    ],
    solution: requestSolution,
    wrongAnswers: [
        WrongAnswer("compare the sender's address and port", requestAcceptsAnyone),
        WrongAnswer("then send again", requestNoRetry),
        WrongAnswer("bound the retries", requestRetriesForever),
        WrongAnswer("wait at most the timeout", requestNoTimeout),
    ]
)

/// A count that the server's thread adds to and the check reads.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
