/// The programs a lesson server agrees to run for a client, and nothing else.
public let allowedCommands = ["echo", "date", "uname", "whoami", "pwd", "seq", "ls"]

/// What a command printed, and how it ended.
public struct CommandResult: Sendable, Equatable {
    /// Everything it wrote to standard output, then everything it wrote to
    /// standard error, then a note if a limit stopped it.
    public var output: [UInt8]
    /// Its exit status; 128 + N if signal N ended it; 127 if it never ran.
    public var status: Int32
}

/// Runs a command line a client sent, without a shell, and collects its output.
///
/// The line is split on whitespace into a program and its arguments, and
/// the program must be one of `allowed`. There is no shell in between, so
/// `;`, `|`, `$(...)` and quotes are plain characters: `echo $(id)` prints
/// `$(id)`, and `ls;` is not a program on the list, so nothing runs. The
/// program is looked up in `/usr/bin` and `/bin` only, gets an empty
/// standard input, and inherits no descriptor but 0, 1 and 2: never the
/// server's listening socket or another client's connection.
///
/// Past `timeLimit` seconds, or past `outputCap` bytes of output, the
/// program is killed and a note saying which limit stopped it ends the output.
///
/// The corresponding C functions are `posix_spawn(3)`, `poll(2)` and `waitpid(2)`.
public func runCommand(
    _ line: String,
    allowed: [String] = allowedCommands,
    timeLimit: Double,
    outputCap: Int
) -> CommandResult {
    let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
    let list = allowed.joined(separator: ", ")
    guard let program = words.first, allowed.contains(program) else {
        let name = words.first.map { "\"\($0)\"" } ?? "an empty command"
        return refusal("\(name) is not allowed; the commands allowed are: \(list)")
    }
    guard let path = ["/usr/bin/", "/bin/"].map({ $0 + program }).first(where: isExecutable)
    else {
        return refusal("\(program): not found in /usr/bin or /bin")
    }
    var child: RunningChild
    do {
        child = try RunningChild(path: path, arguments: words)
    } catch {
        return refusal("\(program): \(error)")
    }
    let note = child.collectOutput(timeLimit: timeLimit, outputCap: outputCap)
    let status = child.waitForExit()
    let noteBytes = note.map { Array("\(program): \($0)\n".utf8) } ?? []
    return CommandResult(
        output: child.standardOutput + child.standardError + noteBytes, status: status)
}

/// The answer for a command that was not run: exit status 127, as a shell
/// gives for "command not found", and one line saying why.
private func refusal(_ reason: String) -> CommandResult {
    CommandResult(output: Array((reason + "\n").utf8), status: 127)
}

private func isExecutable(_ path: String) -> Bool {
    access(path, X_OK) == 0
}

/// A spawned program whose standard output and error come back through two pipes.
private struct RunningChild {
    let pid: pid_t
    var pipes: [Int32]  // read ends: [stdout, stderr]; -1 once closed
    var standardOutput: [UInt8] = []
    var standardError: [UInt8] = []

    /// Starts the program at `path`; `arguments` start with its name, as `argv[0]`.
    init(path: String, arguments: [String]) throws(SocketError) {
        let output = try makePipe()
        let errors = try makePipe()
        var actions = SpawnActions()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        var attributes = SpawnAttributes()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Only 0, 1 and 2, and Ctrl-C and kill working as usual: the server's
        // sockets and blocked signals are none of the command's business.
        startChildClean(&actions, &attributes)

        let argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        // A fixed, small environment: the same output whoever started the server.
        let variables: [String] = ["PATH=/usr/bin:/bin", "LC_ALL=C"]
        let environment = variables.map { strdup($0) } + [nil]
        defer { for variable in environment { free(variable) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, environment)
        // The child has its own copies of the write ends; ours must go, or
        // the read ends would never report end of file.
        _ = posixClose(output.write)
        _ = posixClose(errors.write)
        guard status == 0 else {
            _ = posixClose(output.read)
            _ = posixClose(errors.read)
            throw .failed(call: "posix_spawn", address: nil, errno: status)
        }
        self.pid = pid
        pipes = [output.read, errors.read]
    }

    /// Reads both pipes until both reach end of file, or a limit is hit.
    /// Returns the note to add when a limit stopped the program.
    mutating func collectOutput(timeLimit: Double, outputCap: Int) -> String? {
        let deadline = ContinuousClock.now + .milliseconds(Int((timeLimit * 1000).rounded()))
        var chunk = [UInt8](repeating: 0, count: 65536)
        defer { for descriptor in pipes where descriptor >= 0 { _ = posixClose(descriptor) } }
        // Both pipes are read as data comes, so a program that fills one
        // pipe while we wait on the other can never stall.
        while pipes.contains(where: { $0 >= 0 }) {
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                kill(pid, SIGKILL)
                return "stopped after the time limit of \(secondsText(.seconds(timeLimit)))"
            }
            var requests = pipes.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let milliseconds = Int32(clamping: left.components.seconds * 1000 + 1)
            guard poll(&requests, nfds_t(requests.count), milliseconds) > 0 else { continue }
            for (index, request) in requests.enumerated() where request.revents != 0 {
                let count = chunk.withUnsafeMutableBytes {
                    read(request.fd, $0.baseAddress, $0.count)
                }
                if count == -1 && errno == EINTR { continue }
                if count <= 0 {
                    _ = posixClose(pipes[index])
                    pipes[index] = -1
                    continue
                }
                let room = outputCap - standardOutput.count - standardError.count
                let kept = chunk[..<min(count, room)]
                if index == 0 { standardOutput += kept } else { standardError += kept }
                if count > room {
                    kill(pid, SIGKILL)
                    return "output cut at the cap of \(byteCount(outputCap))"
                }
            }
        }
        return nil
    }

    /// Reaps the child and returns its exit status, or 128 + the signal that ended it.
    func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return exitStatus(fromWaitStatus: status)
    }
}
