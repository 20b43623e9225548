package ${package}.benchmarks;

import ${package}.SudokuModel;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmStep;
import dev.unroll.runtime.trm.TrmWeights;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Supervision steps per second on one puzzle: the generated model against the generic engine. Run:
 * {@code java -jar target/benchmarks.jar Sudoku}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2) // the generated kernels are large methods: C2 takes a few seconds to reach them
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class SudokuBenchmark {
    /** Which implementation runs. */
    @Param({"generated", "generic"})
    public String engine;

    private TrmModel model;
    private int[] puzzle;

    /** Builds the model and a puzzle. */
    @Setup
    public void setUp() {
        model = engine.equals("generated") ? SudokuModel.seeded() : new GenericTrm(TrmWeights.seeded(SudokuModel.SPEC));
        puzzle = new int[SudokuModel.SPEC.context()];
        for (int i = 0; i < puzzle.length; i++) {
            puzzle[i] = 1 + (i * 7) % 10;
        }
    }

    /** @return the step (consumed by JMH) */
    @Benchmark
    public TrmStep step() {
        return model.step(puzzle, model.initialCarry(1));
    }
}
