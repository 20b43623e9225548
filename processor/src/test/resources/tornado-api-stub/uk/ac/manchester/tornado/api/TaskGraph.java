// Test fixture: TornadoVM 5.2 API signatures (see tornado-api-stub/README.md); records tasks to run in order.
package uk.ac.manchester.tornado.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task2;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task4;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task7;

public class TaskGraph {
    final String name;
    final List<Runnable> tasks = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();

    public TaskGraph(String name) {
        this.name = name;
    }

    private TaskGraph add(String id, Runnable r) {
        if (!ids.add(id)) {
            throw new IllegalArgumentException("duplicate task " + id);
        }
        tasks.add(r);
        log.add("task " + name + "." + id);
        return this;
    }

    public <T1, T2> TaskGraph task(String id, Task2<T1, T2> code, T1 a1, T2 a2) {
        return add(id, () -> code.apply(a1, a2));
    }

    public <T1, T2, T3, T4> TaskGraph task(String id, Task4<T1, T2, T3, T4> code, T1 a1, T2 a2, T3 a3, T4 a4) {
        return add(id, () -> code.apply(a1, a2, a3, a4));
    }

    public <T1, T2, T3, T4, T5, T6, T7> TaskGraph task(String id, Task7<T1, T2, T3, T4, T5, T6, T7> code, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6,
            T7 a7) {
        return add(id, () -> code.apply(a1, a2, a3, a4, a5, a6, a7));
    }

    public TaskGraph transferToDevice(int mode, Object... objects) {
        log.add("toDevice mode=" + mode + " n=" + objects.length);
        return this;
    }

    public TaskGraph transferToHost(int mode, Object... objects) {
        log.add("toHost mode=" + mode + " n=" + objects.length);
        return this;
    }

    public TaskGraph persistOnDevice(Object... objects) {
        log.add("persist n=" + objects.length);
        return this;
    }

    public TaskGraph consumeFromDevice(String uniqueTaskGraphName, Object... objects) {
        log.add("consume " + uniqueTaskGraphName + " n=" + objects.length);
        return this;
    }

    public ImmutableTaskGraph snapshot() {
        return new ImmutableTaskGraph(this);
    }

    public String getTaskGraphName() {
        return name;
    }
}
