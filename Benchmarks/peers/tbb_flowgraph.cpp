// Task Bench on oneTBB's flow graph: one continue_node per task, an edge from each dependency; the tasks' data
// moves through the output buffers of taskbench_common.h. A run puts one message into a broadcast node wired to
// every task without dependencies and waits for the graph. Built by build.sh; run by `actorflow metg --compare tbb`.
#include "taskbench_common.h"

#include <memory>
#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

using namespace taskbench;
namespace flow = oneapi::tbb::flow;

int main(int argc, char **argv) {
    Config config = parse(argc, argv);
    oneapi::tbb::global_control limit(oneapi::tbb::global_control::max_allowed_parallelism, size_t(config.workers));
    oneapi::tbb::task_arena arena(int(config.workers));
    int status = 0;
    arena.execute([&] {
        Graph g(config);
        flow::graph fg;
        flow::broadcast_node<flow::continue_msg> start(fg);
        std::vector<std::unique_ptr<flow::continue_node<flow::continue_msg>>> nodes;
        nodes.reserve(g.tasks.size());
        for (size_t i = 0; i < g.tasks.size(); i++) {
            long task = long(i);
            nodes.push_back(std::make_unique<flow::continue_node<flow::continue_msg>>(
                fg, [&g, task](const flow::continue_msg &) { g.execute(task); }));
            if (g.inputs[i].empty()) flow::make_edge(start, *nodes.back());
            for (long dep : g.inputs[i]) flow::make_edge(*nodes[size_t(dep)], *nodes.back());
        }
        status = drive("tbb", "flow_graph", g, [&](long runs) {
            for (long r = 0; r < runs; r++) {
                start.try_put(flow::continue_msg());
                fg.wait_for_all();
            }
        });
    });
    return status;
}
