// Micro-kernels that need instructions the x86-64 baseline lacks (AVX2 + FMA), compiled for them with a
// target attribute and chosen at run time: Swift cannot compile one function for another target.
#ifndef CACTORFLOWKERNELS_H
#define CACTORFLOWKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU runs the fused multiply-add kernels (AVX2 and FMA, asked of the CPU once), else 0.
int CActorFlowKernels_has_fma(void);

/// C[0..<4][0..<16] += A·B over `depth` steps, with fused multiply-adds: `a` holds 4 floats per step (a packed
/// panel of 4 rows), `b0` and `b1` 8 floats per step each (two packed panels of 8 columns), `c` is the tile's
/// top-left element of a row-major matrix with row stride `ldc`. Call only when CActorFlowKernels_has_fma().
void CActorFlowKernels_sgemm_4x16_fma(
    long depth, const float *a, const float *b0, const float *b1, float *c, long ldc);

#ifdef __cplusplus
}
#endif

#endif
