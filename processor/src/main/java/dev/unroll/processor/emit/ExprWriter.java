package dev.unroll.processor.emit;

import dev.unroll.annotations.Precision;
import dev.unroll.processor.plan.BinOp;
import dev.unroll.processor.plan.Constant;
import dev.unroll.processor.plan.Expr;
import dev.unroll.processor.plan.KernelPlan;
import dev.unroll.processor.plan.MathFn;
import dev.unroll.processor.plan.Type;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Renders IR expressions as Java source in a plan's precision. Integer index arithmetic on
 * literals and unrolled loop variables is folded; real arithmetic is written exactly as planned,
 * operand order and parentheses included, because floating-point results depend on them.
 */
final class ExprWriter {
    /** How maths functions are spelled. */
    enum MathStyle {
        /** {@code (float) Math.exp(x)} or {@code Math.exp(x)}. */
        JAVA,
        /**
         * {@code exp(x)} through {@code import static ...TornadoMath.*}: float builtins on the device,
         * the same bits on the JVM.
         */
        TORNADO
    }

    static final String TORNADO_MATH = "uk.ac.manchester.tornado.api.math.TornadoMath";

    private final KernelPlan plan;
    private final boolean f32;
    private final MathStyle style;
    private final Map<String, Constant> constants;

    ExprWriter(KernelPlan plan, MathStyle style) {
        this.plan = plan;
        this.f32 = plan.precision() == Precision.F32;
        this.style = style;
        this.constants = plan.constants().stream().collect(Collectors.toMap(Constant::name, c -> c));
    }

    String realType() {
        return f32 ? "float" : "double";
    }

    String type(Type t) {
        return switch (t) {
            case REAL -> realType();
            case INT -> "int";
            case LONG -> "long";
            case BOOLEAN -> "boolean";
            case REAL_ARRAY -> realType() + "[]";
            case INT_ARRAY -> "int[]";
            case LONG_ARRAY -> "long[]";
            case BYTE_ARRAY -> "byte[]";
        };
    }

    String real(double v) {
        if (Double.isInfinite(v)) {
            return (f32 ? "Float" : "Double") + (v > 0 ? ".POSITIVE_INFINITY" : ".NEGATIVE_INFINITY");
        }
        if (Double.isNaN(v)) {
            return f32 ? "Float.NaN" : "Double.NaN";
        }
        if (f32) {
            float f = (float) v;
            return Float.toString(f) + "f";
        }
        return Double.toString(v);
    }

    /** The value of an int expression made of literals, int constants and bound loop variables. */
    OptionalLong constant(Expr e, Scope scope) {
        if (e instanceof Expr.IntLit l) {
            return OptionalLong.of(l.value());
        }
        if (e instanceof Expr.Name n) {
            Long b = scope.value(n.name());
            if (b != null) {
                return OptionalLong.of(b);
            }
            Constant c = constants.get(n.name());
            if (c != null && c.type() == Type.INT) {
                return OptionalLong.of((long) c.value());
            }
            return OptionalLong.empty();
        }
        if (e instanceof Expr.Bin b && (b.op() == BinOp.ADD || b.op() == BinOp.MUL || b.op() == BinOp.SUB)) {
            OptionalLong l = constant(b.left(), scope);
            OptionalLong r = constant(b.right(), scope);
            if (l.isPresent() && r.isPresent()) {
                return OptionalLong.of(fold(b.op(), l.getAsLong(), r.getAsLong()));
            }
        }
        return OptionalLong.empty();
    }

    private static long fold(BinOp op, long l, long r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            default -> throw new IllegalArgumentException(op.name());
        };
    }

    /**
     * @param value an int the code needs
     * @param names constants that may hold it, preferred first
     * @return the first of them that is an int constant of that value, else the literal
     */
    String named(int value, String... names) {
        for (String n : names) {
            Constant c = constants.get(n);
            if (c != null && c.type() == Type.INT && (int) c.value() == value) {
                return n;
            }
        }
        return Integer.toString(value);
    }

    int intValue(Expr e, Scope scope, String what) {
        OptionalLong v = constant(e, scope);
        if (v.isEmpty()) {
            throw new IllegalStateException(what + " must be a constant in plan " + plan.baseName() + ": " + e);
        }
        return (int) v.getAsLong();
    }

    String write(Expr e, Scope scope) {
        return write(simplify(e, scope), 0);
    }

    /** Folds index arithmetic on bound loop variables and int literals (never real arithmetic). */
    private Expr simplify(Expr e, Scope scope) {
        return e.accept(new Expr.Visitor<Expr>() {
            @Override
            public Expr intLit(Expr.IntLit x) {
                return x;
            }

            @Override
            public Expr longLit(Expr.LongLit x) {
                return x;
            }

            @Override
            public Expr realLit(Expr.RealLit x) {
                return x;
            }

            @Override
            public Expr name(Expr.Name x) {
                Long bound = scope.value(x.name());
                return bound != null ? new Expr.IntLit(bound) : x;
            }

            @Override
            public Expr load(Expr.Load x) {
                return new Expr.Load(x.array(), simplify(x.index(), scope));
            }

            @Override
            public Expr bin(Expr.Bin x) {
                return simplifyBin(x.op(), simplify(x.left(), scope), simplify(x.right(), scope));
            }

            @Override
            public Expr neg(Expr.Neg x) {
                return new Expr.Neg(simplify(x.operand(), scope));
            }

            @Override
            public Expr call(Expr.Call x) {
                return new Expr.Call(x.function(), x.args().stream().map(a -> simplify(a, scope)).toList());
            }

            @Override
            public Expr cond(Expr.Cond x) {
                return new Expr.Cond(simplify(x.condition(), scope), simplify(x.whenTrue(), scope), simplify(x.whenFalse(), scope));
            }
        });
    }

    private static Expr simplifyBin(BinOp op, Expr l, Expr r) {
        boolean foldable = op == BinOp.ADD || op == BinOp.SUB || op == BinOp.MUL;
        if (foldable && l instanceof Expr.IntLit li && r instanceof Expr.IntLit ri) {
            return new Expr.IntLit(fold(op, li.value(), ri.value()));
        }
        if (op == BinOp.ADD) {
            if (isZero(r)) {
                return l;
            }
            if (isZero(l)) {
                return r;
            }
        }
        if (op == BinOp.MUL) {
            if (isZero(l) || isZero(r)) {
                return new Expr.IntLit(0);
            }
            if (isOne(l)) {
                return r;
            }
            if (isOne(r)) {
                return l;
            }
        }
        return new Expr.Bin(op, l, r);
    }

    private static boolean isZero(Expr e) {
        return e instanceof Expr.IntLit l && l.value() == 0;
    }

    private static boolean isOne(Expr e) {
        return e instanceof Expr.IntLit l && l.value() == 1;
    }

    /** Writes {@code e} inside an operator of precedence {@code outer} (0: none), with the parentheses that needs. */
    private String write(Expr e, int outer) {
        return e.accept(new Expr.Visitor<String>() {
            @Override
            public String intLit(Expr.IntLit x) {
                return Long.toString(x.value());
            }

            @Override
            public String longLit(Expr.LongLit x) {
                return x.value() + "L";
            }

            @Override
            public String realLit(Expr.RealLit x) {
                String s = real(x.value());
                return s.startsWith("-") && outer > 0 ? "(" + s + ")" : s;
            }

            @Override
            public String name(Expr.Name x) {
                return x.name();
            }

            @Override
            public String load(Expr.Load x) {
                return x.array() + "[" + write(x.index(), 0) + "]";
            }

            @Override
            public String bin(Expr.Bin x) {
                int p = x.op().precedence();
                String s = write(x.left(), p) + " " + x.op().symbol() + " " + write(x.right(), p + 1);
                return p < outer ? "(" + s + ")" : s;
            }

            @Override
            public String neg(Expr.Neg x) {
                return "-" + write(x.operand(), 13);
            }

            @Override
            public String call(Expr.Call x) {
                String args = x.args().stream().map(a -> write(a, 0)).collect(Collectors.joining(", "));
                if (!(x.function() instanceof MathFn fn) || style == MathStyle.TORNADO) {
                    return x.function().javaName() + "(" + args + ")";
                }
                boolean cast = f32 && (fn == MathFn.EXP || fn == MathFn.LOG || fn == MathFn.SQRT || fn == MathFn.TANH);
                String call = "Math." + fn.javaName() + "(" + args + ")";
                return cast ? (outer > 13 ? "((float) " + call + ")" : "(float) " + call) : call;
            }

            @Override
            public String cond(Expr.Cond x) {
                String s = write(x.condition(), 3) + " ? " + write(x.whenTrue(), 3) + " : " + write(x.whenFalse(), 3);
                return outer > 0 ? "(" + s + ")" : s;
            }
        });
    }

    /** A maths call on a real argument written as text, in this writer's style. */
    String math(MathFn fn, String arg) {
        if (style == MathStyle.TORNADO) {
            return fn.javaName() + "(" + arg + ")";
        }
        return f32 ? "(float) Math." + fn.javaName() + "(" + arg + ")" : "Math." + fn.javaName() + "(" + arg + ")";
    }
}
