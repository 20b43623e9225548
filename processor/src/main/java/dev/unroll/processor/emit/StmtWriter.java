package dev.unroll.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.unroll.processor.plan.Stmt;
import java.util.List;
import java.util.stream.Collectors;

/** Writes IR statements as Java, unrolling loops the plan marks, delegating macros to a {@link Lowering}. */
final class StmtWriter {
    static final ClassName PARALLEL = ClassName.get("uk.ac.manchester.tornado.api.annotations", "Parallel");

    private final ExprWriter expr;
    private final Lowering lowering;
    private final boolean tornado;
    private boolean task;

    StmtWriter(ExprWriter expr, Lowering lowering, boolean tornado) {
        this.expr = expr;
        this.lowering = lowering;
        this.tornado = tornado;
    }

    /** @param task whether the method being written is a device task (only those get {@code @Parallel}) */
    void inTask(boolean task) {
        this.task = task;
    }

    void write(List<Stmt> body, CodeBlock.Builder code, Scope scope) {
        for (Stmt s : body) {
            write(s, code, scope);
        }
    }

    void write(Stmt s, CodeBlock.Builder code, Scope scope) {
        s.accept(new Stmt.Visitor<Void>() {
            @Override
            public Void declare(Stmt.Declare d) {
                code.addStatement("$L$L $L = $L", d.mutable() ? "" : "final ", expr.type(d.type()), d.name(), expr.write(d.init(), scope));
                return null;
            }

            @Override
            public Void assign(Stmt.Assign a) {
                code.addStatement("$L $L $L", a.name(), a.accumulate() ? "+=" : "=", expr.write(a.value(), scope));
                return null;
            }

            @Override
            public Void store(Stmt.Store st) {
                code.addStatement("$L[$L] $L $L", st.array(), expr.write(st.index(), scope), st.accumulate() ? "+=" : "=",
                        expr.write(st.value(), scope));
                return null;
            }

            @Override
            public Void loop(Stmt.Loop l) {
                StmtWriter.this.loop(l, code, scope);
                return null;
            }

            @Override
            public Void ifThen(Stmt.If f) {
                code.beginControlFlow("if ($L)", expr.write(f.condition(), scope));
                write(f.then(), code, scope);
                if (!f.otherwise().isEmpty()) {
                    code.nextControlFlow("else");
                    write(f.otherwise(), code, scope);
                }
                code.endControlFlow();
                return null;
            }

            @Override
            public Void invoke(Stmt.Invoke inv) {
                code.addStatement("$L($L)", inv.method().javaName(),
                        inv.args().stream().map(a -> expr.write(a, scope)).collect(Collectors.joining(", ")));
                return null;
            }

            @Override
            public Void comment(Stmt.Comment c) {
                code.add("// $L\n", c.text());
                return null;
            }

            @Override
            public Void op(Stmt.Op op) {
                lowering.lower(op.op(), code, scope);
                return null;
            }

            @Override
            public Void block(Stmt.Block b) {
                open(code);
                write(b.body(), code, scope);
                close(code);
                return null;
            }
        });
    }

    private void loop(Stmt.Loop l, CodeBlock.Builder code, Scope scope) {
        // the TornadoVM flavour keeps loops rolled (see KernelEmitter)
        if (l.unroll() && !tornado) {
            int to = expr.intValue(l.to(), scope, "bound of unrolled loop " + l.var());
            int from = expr.intValue(l.from(), scope, "start of unrolled loop " + l.var());
            boolean scoped = declares(l.body());
            for (int v = from; v < to; v++) {
                Scope inner = scope.with(l.var(), v);
                if (scoped) {
                    code.add("// $L = $L\n", l.var(), v);
                    open(code);
                    write(l.body(), code, inner);
                    close(code);
                } else {
                    write(l.body(), code, inner);
                }
            }
            return;
        }
        String bound = expr.write(l.to(), scope);
        String from = expr.write(l.from(), scope);
        // TornadoVM maps a @Parallel loop to an ND-range only from a constant start.
        if (tornado && task && l.parallel() && expr.constant(l.from(), scope).isPresent()) {
            code.beginControlFlow("for (@$T int $L = $L; $L < $L; $L++)", PARALLEL, l.var(), from, l.var(), bound, l.var());
        } else {
            code.beginControlFlow("for (int $L = $L; $L < $L; $L++)", l.var(), from, l.var(), bound, l.var());
        }
        write(l.body(), code, scope);
        code.endControlFlow();
    }

    static void open(CodeBlock.Builder code) {
        code.add("{\n").indent();
    }

    static void close(CodeBlock.Builder code) {
        code.unindent().add("}\n");
    }

    static boolean declares(List<Stmt> body) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Declare) {
                return true;
            }
        }
        return false;
    }
}
