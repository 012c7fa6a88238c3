/* Raw Open MPI ping-pong, the floor ActorFlowMPI's transport is compared with (Benchmarks/mpi/run.sh): ranks 0 and
 * 1 bounce a buffer of --bytes bytes with blocking MPI_Send/MPI_Recv; rank 0 prints the one-way time (half a round
 * trip) and the bandwidth, in the same format as `actorflow-mpi pingpong`. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long bytes = 8, iterations = 1000;
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--bytes") == 0) bytes = atol(argv[i + 1]);
        if (strcmp(argv[i], "--iterations") == 0) iterations = atol(argv[i + 1]);
    }
    if (size < 2) {
        if (rank == 0) fprintf(stderr, "raw_pingpong needs 2 ranks\n");
        MPI_Finalize();
        return 1;
    }
    char *buffer = calloc((size_t)bytes > 0 ? (size_t)bytes : 1, 1);
    double start = 0;
    if (rank < 2) {
        int peer = 1 - rank;
        for (long round = 0; round < iterations + 10; round++) {
            if (round == 10) start = MPI_Wtime();
            if (rank == 0) {
                MPI_Send(buffer, (int)bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
                MPI_Recv(buffer, (int)bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            } else {
                MPI_Recv(buffer, (int)bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Send(buffer, (int)bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
            }
        }
        if (rank == 0) {
            double oneWay = (MPI_Wtime() - start) / (double)iterations / 2;
            printf("raw-mpi pingpong bytes=%ld one_way_us=%.2f bandwidth_MBps=%.1f\n", bytes, oneWay * 1e6,
                   (double)bytes / oneWay / 1e6);
        }
    }
    free(buffer);
    MPI_Finalize();
    return 0;
}
