#include "CActorFlowKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

int CActorFlowKernels_has_fma(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return cached;
}

// Eight independent accumulators (4 rows × 2 vectors of 8) hide the fused multiply-add's latency.
__attribute__((target("avx2,fma")))
void CActorFlowKernels_sgemm_4x16_fma(
    long depth, const float *a, const float *b0, const float *b1, float *c, long ldc) {
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    for (long k = 0; k < depth; k++) {
        __m256 x0 = _mm256_loadu_ps(b0 + 8 * k);
        __m256 x1 = _mm256_loadu_ps(b1 + 8 * k);
        __m256 a0 = _mm256_broadcast_ss(a + 4 * k);
        c00 = _mm256_fmadd_ps(a0, x0, c00);
        c01 = _mm256_fmadd_ps(a0, x1, c01);
        __m256 a1 = _mm256_broadcast_ss(a + 4 * k + 1);
        c10 = _mm256_fmadd_ps(a1, x0, c10);
        c11 = _mm256_fmadd_ps(a1, x1, c11);
        __m256 a2 = _mm256_broadcast_ss(a + 4 * k + 2);
        c20 = _mm256_fmadd_ps(a2, x0, c20);
        c21 = _mm256_fmadd_ps(a2, x1, c21);
        __m256 a3 = _mm256_broadcast_ss(a + 4 * k + 3);
        c30 = _mm256_fmadd_ps(a3, x0, c30);
        c31 = _mm256_fmadd_ps(a3, x1, c31);
    }
    _mm256_storeu_ps(c, _mm256_add_ps(_mm256_loadu_ps(c), c00));
    _mm256_storeu_ps(c + 8, _mm256_add_ps(_mm256_loadu_ps(c + 8), c01));
    _mm256_storeu_ps(c + ldc, _mm256_add_ps(_mm256_loadu_ps(c + ldc), c10));
    _mm256_storeu_ps(c + ldc + 8, _mm256_add_ps(_mm256_loadu_ps(c + ldc + 8), c11));
    _mm256_storeu_ps(c + 2 * ldc, _mm256_add_ps(_mm256_loadu_ps(c + 2 * ldc), c20));
    _mm256_storeu_ps(c + 2 * ldc + 8, _mm256_add_ps(_mm256_loadu_ps(c + 2 * ldc + 8), c21));
    _mm256_storeu_ps(c + 3 * ldc, _mm256_add_ps(_mm256_loadu_ps(c + 3 * ldc), c30));
    _mm256_storeu_ps(c + 3 * ldc + 8, _mm256_add_ps(_mm256_loadu_ps(c + 3 * ldc + 8), c31));
}

#else

int CActorFlowKernels_has_fma(void) { return 0; }

void CActorFlowKernels_sgemm_4x16_fma(
    long depth, const float *a, const float *b0, const float *b1, float *c, long ldc) {
    (void)depth; (void)a; (void)b0; (void)b1; (void)c; (void)ldc;
    __builtin_trap();
}

#endif
