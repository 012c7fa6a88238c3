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

// Twelve independent accumulators (6 rows × 2 vectors of 8): two fused multiply-add pipes with a latency of four
// cycles need eight in flight, and twelve leave room for the loads. With the two B vectors and one broadcast A value
// they take 15 of the 16 vector registers, so nothing spills.
#define ROW_STEP(r)                                                                                                    \
    {                                                                                                                  \
        __m256 ar = _mm256_broadcast_ss(a + 6 * k + (r));                                                              \
        acc[r][0] = _mm256_fmadd_ps(ar, x0, acc[r][0]);                                                                \
        acc[r][1] = _mm256_fmadd_ps(ar, x1, acc[r][1]);                                                                \
    }

__attribute__((target("avx2,fma")))
void CActorFlowKernels_sgemm_6x16_fma(
    long depth, const float *a, const float *b0, const float *b1, float *c, long ldc, long rows, long columns,
    int accumulate) {
    // The tile of C is used once, after the loop: ask for its lines now so they arrive while the loop runs
    // (rows are a matrix row apart, too far for the hardware prefetcher to guess).
    for (long r = 0; r < rows; r++) {
        _mm_prefetch((const char *)(c + r * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + r * ldc + 15), _MM_HINT_T0);
    }
    __m256 acc[6][2];
    for (int r = 0; r < 6; r++) {
        acc[r][0] = _mm256_setzero_ps();
        acc[r][1] = _mm256_setzero_ps();
    }
    for (long k = 0; k < depth; k++) {
        __m256 x0 = _mm256_loadu_ps(b0 + 8 * k);
        __m256 x1 = _mm256_loadu_ps(b1 + 8 * k);
        ROW_STEP(0) ROW_STEP(1) ROW_STEP(2) ROW_STEP(3) ROW_STEP(4) ROW_STEP(5)
    }
    if (rows == 6 && columns == 16) {
        for (int r = 0; r < 6; r++) {
            float *row = c + r * ldc;
            if (accumulate) {
                acc[r][0] = _mm256_add_ps(_mm256_loadu_ps(row), acc[r][0]);
                acc[r][1] = _mm256_add_ps(_mm256_loadu_ps(row + 8), acc[r][1]);
            }
            _mm256_storeu_ps(row, acc[r][0]);
            _mm256_storeu_ps(row + 8, acc[r][1]);
        }
        return;
    }
    // An edge tile: the packed panels are zero-padded, so the whole tile was computed; add only its live part.
    float tile[6][16];
    for (int r = 0; r < 6; r++) {
        _mm256_storeu_ps(tile[r], acc[r][0]);
        _mm256_storeu_ps(tile[r] + 8, acc[r][1]);
    }
    for (long r = 0; r < rows; r++) {
        for (long j = 0; j < columns; j++) c[r * ldc + j] = accumulate ? c[r * ldc + j] + tile[r][j] : tile[r][j];
    }
}

#undef ROW_STEP

#else

int CActorFlowKernels_has_fma(void) { return 0; }

void CActorFlowKernels_sgemm_6x16_fma(
    long depth, const float *a, const float *b0, const float *b1, float *c, long ldc, long rows, long columns,
    int accumulate) {
    (void)depth; (void)a; (void)b0; (void)b1; (void)c; (void)ldc; (void)rows; (void)columns; (void)accumulate;
    __builtin_trap();
}

#endif
