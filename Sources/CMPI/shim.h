// The MPI C API as ActorFlowMPI uses it: Open MPI's handles are macros over global objects, which Swift cannot
// import, so each one the Swift side needs is a static inline function here. Every call of MPI from Swift goes
// through Sources/ActorFlowMPI/_UnsafeMPICalls.swift.
#ifndef ACTORFLOW_CMPI_SHIM_H
#define ACTORFLOW_CMPI_SHIM_H

#include <mpi.h>

static inline MPI_Comm cmpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype cmpi_byte(void) { return MPI_BYTE; }
static inline MPI_Errhandler cmpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline MPI_Request cmpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Message cmpi_message_null(void) { return MPI_MESSAGE_NULL; }
static inline int cmpi_thread_multiple(void) { return MPI_THREAD_MULTIPLE; }
static inline int cmpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
static inline int cmpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }

/// The largest tag this MPI accepts (at least 32767).
static inline int cmpi_tag_upper_bound(void) {
    int *value = 0;
    int found = 0;
    if (MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &value, &found) != MPI_SUCCESS || !found || !value) return 32767;
    return *value;
}

#endif
