// The OpenMP peer of `actorflow intraop --compare openmp`: one large elementwise `add` or `reduceSum` over float32,
// split by `#pragma omp parallel for` over `threads` threads, timed the way `actorflow intraop` times its one-op
// steps (3 warm-up runs, then `repetitions` timed runs, the median printed).
//
//   openmp_intraop add|sum ELEMENTS THREADS REPETITIONS
//   -> {"op":"add","elements":16777216,"threads":2,"medianMillis":9.71,"checksum":...}
//
// It does what ActorFlow's kernels do with their memory, so that the two are comparable: `add` writes a fresh
// output buffer every run (allocated, advised for transparent huge pages, first touched by the threads that
// compute it, freed after the run), with ordinary stores; `sum` keeps sixteen float running sums per thread,
// then adds the threads' partial sums. Built by build.sh with -O3 -march=native (its best case on this CPU).
#include <omp.h>
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

static double now_millis() {
    using clock = std::chrono::steady_clock;
    return std::chrono::duration<double, std::milli>(clock::now().time_since_epoch()).count();
}

// An uninitialized float buffer as large buffers come from malloc (mmap), advised like HugePages.advise.
static float *fresh_buffer(long count) {
    size_t bytes = size_t(count) * sizeof(float);
    auto *buffer = static_cast<float *>(std::malloc(bytes));
    if (buffer == nullptr) {
        std::fprintf(stderr, "openmp_intraop: cannot allocate %zu bytes\n", bytes);
        std::exit(1);
    }
    const uintptr_t huge = uintptr_t(2) << 20;
    uintptr_t first = (reinterpret_cast<uintptr_t>(buffer) + huge - 1) & ~(huge - 1);
    uintptr_t end = (reinterpret_cast<uintptr_t>(buffer) + bytes) & ~(huge - 1);
    if (bytes >= (size_t(4) << 20) && end > first) madvise(reinterpret_cast<void *>(first), end - first, MADV_HUGEPAGE);
    return buffer;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: openmp_intraop add|sum ELEMENTS THREADS REPETITIONS\n");
        return 2;
    }
    const std::string op = argv[1];
    const long count = std::atol(argv[2]);
    const int threads = std::atoi(argv[3]);
    const int repetitions = std::atoi(argv[4]);
    if ((op != "add" && op != "sum") || count <= 0 || threads <= 0 || repetitions <= 0) {
        std::fprintf(stderr, "openmp_intraop: bad arguments (op add|sum, positive counts)\n");
        return 2;
    }
    // The same inputs as `actorflow intraop` builds (values in [-1, 1]).
    std::vector<float> a(static_cast<size_t>(count)), b(static_cast<size_t>(count));
    for (long i = 0; i < count; i++) {
        a[size_t(i)] = float(((i * 2654435761L + 3) >> 7) % 2001) / 1000 - 1;
        b[size_t(i)] = float(((i * 2654435761L + 4) >> 7) % 2001) / 1000 - 1;
    }
    const float *x = a.data(), *y = b.data();
    double checksum = 0;
    auto run_once = [&]() {
        if (op == "add") {
            float *out = fresh_buffer(count);
#pragma omp parallel for num_threads(threads) schedule(static)
            for (long i = 0; i < count; i++) out[i] = x[i] + y[i];
            checksum = out[count / 3];
            std::free(out);
        } else {
            // Sixteen running sums per thread (two vectors of eight), which g++ keeps in registers.
            const long whole = count / 16 * 16;
            float total = 0;
#pragma omp parallel num_threads(threads) reduction(+ : total)
            {
                float lanes[16] = {};
#pragma omp for schedule(static)
                for (long i = 0; i < whole; i += 16)
                    for (int k = 0; k < 16; k++) lanes[k] += x[i + k];
                for (float lane : lanes) total += lane;
            }
            for (long i = whole; i < count; i++) total += x[i];
            checksum = total;
        }
    };
    for (int i = 0; i < 3; i++) run_once();
    std::vector<double> times;
    for (int i = 0; i < repetitions; i++) {
        double start = now_millis();
        run_once();
        times.push_back(now_millis() - start);
    }
    std::sort(times.begin(), times.end());
    std::printf("{\"op\":\"%s\",\"elements\":%ld,\"threads\":%d,\"medianMillis\":%.4f,\"checksum\":%.6g}\n", op.c_str(),
                count, threads, times[times.size() / 2], checksum);
    return 0;
}
