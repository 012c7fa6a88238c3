import ActorFlowTracing

extension ChromeTraceExporter {
    /// The trace of one run's metadata (its step statistics, built if they were not yet).
    ///
    ///     let text = ChromeTraceExporter().json(for: md)
    public func json(for metadata: RunMetadata) -> String {
        json(for: metadata.stepStats)
    }
}

extension StepStatsAccumulator {
    /// Adds one run's metadata (its step statistics, built if they were not yet).
    ///
    ///     var totals = StepStatsAccumulator()
    ///     totals.add(md)
    public mutating func add(_ metadata: RunMetadata) {
        add(metadata.stepStats)
    }
}
