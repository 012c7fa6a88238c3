// Micro-kernels that need instructions the x86-64 baseline lacks (AVX2 + FMA), compiled for them with a
// target attribute and chosen at run time: Swift cannot compile one function for another target.
#ifndef CACTORFLOWKERNELS_H
#define CACTORFLOWKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU runs the fused multiply-add kernels (AVX2 and FMA, asked of the CPU once), else 0.
int CActorFlowKernels_has_fma(void);

/// C[0..<rows][0..<columns] += A·B over `depth` steps (C = A·B when `accumulate` is 0, so C need not be
/// initialized), with fused multiply-adds, for a tile of at most 6×16: `a`
/// holds 6 floats per step (a packed panel of 6 rows, zero past the live rows), `b0` and `b1` 8 floats per step each
/// (two packed panels of 8 columns, zero past the live columns; `b1` may equal `b0` when `columns` <= 8), `c` is the
/// tile's top-left element of a row-major matrix with row stride `ldc`; only the live rows × columns are written.
/// Call only when CActorFlowKernels_has_fma().
void CActorFlowKernels_sgemm_6x16_fma(
    long depth, const float *a, const float *b0, const float *b1, float *c, long ldc, long rows, long columns,
    int accumulate);

#ifdef __cplusplus
}
#endif

#endif
