import ActorFlow

/// A trace level as the benchmark command line and its output name it: `none`, `software`, `hardware`,
/// `full` (``RunOptions/TraceLevel`` `.noTrace`, `.softwareTrace`, `.hardwareTrace`, `.fullTrace`).
///
///     BenchmarkTraceLevel(rawValue: "full")?.runOptionsLevel   // .fullTrace
public enum BenchmarkTraceLevel: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case none
    case software
    case hardware
    case full

    /// The level a run asks for.
    public var runOptionsLevel: RunOptions.TraceLevel {
        switch self {
        case .none: .noTrace
        case .software: .softwareTrace
        case .hardware: .hardwareTrace
        case .full: .fullTrace
        }
    }

    public var description: String { rawValue }
}
