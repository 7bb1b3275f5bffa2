import Foundation
import LessonProcess
import NetUtil
import TestThreads
import Testing

/// A real full disk: the server runs in a mount namespace of its own, made
/// with `unshare -rm` (a user namespace, so no real root is needed where the
/// system allows them), with a 1 MiB tmpfs as its root directory. Where
/// `unshare` or namespaces are not available the test is skipped, not faked.
@Suite("Lesson 09 · a full disk", .mayBlock)
struct Lesson09DiskTests {
    /// True when this system lets an ordinary process mount a tmpfs in a namespace of its own.
    static let canMountTmpfs: Bool = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        probe.arguments = ["-rm", "sh", "-c", "mount -t tmpfs -o size=64k none /mnt"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    @Test(
        "an upload that fills the disk (ENOSPC on a 1 MiB tmpfs) is refused as disk full and leaves no file and no partial",
        .enabled(if: canMountTmpfs))
    func diskFull() throws {
        let deadline = ContinuousClock.now + runDeadline
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let log = root.appendingPathExtension("log")
        defer { try? FileManager.default.removeItem(at: log) }
        let serverPath = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        // The mount is seen only inside the namespace; the server is exec'd into it.
        server.arguments = [
            "-rm", "sh", "-c",
            #"mount -t tmpfs -o size=1m lesson09 "$0" && exec "$1" --port 0 --root "$0" >"$2""#,
            root.path,
            URL(fileURLWithPath: serverPath).deletingLastPathComponent()
                .appendingPathComponent("lesson09-server").path,
            log.path,
        ]
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        var port: UInt16?
        while port == nil, ContinuousClock.now < deadline, server.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            port = text.split(separator: "\n").first { $0.contains("listening on") }
                .flatMap { listeningPort(String($0)) }
            if port == nil { usleep(10_000) }  // polling the log for the line, within the deadline
        }
        let serving = try #require(port)
        // What the server sees as its root, through its own mount namespace.
        let inside = "/proc/\(server.processIdentifier)/root\(root.path)"
        let body = testBytes(2 << 20, seed: 11)
        let answer = try rawPut("big", body, port: serving)
        #expect(
            answer.string("error")
                == "disk full: write(\"\\\\partial-\(MD5.hex(Array("big".utf8)))\"): "
                + "No space left on device (ENOSPC); nothing was kept")
        #expect(try FileManager.default.contentsOfDirectory(atPath: inside) == [])
        // The space is free again: a small upload fits.
        let small = testBytes(100_000, seed: 12)
        #expect(try rawPut("small", small, port: serving).string("status") == "ok")
        #expect(try FileManager.default.contentsOfDirectory(atPath: inside) == ["small"])
    }
}

/// A put written straight from the wire format; returns the answer's header.
/// The server may answer before the whole body went, so a failed send is not an error.
private func rawPut(_ name: String, _ body: [UInt8], port: UInt16) throws -> FrameHeader {
    let connection = try connectTCP(host: "127.0.0.1", port: port).connection
    try connection.setReceiveTimeout(seconds: 5)
    try connection.sendHeader(
        FrameHeader(
            fields: [
                "op": .string("put"), "filename": .string(name), "MD5": .string(MD5.hex(body)),
            ],
            totalSize: body.count))
    _ = try? connection.sendAll(body)
    return try #require(try connection.receiveHeader())
}
