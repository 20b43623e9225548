// Test fixture: TornadoVM 5.2 API type (see tornado-api-stub/README.md).
package uk.ac.manchester.tornado.api;

public final class ImmutableTaskGraph {
    final TaskGraph graph;

    ImmutableTaskGraph(TaskGraph graph) {
        this.graph = graph;
    }
}
