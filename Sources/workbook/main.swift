// The workbook runner: each lesson's real server and client in one terminal,
// both sides interleaved in the order they happened, and quizzes to predict them.
//
//     swift run workbook              (list the lessons)
//     swift run workbook 1            (run lesson 01; also `all`, or `quiz 1`)
import LessonProcess
import NetUtil
import Synchronization

var arguments = Array(CommandLine.arguments.dropFirst())
let verbose = arguments.contains("--verbose")
arguments.removeAll { $0 == "--verbose" }
let display = Display(verbose: verbose)

// Ctrl-C stops the runner, and with it every lesson process it started:
// they are killed and waited for before the runner exits, so none is left behind.
// The runner writes scripted input to clients that may already have exited.
ignoreBrokenPipes()
onStopSignal { signal in
    // Holding `ending` until exit keeps the main thread, which sees its
    // children die, from reporting them as failures or exiting first.
    ending.withLock { _ in
        LessonProcess.stopAll()
        Output.errorLine("workbook: stopped; no lesson process is left running")
        exit(128 + signal)
    }
}

do throws(WorkbookError) {
    // `check` also takes the tests' --solution and --wrong N (see Check.swift).
    let checkFlags = arguments.first == "check" ? ["--solution", "--wrong"] : []
    try rejectUnknownFlags(arguments, known: ["--help", "-h"] + checkFlags)
    switch arguments.first {
    case nil:
        listLessons()
    case "--help", "-h", "help":
        Output.line(usage)
    case "all":
        guard arguments.count == 1 else { throw WorkbookError.usage }
        var failed = false
        for (index, lesson) in lessons.enumerated() {
            if index > 0 { Output.line("") }
            display.heading(lesson)
            let run = try run(lesson, display: display)
            failed = failed || run.serverStatus != 0 || run.clientStatus != 0
        }
        end(failed ? 1 : 0)
    case "quiz":
        end(try quizCommand(Array(arguments.dropFirst()), display: display))
    case "check":
        end(try check(Array(arguments.dropFirst())))
    case let name?:
        guard arguments.count == 1 else { throw WorkbookError.usage }
        let lesson = try lesson(named: name)
        display.heading(lesson)
        let run = try run(lesson, display: display)
        end(run.serverStatus == 0 && run.clientStatus == 0 ? 0 : 1)
    }
} catch {
    end(error.exitStatus, error: "workbook: \(error)")
}
