/// SplitMix64: a small, seeded, reproducible generator, so a workload (or a test's random graph) is the same
/// on every run and machine.
///
///     var rng = WorkloadRandom(seed: 42)
///     let edge = rng.next() % 4          // the same sequence for seed 42 everywhere
///     let weight = rng.nextFloat()       // in [-1, 1)
public struct WorkloadRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A float in [-1, 1) from the top 24 bits of the next value.
    public mutating func nextFloat() -> Float { Float(next() >> 40) / Float(1 << 24) * 2 - 1 }
}
