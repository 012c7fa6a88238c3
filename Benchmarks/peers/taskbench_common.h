// Task Bench's task graphs, kernels and validation for ActorFlow's C++ peers (oneTBB flow_graph, OpenMP tasks).
//
// The same definitions as Sources/ActorFlowWorkloads/TaskBench/ (TaskBenchPattern.swift, TaskBenchKernel.swift,
// TaskBenchValidation.swift), written a second time in C++ so that `actorflow metg --compare tbb,openmp` times the
// same graphs under other runtimes. Keep the two in step: the seeded choices of random_nearest and load_imbalance
// use the same hash on both sides.
//
// Each peer program runs one configuration and prints one JSON line on stdout:
//   {"system": "tbb", "policy": "flow_graph", "pattern": "stencil_1d", "width": 2, "steps": 1000,
//    "kernel": "compute_bound", "iterations": 64, "workers": 2, "elapsedNanos": 1.2e7, "tasks": 40000,
//    "work": 3.3e8, "validated": true}
// It repeats the graph until one sample lasts --min-ms, takes --samples samples and reports the fastest. A task
// that receives a wrong input, or a task that ran a wrong number of times, makes it print "validated": false with
// an "error" naming the task, and exit with status 2. Bad arguments: one line on stderr, status 1.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace taskbench {

enum class Pattern { trivial, no_comm, stencil_1d, stencil_1d_periodic, dom, tree, fft, all_to_all, nearest, spread, random_nearest };
enum class Kernel { empty, busy_wait, compute_bound, memory_bound, load_imbalance };

static const char *pattern_names[] = {"trivial", "no_comm", "stencil_1d", "stencil_1d_periodic", "dom", "tree",
                                      "fft", "all_to_all", "nearest", "spread", "random_nearest"};
static const char *kernel_names[] = {"empty", "busy_wait", "compute_bound", "memory_bound", "load_imbalance"};

struct Config {
    Pattern pattern = Pattern::stencil_1d;
    Kernel kernel = Kernel::compute_bound;
    long width = 2, steps = 1000, radix = 3, period = 3, iterations = 0, workers = 1;
    double fraction = 0.25, imbalance = 1.0, min_ms = 30;
    long samples = 3, output_bytes = 16, scratch_bytes = 64 * 1024, mem_samples = 16;
    uint64_t seed = 42;
};

[[noreturn]] inline void usage_error(const std::string &message) {
    fprintf(stderr, "error: %s\n", message.c_str());
    exit(1);
}

inline uint64_t mix(uint64_t h, uint64_t v) {
    h = (h ^ v) * UINT64_C(0xBF58476D1CE4E5B9);
    h ^= h >> 31;
    h = h * UINT64_C(0x94D049BB133111EB);
    h ^= h >> 29;
    return h;
}

inline double uniform(uint64_t h) { return double(h >> 11) / double(UINT64_C(1) << 53); }

// The columns active at `step` as [first, first + count).
inline std::pair<long, long> active(const Config &c, long step) {
    if (step < 0 || step >= c.steps) return {0, 0};
    if (c.pattern == Pattern::dom) {
        long offset = std::max(0L, step + c.width - c.steps);
        return {offset, std::min({c.width, step + 1, c.steps - step})};
    }
    if (c.pattern == Pattern::tree) return {0, step >= 62 ? c.width : std::min(c.width, 1L << step)};
    return {0, c.width};
}

inline long fft_sets(long width) {
    long sets = 0;
    while ((1L << sets) < width) sets++;
    return std::max(1L, sets);
}

// The columns of step - 1 that task (step, p) depends on: ascending, unique, active at step - 1.
inline std::vector<long> dependencies(const Config &c, long step, long p) {
    auto here = active(c, step);
    if (step <= 0 || p < here.first || p >= here.first + here.second) return {};
    auto prev = active(c, step - 1);
    long w = c.width, r = c.radix;
    std::vector<long> cand;
    switch (c.pattern) {
    case Pattern::trivial: break;
    case Pattern::no_comm: cand = {p}; break;
    case Pattern::stencil_1d:
    case Pattern::stencil_1d_periodic:
        for (long d = std::max(0L, p - 1); d <= std::min(p + 1, w - 1); d++) cand.push_back(d);
        if (c.pattern == Pattern::stencil_1d_periodic) {
            if (p - 1 < 0) cand.push_back(w - 1);
            if (p + 1 >= w) cand.push_back(0);
        }
        break;
    case Pattern::dom: cand = {std::max(0L, p - 1), p}; break;
    case Pattern::tree: cand = {p / 2}; break;
    case Pattern::fft: {
        long stride = 1L << ((step - 1) % fft_sets(w));
        for (long d : {p - stride, p, p + stride})
            if (d >= 0 && d < w) cand.push_back(d);
        break;
    }
    case Pattern::all_to_all:
        for (long d = 0; d < w; d++) cand.push_back(d);
        break;
    case Pattern::nearest:
        if (r > 0)
            for (long d = std::max(0L, p - r / 2); d <= std::min(p + (r - 1) / 2, w - 1); d++) cand.push_back(d);
        break;
    case Pattern::spread: {
        long set = step % c.period;
        for (long i = 0; i < r; i++) cand.push_back((p + i * w / r + (i > 0 ? set : 0)) % w);
        break;
    }
    case Pattern::random_nearest: {
        if (r <= 0) break;
        long set = step % c.period;
        for (long d = std::max(0L, p - r / 2); d <= std::min(p + (r - 1) / 2, w - 1); d++) {
            uint64_t h = c.seed ^ UINT64_C(0x9E3779B97F4A7C15);
            for (uint64_t v : {uint64_t(r), uint64_t(set), uint64_t(p), uint64_t(d)}) h = mix(h, v);
            if (d == p || uniform(h) < c.fraction) cand.push_back(d);
        }
        break;
    }
    }
    std::set<long> unique;
    for (long d : cand)
        if (d >= prev.first && d < prev.first + prev.second) unique.insert(d);
    return std::vector<long>(unique.begin(), unique.end());
}

inline long task_iterations(const Config &c, long step, long column) {
    if (c.kernel != Kernel::load_imbalance) return c.iterations;
    uint64_t h = c.seed ^ (uint64_t(step) * UINT64_C(0x9E3779B97F4A7C15));
    h = (h ^ uint64_t(column)) * UINT64_C(0xBF58476D1CE4E5B9);
    h ^= h >> 31;
    h = h * UINT64_C(0x94D049BB133111EB);
    h ^= h >> 29;
    return long(std::round(double(c.iterations) * (1 + c.imbalance * (uniform(h) - 0.5))));
}

inline double task_work(const Config &c, long step, long column) {
    double n = double(task_iterations(c, step, column));
    switch (c.kernel) {
    case Kernel::empty: return 1;
    case Kernel::busy_wait: return n;
    case Kernel::compute_bound:
    case Kernel::load_imbalance: return 2 * 64 * n + 64;
    case Kernel::memory_bound: return double(c.scratch_bytes / c.mem_samples) * n;
    }
    return 0;
}

__attribute__((noinline)) inline long long busy_wait(long iterations) {
    long long acc = 113;
    for (long i = 0; i < iterations; i++) acc = acc * 139 % 2147483647;
    return acc;
}

__attribute__((noinline)) inline double compute_bound(long iterations) {
    double a[64];
    for (int i = 0; i < 64; i++) a[i] = 1.0 + (i % 8);
    const double m = 0.999999, k = 1e-6;
    for (long it = 0; it < iterations; it++)
        for (int i = 0; i < 64; i++) a[i] = a[i] * m + k;
    double sum = 0;
    for (int i = 0; i < 64; i++) sum += a[i];
    return sum;
}

__attribute__((noinline)) inline uint64_t memory_bound(long iterations, uint64_t *scratch, long words, long samples,
                                                       long step) {
    long slice = words / samples;
    for (long i = 0; i < iterations; i++) {
        long start = ((step + i) % samples) * slice;
        for (long w = start; w < start + slice; w++) scratch[w] += 1;
    }
    return scratch[0];
}

// The graph's tasks, their inputs and output buffers, the firing counts and the first validation failure: what
// both peers share. Buffers hold (step, column) pairs, as Task Bench's do.
struct Graph {
    Config c;
    long words;
    std::vector<std::pair<long, long>> tasks;          // (step, column), in step order
    std::vector<std::vector<long>> inputs;             // per task: indices of the tasks it reads
    std::vector<long> index_of;                        // step * width + column -> task index (-1: inactive)
    std::vector<int64_t> buffers;                      // tasks × words
    std::vector<std::vector<uint64_t>> scratch;        // memory_bound only
    std::vector<long> firings;
    std::atomic<bool> failed{false};
    std::string failure;

    explicit Graph(const Config &config) : c(config), words(std::max(2L, config.output_bytes / 16 * 2)) {
        index_of.assign(size_t(c.steps * c.width), -1);
        for (long t = 0; t < c.steps; t++) {
            auto a = active(c, t);
            for (long p = a.first; p < a.first + a.second; p++) {
                index_of[size_t(t * c.width + p)] = long(tasks.size());
                tasks.push_back({t, p});
                std::vector<long> in;
                for (long d : dependencies(c, t, p)) in.push_back(index_of[size_t((t - 1) * c.width + d)]);
                inputs.push_back(in);
            }
        }
        buffers.assign(tasks.size() * size_t(words), -1);
        firings.assign(tasks.size(), 0);
        if (c.kernel == Kernel::memory_bound)
            scratch.assign(tasks.size(), std::vector<uint64_t>(size_t(c.scratch_bytes / 8), 0));
    }

    int64_t *buffer(long task) { return &buffers[size_t(task) * size_t(words)]; }

    void fail(const std::string &message) {
        bool expected = false;
        if (failed.compare_exchange_strong(expected, true)) failure = message;
    }

    // Checks the inputs, runs the kernel, writes the output: the body of every task of every peer.
    void execute(long task) {
        long t = tasks[size_t(task)].first, p = tasks[size_t(task)].second;
        const auto &in = inputs[size_t(task)];
        for (size_t i = 0; i < in.size(); i++) {
            const int64_t *b = buffer(in[i]);
            long expected_column = tasks[size_t(in[i])].second;
            for (long k = 0; k < words; k += 2) {
                if (b[k] != t - 1 || b[k + 1] != expected_column) {
                    fail("task (step " + std::to_string(t) + ", column " + std::to_string(p) + "): input " +
                         std::to_string(i) + " should be the output of (step " + std::to_string(t - 1) + ", column " +
                         std::to_string(expected_column) + "), got (step " + std::to_string(b[k]) + ", column " +
                         std::to_string(b[k + 1]) + ")");
                    break;
                }
            }
        }
        firings[size_t(task)]++;
        long n = task_iterations(c, t, p);
        switch (c.kernel) {
        case Kernel::empty: break;
        case Kernel::busy_wait:
            if (busy_wait(n) < 0) fail("busy_wait produced an impossible value");
            break;
        case Kernel::compute_bound:
        case Kernel::load_imbalance:
            if (std::isnan(compute_bound(n))) fail("compute_bound produced NaN");
            break;
        case Kernel::memory_bound: {
            auto &s = scratch[size_t(task)];
            memory_bound(n, s.data(), long(s.size()), c.mem_samples, t);
            break;
        }
        }
        int64_t *out = buffer(task);
        for (long k = 0; k < words; k += 2) {
            out[k] = t;
            out[k + 1] = p;
        }
    }

    double work_per_run() const {
        double w = 0;
        for (auto &t : tasks) w += task_work(c, t.first, t.second);
        return w;
    }

    bool verify_firings(long runs) {
        for (size_t i = 0; i < tasks.size(); i++)
            if (firings[i] != runs) {
                fail("task (step " + std::to_string(tasks[i].first) + ", column " + std::to_string(tasks[i].second) +
                     "): ran " + std::to_string(firings[i]) + " times in " + std::to_string(runs) + " runs");
                return false;
            }
        return true;
    }
};

inline Config parse(int argc, char **argv) {
    Config c;
    for (int i = 1; i < argc; i++) {
        std::string flag = argv[i];
        if (i + 1 >= argc) usage_error(flag + " needs a value");
        std::string v = argv[++i];
        auto number = [&](long min) {
            char *end = nullptr;
            long x = strtol(v.c_str(), &end, 10);
            if (*end != '\0' || x < min) usage_error(flag + " " + v + ": expected an integer >= " + std::to_string(min));
            return x;
        };
        if (flag == "--pattern") {
            auto it = std::find_if(std::begin(pattern_names), std::end(pattern_names), [&](const char *n) { return v == n; });
            if (it == std::end(pattern_names)) usage_error("unknown pattern '" + v + "'");
            c.pattern = Pattern(it - std::begin(pattern_names));
        } else if (flag == "--kernel") {
            auto it = std::find_if(std::begin(kernel_names), std::end(kernel_names), [&](const char *n) { return v == n; });
            if (it == std::end(kernel_names)) usage_error("unknown kernel '" + v + "'");
            c.kernel = Kernel(it - std::begin(kernel_names));
        } else if (flag == "--width") c.width = number(1);
        else if (flag == "--steps") c.steps = number(1);
        else if (flag == "--radix") c.radix = number(0);
        else if (flag == "--period") c.period = number(1);
        else if (flag == "--iterations") c.iterations = number(0);
        else if (flag == "--workers") c.workers = number(1);
        else if (flag == "--samples") c.samples = number(1);
        else if (flag == "--output-bytes") c.output_bytes = number(16);
        else if (flag == "--scratch-bytes") c.scratch_bytes = number(8);
        else if (flag == "--seed") c.seed = uint64_t(number(0));
        else if (flag == "--min-ms") c.min_ms = atof(v.c_str());
        else if (flag == "--fraction") c.fraction = atof(v.c_str());
        else if (flag == "--imbalance") c.imbalance = atof(v.c_str());
        else usage_error("unknown flag " + flag);
    }
    // The same normalisation as TaskBenchKernel.init.
    c.scratch_bytes = std::max(c.mem_samples * 8, c.scratch_bytes / (8 * c.mem_samples) * 8 * c.mem_samples);
    c.imbalance = std::min(std::max(c.imbalance, 0.0), 2.0);
    return c;
}

// Calibrates, samples and prints the JSON line. `run(n)` runs the whole graph n times, one after another.
inline int drive(const char *system, const char *policy, Graph &g, const std::function<void(long)> &run) {
    using clock = std::chrono::steady_clock;
    auto timed = [&](long runs) {
        auto start = clock::now();
        run(runs);
        return double(std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - start).count());
    };
    long total_runs = 1;
    double calibration = timed(1);
    long runs = std::max(1L, long(std::ceil(g.c.min_ms * 1e6 / std::max(calibration, 1.0))));
    double fastest = 1e300;
    for (long s = 0; s < g.c.samples && !g.failed; s++) {
        fastest = std::min(fastest, timed(runs));
        total_runs += runs;
    }
    bool ok = !g.failed && g.verify_firings(total_runs);
    printf("{\"system\": \"%s\", \"policy\": \"%s\", \"pattern\": \"%s\", \"width\": %ld, \"steps\": %ld, "
           "\"kernel\": \"%s\", \"iterations\": %ld, \"workers\": %ld, \"elapsedNanos\": %.1f, \"tasks\": %ld, "
           "\"work\": %.6e, \"validated\": %s",
           system, policy, pattern_names[int(g.c.pattern)], g.c.width, g.c.steps, kernel_names[int(g.c.kernel)],
           g.c.iterations, g.c.workers, fastest, runs * long(g.tasks.size()), double(runs) * g.work_per_run(),
           ok ? "true" : "false");
    if (!ok) printf(", \"error\": \"%s\"", g.failure.c_str());
    printf("}\n");
    return ok ? 0 : 2;
}

} // namespace taskbench
