// Runs one exercise's checks, in a process of its own, so that code which
// blocks or spins for ever cannot hang `workbook check`: the workbook kills
// this process at its deadline. Not meant to be run by hand.
//
//     exercise-runner 01                  (check the learner's code)
//     exercise-runner 01 --solution       (check the reference solution)
//     exercise-runner 01 --wrong 2        (check the third classic wrong answer)
//     exercise-runner --list              (each exercise: lesson, task, mistakes)
import ExerciseKit
import LessonProcess
import NetUtil

// A wrong answer that trusts a length of 0xFFFFFFFF would try to allocate
// 4 GiB; with this limit the allocation fails (and the check with it)
// instead of eating the machine's memory.
#if canImport(Glibc)
    let addressSpaceLimit = __rlimit_resource_t(RLIMIT_AS.rawValue)
#else
    let addressSpaceLimit = RLIMIT_AS
#endif
var memoryLimit = rlimit(rlim_cur: 2 << 30, rlim_max: 2 << 30)
_ = setrlimit(addressSpaceLimit, &memoryLimit)
// The learner's code may send to a peer that has gone.
ignoreBrokenPipes()

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments == ["--list"] {
    for exercise in exercises {
        Output.line(
            "\(exercise.lesson)\t\(exercise.task)\t\(exercise.mistakes.joined(separator: "\t"))")
    }
    exit(0)
}
guard let lesson = arguments.first, let exercise = exercises.first(where: { $0.lesson == lesson })
else {
    Output.errorLine(
        "exercise-runner: no exercise for lesson \(escaped((arguments.first ?? "(none)").utf8))")
    exit(2)
}
let implementation: CheckableExercise.Implementation
switch Array(arguments.dropFirst()) {
case []: implementation = .learner
case ["--solution"]: implementation = .solution
case let rest
where rest.count == 2 && rest[0] == "--wrong" && Int(rest[1]) != nil
    && exercise.mistakes.indices.contains(Int(rest[1])!):
    implementation = .wrongAnswer(Int(rest[1])!)
default:
    Output.errorLine("exercise-runner: unexpected arguments \(arguments)")
    exit(2)
}
Output.line("task \(exercise.task)")
exit(exercise.run(implementation).exitStatus)
