import ActorFlow

// A libFuzzer target, built only by `.ci/fuzz` (Package.swift declares it when ACTORFLOW_FUZZ=1):
//
//     ACTORFLOW_FUZZ=1 swift build --product ActorFlowFuzz -Xswiftc -sanitize=fuzzer --scratch-path .build-fuzz
//     .build-fuzz/debug/ActorFlowFuzz Tests/Fuzz/corpus -max_total_time=60
//
// The first byte picks what the rest drives: graph building, feeds and fetches; RunOptions bytes then a run; or
// RunMetadata bytes then the Chrome exporter and the step-stats accumulator.

/// One input: any `SessionError` or decoding error is a correct answer; a crash or a hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    var input = FuzzInput(bytes)
    switch input.choice(4) {
    case 0:
        let options = try? RunOptions(serializedBytes: input.rest())
        let g = Graph()
        let x = g.placeholder(.float32, shape: [nil], name: "x")
        let y = g.reduceSum(g.mul(x, x))
        let session = Session(graph: g, options: SessionOptions(policy: .callerThread))
        var metadata = RunMetadata()
        _ = try? session.run(y, feeds: [x: [1, 2] as [Float]], options: options ?? RunOptions(), metadata: &metadata)
        session.close()
    case 1:
        guard let metadata = try? RunMetadata(serializedBytes: input.rest()) else { return 0 }
        _ = ChromeTraceExporter(showDataflow: true, showMemory: true).json(for: metadata)
        var accumulator = StepStatsAccumulator()
        accumulator.add(metadata.stepStats)
        _ = accumulator.summaryTable(top: 5)
    default:
        GraphProgram.run(&input)
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's entry point as `<module>_main` and aliases `main` to it; libFuzzer brings its own
/// `main` too (hence `-z muldefs`). Whichever wins, the fuzzer runs: this one starts libFuzzer's driver.
@_cdecl("ActorFlowFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return runDriver(&argc, &argv, fuzzOneInput)
}
