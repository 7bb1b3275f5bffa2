import NetUtil
import Synchronization

/// What can go wrong in the runner itself, in one line each.
enum WorkbookError: Error, CustomStringConvertible {
    case unknownLesson(String)
    case usage
    case lessonFailed(Lesson, String)

    var description: String {
        switch self {
        case .unknownLesson(let name):
            let valid = lessons.map { "\($0.number) (\($0.name))" }.joined(separator: ", ")
            return "no lesson is called \"\(name)\"; the lessons are \(valid), or all"
        case .usage:
            return "unexpected arguments (try --help)"
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

      --verbose   also show the runner's own steps, such as each child's pid
    """

/// Prints every lesson with its summary and the two commands that run it by hand.
func listLessons() {
    Output.line("The lessons, each a server and a client (run them by hand in two terminals):")
    Output.line("")
    for lesson in lessons {
        Output.line("  \(lesson.number)  \(lesson.name): \(lesson.summary)")
        Output.line("      swift run \(lesson.serverProduct)        (terminal 1)")
        Output.line("      swift run \(lesson.clientProduct)        (terminal 2)")
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
