import CActorFlowKernels

// The fused multiply-add micro-kernel: a 6×16 float tile in C (CActorFlowKernels), compiled for AVX2+FMA with a
// target attribute and used only when the CPU says it has both, so the package still builds and runs for the
// x86-64 baseline. The portable 4×8 Swift kernel (MatMul+Kernel.swift) covers everything else: other element
// types and CPUs without FMA.

extension MatMulScalar {
    /// Whether ``wideTile(depth:a:b0:b1:c:ldc:rows:columns:)`` runs on this CPU for this type.
    package static var hasWideTile: Bool { false }

    /// C[0..<rows][0..<columns] += Apanel · [Bpanel0 Bpanel1] over `depth` steps (`=` when not `accumulate`), for a
    /// tile of at most ``MatMulKernel/wideTileRows`` × 2·lanes; call only when ``hasWideTile``.
    @inline(__always)
    package static func wideTile(
        depth: Int, a: UnsafePointer<Self>, b0: UnsafePointer<Self>, b1: UnsafePointer<Self>,
        c: UnsafeMutablePointer<Self>, ldc: Int, rows: Int, columns: Int, accumulate: Bool
    ) {
        preconditionFailure("no wide micro-kernel for \(Self.self)")
    }
}

extension Float {
    /// Asked of the CPU once (`cpuid` through `__builtin_cpu_supports`).
    private static let cpuHasFMA = CActorFlowKernels_has_fma() != 0

    package static var hasWideTile: Bool { cpuHasFMA }

    @inline(__always)
    package static func wideTile(
        depth: Int, a: UnsafePointer<Float>, b0: UnsafePointer<Float>, b1: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int, accumulate: Bool
    ) {
        unsafe CActorFlowKernels_sgemm_6x16_fma(depth, a, b0, b1, c, ldc, rows, columns, accumulate ? 1 : 0)
    }
}
