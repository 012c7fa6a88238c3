// Task Bench with OpenMP tasks: one task per graph task, ordered by depend clauses on the output buffers
// (depend(out) on its own, depend(in) on its dependencies', through an OpenMP 5 iterator). One parallel region per
// sample; the runs inside it are separated by taskwait, as every other system runs the graph once per run. Built by
// build.sh; run by `actorflow metg --compare openmp`.
#include "taskbench_common.h"

#include <omp.h>

using namespace taskbench;

// `runs` runs of the graph in one parallel region.
static void run_graph(Graph &g, std::vector<std::vector<int64_t *>> &in, long runs) {
#pragma omp parallel num_threads(int(g.c.workers))
#pragma omp single
    for (long r = 0; r < runs; r++) {
        for (size_t i = 0; i < g.tasks.size(); i++) {
            int64_t *out = g.buffer(long(i));
            int64_t **deps = in[i].data();
            int n = int(in[i].size());
            long task = long(i);
            (void)out; // GCC 12's -Wunused-variable does not count a use in a depend clause
            (void)deps;
#pragma omp task default(shared) firstprivate(task) depend(iterator(k = 0 : n), in : deps[k][0]) depend(out : out[0])
            g.execute(task);
        }
#pragma omp taskwait
    }
}

int main(int argc, char **argv) {
    Config config = parse(argc, argv);
    Graph g(config);
    // Per task, the addresses of its inputs' buffers (what the depend clauses name).
    std::vector<std::vector<int64_t *>> in(g.tasks.size());
    for (size_t i = 0; i < g.tasks.size(); i++)
        for (long dep : g.inputs[i]) in[i].push_back(g.buffer(dep));
    return drive("openmp", "tasks", g, [&](long runs) { run_graph(g, in, runs); });
}
