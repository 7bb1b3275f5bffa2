import NetUtil
import Synchronization

/// What can go wrong in the runner itself, in one line each.
enum WorkbookError: Error, CustomStringConvertible {
    case unknownLesson(String)
    case usage
    case unknownFlag(String)
    case quizUsage
    case lessonFailed(Lesson, String)

    var description: String {
        switch self {
        case .unknownLesson(let name):
            let valid = lessons.map { "\($0.number) (\($0.name))" }.joined(separator: ", ")
            // The name is the user's, as typed: escaped, so no byte of it moves the cursor.
            return "no lesson is called \(quoted(name)); the lessons are \(valid), or all"
        case .usage:
            return "unexpected arguments (try --help)"
        case .unknownFlag(let flag):
            return "unknown flag \(escaped(flag.utf8)) (try --help)"
        case .quizUsage:
            return "quiz takes one lesson, such as \"quiz 1\", or \"quiz all\" for every lesson"
        case .lessonFailed(let lesson, let reason):
            return "lesson \(lesson.number) failed: \(reason)"
        }
    }

    /// 2 when the command line was wrong, 1 when a lesson failed.
    var exitStatus: Int32 {
        if case .lessonFailed = self { return 1 }
        return 2
    }
}

/// Throws for the first word that starts with `-` and is not one of `known`:
/// a flag the runner does not have is never taken for a lesson's name.
func rejectUnknownFlags(_ words: [String], known: [String]) throws(WorkbookError) {
    if let flag = words.first(where: { $0.hasPrefix("-") && !known.contains($0) }) {
        throw .unknownFlag(flag)
    }
}

/// The lesson called `name`: `3`, `03` or `recv-eof`.
func lesson(named name: String) throws(WorkbookError) -> Lesson {
    guard let lesson = lessons.first(where: { $0.isNamed(name) }) else {
        throw .unknownLesson(name)
    }
    return lesson
}

let usage = """
    workbook: each lesson's server and client in one terminal, both sides in order

    usage: workbook                 list the lessons
           workbook LESSON          run one lesson: 3, 03 or recv-eof
           workbook all             run every lesson in order
           workbook quiz LESSON     predict first: answer the questions, then watch and be marked
           workbook quiz all        every lesson's quiz, in order
           workbook check [LESSON]  check your exercises: all of them, or one lesson's

      --verbose   also show the runner's own steps, such as each child's pid
    """

/// Prints every lesson with its summary and the exact commands that run it by hand,
/// flags included, as Notes.md runs it.
func listLessons() {
    Output.line("The lessons, each a server and a client (run them by hand in two terminals):")
    Output.line("")
    let pairs = lessons.map { lesson in
        lesson.byHand.map { run in
            (
                server: (["swift", "run", lesson.serverProduct] + run.server).joined(
                    separator: " "),
                client: (["swift", "run", lesson.clientProduct] + run.client).joined(
                    separator: " "),
                typing: run.typing
            )
        }
    }
    let width = pairs.joined().map { max($0.server.count, $0.client.count) }.max() ?? 0
    func padded(_ command: String) -> String {
        command + String(repeating: " ", count: width - command.count + 4)
    }
    for (lesson, runs) in zip(lessons, pairs) {
        Output.line("  \(lesson.number)  \(lesson.name): \(lesson.summary)")
        for run in runs {
            Output.line("      \(padded(run.server))(terminal 1)")
            let typing = run.typing.map { ", then type \($0)" } ?? ""
            Output.line("      \(padded(run.client))(terminal 2\(typing))")
        }
    }
    Output.line("")
    Output.line("Or in one terminal: swift run workbook 1   (all, or quiz 1, to predict first)")
}

/// Taken by whichever ends the runner first: the main thread, or the Ctrl-C
/// handler, which holds it until it exits.
let ending = Mutex(())

/// Exits with `status`, after printing `error` if given, unless Ctrl-C is
/// already ending the runner (then this waits for that exit).
func end(_ status: Int32, error: String? = nil) -> Never {
    ending.withLock { _ in
        if let error { Output.errorLine(error) }
        exit(status)
    }
}

/// Runs `report` unless Ctrl-C is ending the runner: a child it killed is no failure.
func unlessStopping(_ report: () -> Void) {
    ending.withLock { _ in report() }
}
