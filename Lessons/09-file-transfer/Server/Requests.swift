import NetUtil
import Synchronization

/// What a server allows one request: a largest file, and a longest silence,
/// which also bounds the whole header and each 256 KiB of a body.
struct Limits: Sendable {
    let maximumSize: Int
    let timeout: Double
    /// How many cut uploads' partial files are kept for a resume.
    let maximumPartials: Int
}

/// A refusal: sent to the client as `{"status": "error", "error": TEXT}`.
struct Refusal: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}

/// The names being uploaded right now. A second upload of the same name
/// waits for nothing: it is refused, so two writers never share a file.
let uploading = Mutex<Set<String>>([])

/// The names whose cut upload left a partial file, oldest first. A client can
/// leave one per name it makes up, each as large as --max-size, so only the
/// latest --max-partials are kept: what cut uploads hold on disk is bounded.
let keptPartials = Mutex<[String]>([])

/// Keeps `name`'s partial for a resume (its upload was cut), and removes the
/// oldest past the limit. Another upload running now is using its partial:
/// that one is never removed, and none can start until the removal is done.
func keepPartial(of name: String, in root: Directory, limits: Limits) {
    keptPartials.withLock { names in
        names.removeAll { $0 == name }
        names.append(name)
        uploading.withLock { running in
            while names.count > limits.maximumPartials,
                let oldest = names.firstIndex(where: { $0 == name || !running.contains($0) })
            {
                let removed = names.remove(at: oldest)
                root.remove(partialName(of: removed))
                let limit = "--max-partials is \(limits.maximumPartials)"
                trace("removed the partial upload of \(quoted(removed)): \(limit)")
            }
        }
    }
}

/// Forgets `name`'s partial once its upload has removed it or given it its name.
func forgetPartial(of name: String) {
    keptPartials.withLock { $0.removeAll { $0 == name } }
}

/// Answers one request on `connection`, then closes it.
func serve(_ connection: Socket, peer: SocketAddress, root: Directory, limits: Limits) {
    defer { connection.close() }
    do {
        // A client that goes quiet (mid-header or mid-body) costs at most this long;
        // one that trickles costs no longer: the whole header must be in by then.
        try connection.setSendTimeout(seconds: limits.timeout)
        try connection.setNoDelay()
        let headerDue = Deadline("the request header", seconds: limits.timeout)
        guard let request = try connection.receiveHeader(by: headerDue) else { return }
        trace("\(peer): \(String(decoding: request.json, as: UTF8.self))")
        let op = request.string("op") ?? ""
        do {
            switch op {
            case "put":
                // Answered after the upload has let go of its name: a client
                // that has the answer can put the same name again at once.
                let answer = try receiveUpload(request, on: connection, root: root, limits: limits)
                try answerOK(connection, answer)
            case "get": try sendDownload(request, on: connection, root: root)
            case "list": try sendList(on: connection, root: root)
            case "partial": try sendPartialSize(request, on: connection, root: root)
            default: throw Refusal("unknown op \(quoted(op)): use put, get, list or partial")
            }
        } catch let refusal as Refusal {
            trace("\(peer): refused: \(refusal)")
            refuse(connection, refusal.description)
        }
    } catch let error as SocketError where error.isTooSlow {
        trace("\(peer): \(error) (--timeout); closing this connection")
    } catch {
        // A client that vanished or went quiet mid-request: its connection is lost,
        // and the server goes on.
        trace("\(peer): \(error); closing this connection")
    }
}

/// Answers with an error header; the connection is closed after it. On
/// Linux the client still reads this answer even if it was mid-body and the
/// close resets the connection: bytes already queued for it are read first.
func refuse(_ connection: Socket, _ text: String) {
    let answer = FrameHeader(
        fields: ["status": .string("error"), "error": .string(text)], totalSize: 0)
    try? connection.sendHeader(answer)
}

/// Sends a header with `status: ok` and the given fields, and no body.
func answerOK(_ connection: Socket, _ fields: [String: HeaderValue]) throws {
    var fields = fields
    fields["status"] = .string("ok")
    try connection.sendHeader(FrameHeader(fields: fields, totalSize: 0))
}

/// The checked name a request carries.
func requestedName(_ request: FrameHeader) throws -> String {
    guard let name = request.string("filename") else { throw Refusal("no filename in the header") }
    do {
        try checkFileName(name)
    } catch {
        throw Refusal("refused \(quoted(name)): \(error)")
    }
    return name
}

/// Where an upload of `name` is kept until it is complete and checked. The
/// `\` in it is a character no accepted name may hold: no client can ask
/// for this file, overwrite it, or see it in a list.
func partialName(of name: String) -> String {
    "\\partial-" + MD5.hex(Array(name.utf8))
}

/// Opens `name` for reading, turning the refusals of the file system into
/// answers that name the rule.
func openServed(_ name: String, in root: Directory) throws -> OpenFile {
    do {
        return try root.openForReading(name)
    } catch let error where error.code == ELOOP {
        throw Refusal(
            "refused \(quoted(name)): link rule: a symbolic link is never followed"
                + " (it could lead outside the root)")
    } catch let error where error.code == ENOENT {
        throw Refusal("no file \(quoted(name))")
    } catch .notRegularFile {
        throw Refusal("refused \(quoted(name)): not a regular file")
    }
}
