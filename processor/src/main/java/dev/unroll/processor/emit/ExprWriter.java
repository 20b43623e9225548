package dev.unroll.processor.emit;

import dev.unroll.annotations.Precision;
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
        if (e instanceof Expr.Bin b && (b.op().equals("+") || b.op().equals("*") || b.op().equals("-"))) {
            OptionalLong l = constant(b.left(), scope);
            OptionalLong r = constant(b.right(), scope);
            if (l.isPresent() && r.isPresent()) {
                return OptionalLong.of(switch (b.op()) {
                    case "+" -> l.getAsLong() + r.getAsLong();
                    case "-" -> l.getAsLong() - r.getAsLong();
                    default -> l.getAsLong() * r.getAsLong();
                });
            }
        }
        return OptionalLong.empty();
    }

    int intValue(Expr e, Scope scope, String what) {
        OptionalLong v = constant(e, scope);
        if (v.isEmpty()) {
            throw new IllegalStateException(what + " must be a constant in plan " + plan.baseName() + ": " + e);
        }
        return (int) v.getAsLong();
    }

    String write(Expr e, Scope scope) {
        return write(simplify(e, scope), scope, 0);
    }

    /** Folds index arithmetic on bound loop variables and int literals (never real arithmetic). */
    private Expr simplify(Expr e, Scope scope) {
        if (e instanceof Expr.Name n && scope.value(n.name()) != null) {
            return new Expr.IntLit(scope.value(n.name()));
        }
        if (e instanceof Expr.Bin b) {
            Expr l = simplify(b.left(), scope);
            Expr r = simplify(b.right(), scope);
            if (l instanceof Expr.IntLit li && r instanceof Expr.IntLit ri) {
                switch (b.op()) {
                    case "+":
                        return new Expr.IntLit(li.value() + ri.value());
                    case "-":
                        return new Expr.IntLit(li.value() - ri.value());
                    case "*":
                        return new Expr.IntLit(li.value() * ri.value());
                    default:
                        break;
                }
            }
            if (b.op().equals("+")) {
                if (isZero(r)) {
                    return l;
                }
                if (isZero(l)) {
                    return r;
                }
            }
            if (b.op().equals("*")) {
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
            return new Expr.Bin(b.op(), l, r);
        }
        if (e instanceof Expr.Load ld) {
            return new Expr.Load(ld.array(), simplify(ld.index(), scope));
        }
        if (e instanceof Expr.Neg ng) {
            return new Expr.Neg(simplify(ng.operand(), scope));
        }
        if (e instanceof Expr.Call c) {
            return new Expr.Call(c.function(), c.args().stream().map(a -> simplify(a, scope)).toList());
        }
        if (e instanceof Expr.Cond c) {
            return new Expr.Cond(simplify(c.condition(), scope), simplify(c.whenTrue(), scope), simplify(c.whenFalse(), scope));
        }
        return e;
    }

    private static boolean isZero(Expr e) {
        return e instanceof Expr.IntLit l && l.value() == 0;
    }

    private static boolean isOne(Expr e) {
        return e instanceof Expr.IntLit l && l.value() == 1;
    }

    private static int precedence(String op) {
        return switch (op) {
            case "*", "/" -> 12;
            case "+", "-" -> 11;
            case "<<", ">>", ">>>" -> 10;
            case "<", ">", "<=", ">=" -> 9;
            case "==", "!=" -> 8;
            case "&" -> 7;
            case "|" -> 5;
            case "&&" -> 4;
            case "||" -> 3;
            default -> throw new IllegalArgumentException(op);
        };
    }

    private String write(Expr e, Scope scope, int outer) {
        if (e instanceof Expr.IntLit l) {
            return Long.toString(l.value());
        }
        if (e instanceof Expr.LongLit l) {
            return l.value() + "L";
        }
        if (e instanceof Expr.RealLit r) {
            String s = real(r.value());
            return s.startsWith("-") && outer > 0 ? "(" + s + ")" : s;
        }
        if (e instanceof Expr.Name n) {
            return n.name();
        }
        if (e instanceof Expr.Load ld) {
            return ld.array() + "[" + write(ld.index(), scope, 0) + "]";
        }
        if (e instanceof Expr.Neg ng) {
            return "-" + write(ng.operand(), scope, 13);
        }
        if (e instanceof Expr.Bin b) {
            int p = precedence(b.op());
            String s = write(b.left(), scope, p) + " " + b.op() + " " + write(b.right(), scope, p + 1);
            return p < outer ? "(" + s + ")" : s;
        }
        if (e instanceof Expr.Call c) {
            String args = c.args().stream().map(a -> write(a, scope, 0)).collect(Collectors.joining(", "));
            MathFn fn = MathFn.of(c.function());
            if (fn == null) {
                return c.function() + "(" + args + ")";
            }
            if (style == MathStyle.TORNADO) {
                return fn.javaName() + "(" + args + ")";
            }
            boolean cast = f32 && (fn == MathFn.EXP || fn == MathFn.LOG || fn == MathFn.SQRT || fn == MathFn.TANH);
            String call = "Math." + fn.javaName() + "(" + args + ")";
            return cast ? (outer > 13 ? "((float) " + call + ")" : "(float) " + call) : call;
        }
        if (e instanceof Expr.Cond c) {
            String s = write(c.condition(), scope, 3) + " ? " + write(c.whenTrue(), scope, 3) + " : " + write(c.whenFalse(), scope, 3);
            return outer > 0 ? "(" + s + ")" : s;
        }
        throw new IllegalArgumentException(e.toString());
    }

    /** A maths call on a real argument written as text, in this writer's style. */
    String math(MathFn fn, String arg) {
        if (style == MathStyle.TORNADO) {
            return fn.javaName() + "(" + arg + ")";
        }
        return f32 ? "(float) Math." + fn.javaName() + "(" + arg + ")" : "Math." + fn.javaName() + "(" + arg + ")";
    }
}
