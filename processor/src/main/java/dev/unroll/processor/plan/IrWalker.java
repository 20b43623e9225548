package dev.unroll.processor.plan;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Walks a method body depth first: every statement, then every expression in it (macro operations'
 * operands included). Subclasses override the hooks they need; the walk itself is complete by
 * construction (one visitor method per kind).
 */
public abstract class IrWalker {
    /**
     * @param body statements to walk
     */
    public final void walk(List<Stmt> body) {
        for (Stmt s : body) {
            stmt(s);
        }
    }

    /**
     * Called before a statement's parts are walked.
     *
     * @param s the statement
     */
    protected void enter(Stmt s) {}

    /**
     * Called after a statement's parts are walked.
     *
     * @param s the statement
     */
    protected void leave(Stmt s) {}

    /**
     * Called for every expression, outermost first.
     *
     * @param e the expression
     */
    protected void expr(Expr e) {}

    /**
     * Called for every macro operation.
     *
     * @param op the operation
     */
    protected void op(MacroOp op) {}

    private void stmt(Stmt s) {
        enter(s);
        s.accept(statements);
        leave(s);
    }

    private void exprs(Expr... es) {
        for (Expr e : es) {
            if (e != null) {
                e.accept(expressions);
            }
        }
    }

    private final Stmt.Visitor<Void> statements = new Stmt.Visitor<>() {
        @Override
        public Void declare(Stmt.Declare x) {
            exprs(x.init());
            return null;
        }

        @Override
        public Void assign(Stmt.Assign x) {
            exprs(x.value());
            return null;
        }

        @Override
        public Void store(Stmt.Store x) {
            exprs(x.index(), x.value());
            return null;
        }

        @Override
        public Void loop(Stmt.Loop x) {
            exprs(x.from(), x.to());
            walk(x.body());
            return null;
        }

        @Override
        public Void ifThen(Stmt.If x) {
            exprs(x.condition());
            walk(x.then());
            walk(x.otherwise());
            return null;
        }

        @Override
        public Void invoke(Stmt.Invoke x) {
            x.args().forEach(IrWalker.this::exprs);
            return null;
        }

        @Override
        public Void comment(Stmt.Comment x) {
            return null;
        }

        @Override
        public Void op(Stmt.Op x) {
            IrWalker.this.op(x.op());
            // operands: every Expr component of the operation's record
            for (RecordComponent c : x.op().getClass().getRecordComponents()) {
                if (c.getType() == Expr.class) {
                    exprs(component(c, x.op()));
                }
            }
            return null;
        }

        @Override
        public Void block(Stmt.Block x) {
            walk(x.body());
            return null;
        }
    };

    private static Expr component(RecordComponent c, MacroOp op) {
        try {
            return (Expr) c.getAccessor().invoke(op);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(c.getName(), e);
        }
    }

    private final Expr.Visitor<Void> expressions = new Expr.Visitor<>() {
        private Void visit(Expr e, Expr... children) {
            expr(e);
            exprs(children);
            return null;
        }

        @Override
        public Void intLit(Expr.IntLit e) {
            return visit(e);
        }

        @Override
        public Void longLit(Expr.LongLit e) {
            return visit(e);
        }

        @Override
        public Void realLit(Expr.RealLit e) {
            return visit(e);
        }

        @Override
        public Void name(Expr.Name e) {
            return visit(e);
        }

        @Override
        public Void load(Expr.Load e) {
            return visit(e, e.index());
        }

        @Override
        public Void bin(Expr.Bin e) {
            return visit(e, e.left(), e.right());
        }

        @Override
        public Void neg(Expr.Neg e) {
            return visit(e, e.operand());
        }

        @Override
        public Void call(Expr.Call e) {
            return visit(e, e.args().toArray(Expr[]::new));
        }

        @Override
        public Void cond(Expr.Cond e) {
            return visit(e, e.condition(), e.whenTrue(), e.whenFalse());
        }
    };
}
