import Foundation
import LessonProcess
import NetUtil
import TestThreads
import Testing

@Suite("Lesson 09 · sending files, streamed and checked", .mayBlock)
struct Lesson09Tests {
    @Test(
        "files of 0 bytes, 1 byte and 4 MiB go up with put and come back with get byte for byte",
        arguments: [0, 1, 4 << 20])
    func roundTrip(size: Int) throws {
        let server = try FileServer()
        let bytes = testBytes(size, seed: UInt64(size))
        let md5 = MD5.hex(bytes)
        let put = try server.client(["put", try server.localFile("data.bin", bytes)])
        #expect(put.status == 0, "\(put.errorLines)")
        #expect(
            put.lines.last?.hasPrefix("client: put \"data.bin\": \(byteCount(size)) in ") == true)
        #expect(put.lines.last?.hasSuffix("MD5 \(md5) matched") == true)
        #expect(hasContents(server.root.appendingPathComponent("data.bin"), bytes))
        #expect(try server.rootEntries() == ["data.bin"])
        let get = try server.client(["get", "data.bin"])
        #expect(get.status == 0, "\(get.errorLines)")
        #expect(hasContents(server.downloads.appendingPathComponent("data.bin"), bytes))
        #expect(!FileManager.default.fileExists(atPath: server.downloads.path + "/data.bin.part"))
    }

    @Test("put sends the header the wire format gives: op, filename, MD5 and total_size")
    func putHeader() throws {
        let server = try FileServer()
        let put = try server.client(["put", try server.localFile("abc", Array("abc".utf8))])
        #expect(
            put.lines.contains(
                #"client: header {"MD5":"900150983cd24fb0d6963f7d28e17f72","filename":"abc","op":"put","total_size":3}"#
            ))
        #expect(
            put.lines.contains(
                #"client: answer {"MD5":"900150983cd24fb0d6963f7d28e17f72","filename":"abc","size":3,"status":"ok","total_size":0}"#
            ))
    }

    @Test(
        "every name rule refuses its name, for put and for get, with an answer naming the rule, and the server keeps serving"
    )
    func nameRules() throws {
        let server = try FileServer()
        let cases: [(String, String)] = [
            ("", "name rule: the name is empty"),
            (".", "name rule: \".\" and \"..\" name directories, not files"),
            ("..", "name rule: \".\" and \"..\" name directories, not files"),
            ("a/b", "name rule: \"/\" is not allowed (a name is not a path)"),
            ("../escape", "name rule: \"/\" is not allowed (a name is not a path)"),
            ("/etc/passwd", "name rule: \"/\" is not allowed (a name is not a path)"),
            ("a\\b", "name rule: \"\\\" is not allowed (a path separator on Windows)"),
            ("a\u{0}b", "name rule: NUL is not allowed (C would end the name there)"),
            ("tab\there", "name rule: control character U+0009 is not allowed"),
            ("esc\u{1B}[2J", "name rule: control character U+001B is not allowed"),
            ("del\u{7F}", "name rule: control character U+007F is not allowed"),
            (
                String(repeating: "x", count: 256),
                "name rule: the name is 256 bytes; at most 255 are allowed"
            ),
            (
                String(repeating: "é", count: 128),
                "name rule: the name is 256 bytes; at most 255 are allowed"
            ),
        ]
        let body = Array("x".utf8)
        for (name, rule) in cases {
            let put = try server.refusal(
                ["op": .string("put"), "filename": .string(name), "MD5": .string(MD5.hex(body))],
                body: body)
            #expect(put.hasSuffix(rule), "put \(quoted(name)): \(put)")
            let get = try server.refusal(["op": .string("get"), "filename": .string(name)])
            #expect(get.hasSuffix(rule), "get \(quoted(name)): \(get)")
        }
        #expect(try server.rootEntries() == [])
        // 255 bytes is allowed, and the server is still serving.
        let longest = String(repeating: "x", count: 255)
        let put = try server.request(
            ["op": .string("put"), "filename": .string(longest), "MD5": .string(MD5.hex(body))],
            body: body)
        #expect(put.header.string("status") == "ok")
        #expect(try server.list() == [longest])
    }

    @Test(
        "a symbolic link placed in the root is never followed: get, put and list refuse or skip it")
    func symbolicLink() throws {
        let server = try FileServer()
        let outside = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outside) }
        let secret = outside.appendingPathComponent("secret")
        try Data("secret\n".utf8).write(to: secret)
        try FileManager.default.createSymbolicLink(
            atPath: server.root.appendingPathComponent("link").path,
            withDestinationPath: secret.path)
        let get = try server.refusal(["op": .string("get"), "filename": .string("link")])
        #expect(
            get == "refused \"link\": link rule: a symbolic link is never followed"
                + " (it could lead outside the root)")
        let body = Array("changed\n".utf8)
        for overwrite in [0, 1] {
            let put = try server.refusal(
                [
                    "op": .string("put"), "filename": .string("link"),
                    "MD5": .string(MD5.hex(body)), "overwrite": .integer(overwrite),
                ], body: body)
            #expect(put == "refused \"link\": not a regular file")
        }
        #expect(contents(secret) == Array("secret\n".utf8))
        #expect(try server.list() == [])
    }

    @Test("a body over --max-size is refused before a byte is stored, and the client reads why")
    func sizeRule() throws {
        let server = try FileServer(["--max-size", "1000"])
        // 2 MiB: far more than the socket buffers hold, so the refusal comes mid-body.
        let put = try server.client(["put", try server.localFile("big", testBytes(2 << 20))])
        #expect(put.status == 1)
        #expect(
            put.errorLines == [
                "client: the server refused: size rule: 2097152 bytes exceeds --max-size 1000"
            ])
        #expect(try server.rootEntries() == [])
        let fits = try server.client(["put", try server.localFile("small", testBytes(1000))])
        #expect(fits.status == 0)
    }

    @Test("a body whose MD5 does not match is refused, and leaves no file and no partial behind")
    func md5Mismatch() throws {
        let server = try FileServer()
        let body = testBytes(100_000)
        let wrong = MD5.hex(body + [0])
        let error = try server.refusal(
            ["op": .string("put"), "filename": .string("f"), "MD5": .string(wrong)], body: body)
        #expect(
            error == "MD5 mismatch: the body's MD5 is \(MD5.hex(body)), the header said \(wrong)")
        #expect(try server.rootEntries() == [])
        #expect(try server.list() == [])
    }

    @Test("a file that appears under the name while its upload is under way is not replaced")
    func appearsDuringUpload() throws {
        let server = try FileServer()
        let body = testBytes(100_000)
        let connection = try connectTCP(host: "127.0.0.1", port: server.port).connection
        try connection.setReceiveTimeout(seconds: 5)
        let fields: [String: HeaderValue] = [
            "op": .string("put"), "filename": .string("late"), "MD5": .string(MD5.hex(body)),
        ]
        try connection.sendHeader(FrameHeader(fields: fields, totalSize: body.count))
        try connection.sendAll(Array(body[..<50_000]))
        // The partial file exists once the server has checked the name and begun the body.
        let deadline = ContinuousClock.now + .seconds(10)
        while try !server.rootEntries().contains(where: { $0.hasPrefix("\\partial-") }) {
            #expect(ContinuousClock.now < deadline, "no partial file appeared")
            if ContinuousClock.now >= deadline { return }
            sleep(seconds: 0.01)
        }
        let mine = Array("another program's file\n".utf8)
        try Data(mine).write(to: server.root.appendingPathComponent("late"))
        try connection.sendAll(Array(body[50_000...]))
        let answer = try #require(try connection.receiveHeader())
        #expect(answer.string("status") == "error")
        #expect(
            answer.string("error") == "exists: \"late\" is already there; send \"overwrite\": 1")
        #expect(contents(server.root.appendingPathComponent("late")) == mine)
        #expect(try server.rootEntries() == ["late"])
    }

    @Test("an existing file is not replaced unless the client asks with --overwrite")
    func overwrite() throws {
        let server = try FileServer()
        let first = try server.localFile("f", Array("first".utf8))
        #expect(try server.client(["put", first]).status == 0)
        let second = try server.localFile("f", Array("second".utf8))
        let refused = try server.client(["put", second])
        #expect(refused.status == 1)
        #expect(
            refused.errorLines == [
                "client: the server refused: exists: \"f\" is already there; send \"overwrite\": 1"
            ])
        #expect(contents(server.root.appendingPathComponent("f")) == Array("first".utf8))
        #expect(try server.client(["put", second, "--overwrite"]).status == 0)
        #expect(contents(server.root.appendingPathComponent("f")) == Array("second".utf8))
        #expect(try server.rootEntries() == ["f"])
    }

    @Test(
        "an upload cut part-way leaves nothing under its name, list and get ignore the partial, and --resume sends only the rest",
        arguments: [1, 65536, 1_000_000])
    func uploadCut(at offset: Int) throws {
        let server = try FileServer()
        let bytes = testBytes(1_500_000, seed: 7)
        let path = try server.localFile("f", bytes)
        let cut = try server.client(["put", path, "--stop-after", "\(offset)"])
        #expect(cut.status == 3)
        try server.waitForLine(containing: "closing this connection")
        #expect(try server.list() == [])
        #expect(!FileManager.default.fileExists(atPath: server.root.path + "/f"))
        let get = try server.refusal(["op": .string("get"), "filename": .string("f")])
        #expect(get == "no file \"f\"")
        let resumed = try server.client(["put", path, "--resume"])
        #expect(resumed.status == 0, "\(resumed.errorLines)")
        #expect(
            resumed.lines.contains {
                $0.hasPrefix("client: header ")
                    && $0.hasSuffix("\"total_size\":\(bytes.count - offset)}")
            })
        #expect(hasContents(server.root.appendingPathComponent("f"), bytes))
        #expect(try server.rootEntries() == ["f"])
    }

    @Test(
        "with --max-partials 2, a third cut upload removes the oldest partial, in one line, and keeps the two latest for --resume"
    )
    func partialCap() throws {
        let server = try FileServer(["--max-partials", "2"])
        for name in ["a", "b", "c"] {
            let path = try server.localFile(name, testBytes(100_000))
            #expect(try server.client(["put", path, "--stop-after", "1000"]).status == 3)
            if name == "c" {
                #expect(
                    try server.waitForLine(containing: "removed the partial")
                        == "server: removed the partial upload of \"a\": --max-partials is 2")
            }
            try server.waitForLine(containing: "closing this connection")
        }
        for (name, kept) in [("a", 0), ("b", 1000), ("c", 1000)] {
            let answer = try server.request(["op": .string("partial"), "filename": .string(name)])
            #expect(answer.header.integer("partial_size") == kept, "\(name)")
        }
        let partials = ["b", "c"].map { "\\partial-" + MD5.hex(Array($0.utf8)) }.sorted()
        #expect(try server.rootEntries() == partials)
    }

    @Test("a partial still counts toward --max-partials after a refused resume of it")
    func partialCountsAfterRefusal() throws {
        let server = try FileServer(["--max-partials", "1"])
        let path = try server.localFile("a", testBytes(100_000))
        #expect(try server.client(["put", path, "--stop-after", "1000"]).status == 3)
        try server.waitForLine(containing: "closing this connection")
        let refused = try server.refusal([
            "op": .string("put"), "filename": .string("a"), "offset": .integer(5),
            "MD5": .string(MD5.hex([])),
        ])
        #expect(refused == "resume: 1000 bytes are kept for \"a\", not 5")
        let other = try server.localFile("b", testBytes(100_000))
        #expect(try server.client(["put", other, "--stop-after", "1000"]).status == 3)
        #expect(
            try server.waitForLine(containing: "removed the partial")
                == "server: removed the partial upload of \"a\": --max-partials is 1")
    }

    @Test("with --max-partials 0, a cut upload keeps nothing, and says so in one line")
    func noPartialsKept() throws {
        let server = try FileServer(["--max-partials", "0"])
        let path = try server.localFile("a", testBytes(100_000))
        #expect(try server.client(["put", path, "--stop-after", "1000"]).status == 3)
        #expect(
            try server.waitForLine(containing: "removed the partial")
                == "server: removed the partial upload of \"a\": --max-partials is 0")
        try server.waitForLine(containing: "closing this connection")
        #expect(try server.rootEntries() == [])
    }

    @Test(
        "a download cut part-way leaves only NAME.part, and get --resume completes it, MD5 checked",
        arguments: [1, 65536, 1_000_000])
    func downloadCut(at offset: Int) throws {
        let server = try FileServer()
        let bytes = testBytes(1_500_000, seed: 8)
        #expect(try server.client(["put", try server.localFile("f", bytes)]).status == 0)
        let cut = try server.client(["get", "f", "--stop-after", "\(offset)"])
        #expect(cut.status == 3)
        let saved = server.downloads.appendingPathComponent("f")
        #expect(contents(saved) == nil)
        #expect(
            hasContents(server.downloads.appendingPathComponent("f.part"), bytes[..<offset]))
        let again = try server.client(["get", "f"])
        #expect(
            again.errorLines == ["client: \"f.part\" exists: --resume continues it, or delete it"])
        let resumed = try server.client(["get", "f", "--resume"])
        #expect(resumed.status == 0, "\(resumed.errorLines)")
        #expect(resumed.lines.contains { $0.contains("\"offset\":\(offset)") })
        #expect(hasContents(saved, bytes))
    }

    @Test("a resumed download whose kept bytes were damaged fails the MD5 check and keeps nothing")
    func damagedPartial() throws {
        let server = try FileServer()
        let bytes = testBytes(200_000, seed: 9)
        #expect(try server.client(["put", try server.localFile("f", bytes)]).status == 0)
        try Data(testBytes(1000, seed: 10)).write(
            to: server.downloads.appendingPathComponent("f.part"))
        let resumed = try server.client(["get", "f", "--resume"])
        #expect(resumed.status == 1)
        #expect(resumed.errorLines.first?.hasPrefix("client: MD5 mismatch: got ") == true)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: server.downloads.path).sorted() == [
                "upload-source"
            ])
    }

    @Test(
        "a client that goes quiet mid-body is dropped after --timeout, and the server keeps serving"
    )
    func quietClient() throws {
        let server = try FileServer(["--timeout", "0.3"])
        let connection = try connectTCP(host: "127.0.0.1", port: server.port).connection
        try connection.sendHeader(
            FrameHeader(
                fields: [
                    "op": .string("put"), "filename": .string("f"), "MD5": .string(MD5.hex([])),
                ],
                totalSize: 10))
        try connection.sendAll(Array("abc".utf8))
        let started = ContinuousClock.now
        let line = try server.waitForLine(containing: "too slow")
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(line.hasSuffix("closing this connection"))
        #expect(try server.list() == [])
    }

    @Test("past --max-clients a new connection is answered busy, not served")
    func connectionCap() throws {
        let server = try FileServer(["--max-clients", "1"])
        let holder = try connectTCP(host: "127.0.0.1", port: server.port).connection
        try holder.sendAll([0])  // part of a header: the server is now serving it
        try server.waitForLine(containing: "connected")
        let error = try server.refusal(["op": .string("list")])
        #expect(error == "busy: 1 clients are being served; try later")
        holder.close()
    }

    @Test(
        "a request header with no total_size is read as total_size 0, as a list from Python sends it"
    )
    func absentTotalSize() throws {
        let server = try FileServer()
        let connection = try connectTCP(host: "127.0.0.1", port: server.port).connection
        try connection.setReceiveTimeout(seconds: 5)
        let json = Array(#"{"op": "list"}"#.utf8)
        try connection.sendAll([0, 0, 0, UInt8(json.count)] + json)
        let answer = try #require(try connection.receiveHeader())
        #expect(String(decoding: answer.json, as: UTF8.self) == #"{"status":"ok","total_size":0}"#)
    }

    @Test("without --root the server serves a new directory, names it, and removes it when stopped")
    func freshRoot() throws {
        let deadline = ContinuousClock.now + runDeadline
        let server = try LessonProcess("lesson09-server", arguments: ["--port", "0"])
        let serving = try server.waitForLine(containing: "server: serving ", before: deadline)
        #expect(serving.hasSuffix(" (new; removed when the server stops)"))
        let path = String(serving.dropFirst("server: serving ".count).prefix { $0 != " " })
        let listening = try server.waitForLine(containing: "listening on", before: deadline)
        let port = try #require(listeningPort(listening))
        let connection = try connectTCP(host: "127.0.0.1", port: port).connection
        try connection.setReceiveTimeout(seconds: 5)
        let body = Array("kept until the server stops\n".utf8)
        try connection.sendHeader(
            FrameHeader(
                fields: [
                    "op": .string("put"), "filename": .string("f"), "MD5": .string(MD5.hex(body)),
                ],
                totalSize: body.count))
        try connection.sendAll(body)
        #expect(try connection.receiveHeader()?.string("status") == "ok")
        #expect(FileManager.default.fileExists(atPath: path + "/f"))
        // A list reads the directory to its end first: the removal must still find "f".
        let list = try connectTCP(host: "127.0.0.1", port: port).connection
        try list.setReceiveTimeout(seconds: 5)
        try list.sendHeader(FrameHeader(fields: ["op": .string("list")], totalSize: 0))
        #expect(try list.receiveHeader()?.totalSize == 2)
        server.stop()
        _ = try server.waitForExit(before: deadline)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test(
        "a download the server cuts part-way leaves only NAME.part with the bytes that came, and the client says so",
        arguments: [1, 65536, 300_000])
    func serverCutsDownload(at offset: Int) throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = testBytes(500_000, seed: 13)
        // A stand-in server that answers a get with the right header, then
        // sends `offset` bytes of the body and closes.
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let port = listener.address.port
        try startThread {
            guard let (connection, _) = try? listener.accept() else { return }
            _ = try? connection.receiveHeader()
            let header = FrameHeader(
                fields: [
                    "status": .string("ok"), "filename": .string("f"),
                    "MD5": .string(MD5.hex(bytes)), "size": .integer(bytes.count),
                    "offset": .integer(0),
                ],
                totalSize: bytes.count)
            _ = try? connection.sendAll(header.prefix + bytes[..<offset])
            connection.close()
        }
        let client = try LessonProcess(
            "lesson09-client", arguments: ["--port", "\(port)", "--dir", folder.path, "get", "f"]
        ).finish(before: .now + runDeadline)
        listener.close()
        #expect(client.status == 1)
        #expect(
            client.errorLines == [
                "client: the peer closed the connection after \(offset) of \(bytes.count) bytes;"
                    + " \"f.part\" kept: get --resume continues it"
            ])
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/f"))
        #expect(hasContents(folder.appendingPathComponent("f.part"), bytes[..<offset]))
    }
}
