// The lttng-ust types the actorflow provider's public header needs (the tracepoint struct and its enabled flag).
#include <lttng/tracepoint-types.h>
