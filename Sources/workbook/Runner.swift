import LessonProcess
import NetUtil

/// How long one lesson may take before the runner gives up on it and stops it.
let lessonDeadline: Duration = .seconds(10)

/// After the client is done, how long a server that keeps serving may stay
/// silent before the runner takes the lesson as over.
let quietTime: Duration = .milliseconds(200)

/// What a finished run printed and how its two processes exited.
struct Run {
    var lines = RunLines()
    var serverStatus: Int32 = 0
    var clientStatus: Int32 = 0
}

/// Runs one lesson: the real server on a free port, then the real client once
/// the server listens, printing both sides' lines as they arrive.
func run(_ lesson: Lesson, display: Display) throws(WorkbookError) -> Run {
    do {
        return try runProcesses(of: lesson, display: display)
    } catch let error as WorkbookError {
        throw error
    } catch {
        throw .lessonFailed(lesson, "\(error)")
    }
}

private func runProcesses(of lesson: Lesson, display: Display) throws -> Run {
    let started = ContinuousClock.now
    let deadline = started + lessonDeadline
    var run = Run()
    func record(_ line: String) {
        display.show(line, at: ContinuousClock.now - started)
        run.lines.lines.append(line)
    }

    // Both sides write into one pipe, so their lines arrive in the order they
    // were written; and they share one CPU (see `Scheduling`), so a line that
    // reports a cause is written before the line that reports its effect.
    let transcript = try Transcript()
    let cpu = Scheduling.someAllowedCPU()
    let server = try LessonProcess(
        lesson.serverProduct, arguments: ["--port", "0"] + lesson.server,
        writingTo: transcript, scheduling: .pinned(cpu: cpu, idle: true))
    display.step("started \(server.product) --port 0 \(lesson.server.joined(separator: " "))")
    display.step("\(server.product) is pid \(server.pid)")

    // Port 0 lets the kernel pick a free port; the server prints it.
    var port: Substring?
    while port == nil {
        guard let line = try transcript.nextLine(before: deadline) else {
            throw WorkbookError.lessonFailed(lesson, "the server ended before it was listening")
        }
        record(line)
        if line.hasPrefix("server: listening on ") { port = line.split(separator: ":").last }
    }

    let client = try LessonProcess(
        lesson.clientProduct, arguments: ["--port", String(port!)] + lesson.client,
        writingTo: transcript, scheduling: .pinned(cpu: cpu, idle: false))
    display.step("\(client.product) is pid \(client.pid)")
    // From now on only the children hold the pipe, so it ends when they both have.
    transcript.closeWriteEnd()
    if let input = lesson.clientInput { client.send(input) }
    client.closeInput()

    var lastLine = ContinuousClock.now
    var stopping = false
    while true {
        do {
            let slice = min(deadline, ContinuousClock.now + .milliseconds(50))
            guard let line = try transcript.nextLine(before: slice) else { break }
            record(line)
            lastLine = ContinuousClock.now
        } catch LessonProcessError.timedOut {
            guard ContinuousClock.now < deadline else {
                throw WorkbookError.lessonFailed(
                    lesson, "it did not finish within \(secondsText(lessonDeadline)); stopped it")
            }
            let quiet = ContinuousClock.now - lastLine >= quietTime
            if lesson.serverEnd == .stopWhenQuiet, !stopping, quiet, client.hasExited {
                display.step("the client is done; stopping the server")
                server.stop()
                stopping = true
            }
        }
    }
    run.clientStatus = try client.waitForExit(before: deadline)
    run.serverStatus = try server.waitForExit(before: deadline)
    display.step("both lesson processes have exited")
    // A server that the runner itself stopped with SIGTERM did nothing wrong.
    if stopping && run.serverStatus == 128 + SIGTERM { run.serverStatus = 0 }
    let statuses = [(server.product, run.serverStatus), (client.product, run.clientStatus)]
    unlessStopping {
        for (product, status) in statuses where status != 0 {
            Output.line("workbook: \(product) exited with status \(status)")
        }
    }
    return run
}
