// swift-tools-version: 6.0
// The workbook: one library of socket wrappers (NetUtil), one server and one
// client executable per lesson, and the tests that check what the notes claim.
import PackageDescription

/// The lessons, in reading order. Each folder under `Lessons/` holds a
/// `Server/main.swift` and a `Client/main.swift`.
let lessons: [(number: String, folder: String)] = [
    ("01", "01-recv-partial"),
    ("02", "02-recv-block"),
    ("03", "03-recv-eof"),
    ("04", "04-sticky-packet"),
    ("05", "05-header-framing"),
    ("06", "06-udp"),
    ("07", "07-poll"),
    ("08", "08-connection-end"),
    ("09", "09-file-transfer"),
]

var products: [Product] = [.executable(name: "framing-bench", targets: ["framing-bench"])]
var targets: [Target] = [
    // The glibc functions Swift's Glibc module leaves out, looked up by name in one place.
    .target(name: "GlibcExtras"),
    .target(name: "NetUtil", dependencies: ["GlibcExtras"]),
    // Starting lesson programs as child processes, for the tests and the runner.
    .target(name: "LessonProcess", dependencies: ["NetUtil", "GlibcExtras"]),
    .target(name: "FramingBench", dependencies: ["NetUtil", "GlibcExtras"]),
    .executableTarget(
        name: "framing-bench", dependencies: ["FramingBench", "LessonProcess", "NetUtil"]),
    // Lets the tests that wait on sockets and child processes wait off the cooperative pool.
    .target(name: "TestThreads", path: "Tests/TestThreads"),
    .testTarget(
        name: "FramingBenchTests", dependencies: ["FramingBench", "NetUtil", "TestThreads"]),
    .testTarget(name: "NetUtilTests", dependencies: ["NetUtil", "TestThreads"]),
]
var lessonTargetNames: [String] = []

for lesson in lessons {
    for (role, folder) in [("server", "Server"), ("client", "Client")] {
        let target = "Lesson\(lesson.number)\(folder)"
        products.append(.executable(name: "lesson\(lesson.number)-\(role)", targets: [target]))
        targets.append(
            .executableTarget(
                name: target,
                dependencies: ["NetUtil"],
                path: "Lessons/\(lesson.folder)/\(folder)"
            )
        )
        lessonTargetNames.append(target)
    }
}

// The end-to-end tests run the lesson executables as child processes; naming
// them as dependencies makes `swift test` build them first.
targets.append(
    .testTarget(
        name: "LessonTests",
        dependencies: ["GlibcExtras", "LessonProcess", "NetUtil", "TestThreads"]
            + lessonTargetNames.map { .target(name: $0) }
    )
)

// The exercises. In each lesson that has one, `Exercise/` holds the code the
// learner writes (module ExerciseNN) and `Check/` its checks, reference solution and
// classic wrong answers (module CheckNN), which the learner's code does not see.
// `exercise-runner` puts each pair together (Sources/exercise-runner/Exercises.swift)
// and runs one exercise's checks in a process that `workbook check` can kill.
let exercises: [(number: String, folder: String)] = [
    ("01", "01-recv-partial"),
    ("02", "02-recv-block"),
    ("03", "03-recv-eof"),
    ("04", "04-sticky-packet"),
    ("05", "05-header-framing"),
    ("06", "06-udp"),
    ("07", "07-poll"),
    ("08", "08-connection-end"),
    ("09", "09-file-transfer"),
]
var exerciseModules: [Target.Dependency] = []
targets.append(.target(name: "ExerciseKit", dependencies: ["NetUtil"]))
for exercise in exercises {
    for part in ["Exercise", "Check"] {
        targets.append(
            .target(
                name: "\(part)\(exercise.number)",
                dependencies: ["ExerciseKit", "NetUtil"],
                path: "Lessons/\(exercise.folder)/\(part)"
            )
        )
        exerciseModules.append(.target(name: "\(part)\(exercise.number)"))
    }
}
targets += [
    .executableTarget(
        name: "exercise-runner",
        dependencies: ["ExerciseKit", "LessonProcess", "NetUtil"] + exerciseModules),
    .testTarget(
        name: "ExerciseTests",
        dependencies: [
            "ExerciseKit", "LessonProcess", "NetUtil", "TestThreads", "exercise-runner", "workbook",
        ]),
]

// The one-terminal runner starts the lesson executables as child processes;
// naming them as dependencies makes `swift run workbook` build them first.
products.append(.executable(name: "workbook", targets: ["workbook"]))
targets.append(
    .executableTarget(
        name: "workbook",
        dependencies: ["NetUtil", "LessonProcess", "exercise-runner"]
            + lessonTargetNames.map { .target(name: $0) }
    )
)
targets.append(
    .testTarget(
        name: "WorkbookTests",
        dependencies: ["LessonProcess", "NetUtil", "TestThreads", "workbook"]
    )
)

let package = Package(
    name: "SocketWorkbook",
    products: products,
    targets: targets
)
