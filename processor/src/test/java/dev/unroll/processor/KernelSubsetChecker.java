package dev.unroll.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssertTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;

/**
 * Checks a generated scalar kernel class against the subset TornadoVM compiles
 * ({@code $UNROLL_SHARED/specs/tornadovm.md}, sections 2 and 8), on its syntax tree:
 * <ul>
 *   <li>a final class of static methods, with only {@code static final} primitive constants as fields;
 *   <li>parameters are primitives or primitive arrays, at most 20 (TornadoVM's task limit);
 *   <li>no object allocation ({@code new float[CONSTANT]} scratch only), no throw, try, assert,
 *       synchronized, lambda, method reference, string, or while/do/for-each loop;
 *   <li>calls only to this class's own methods, without recursion, and to the maths functions
 *       ({@code Math.*} or statically imported {@code TornadoMath}) the kernels use;
 *   <li>counted loops {@code for (int i = start; i < bound; i++ | i += step)} with a constant step, and a bound
 *       that is a literal, a class constant, an int parameter or a final local;
 *   <li>structured loops: no {@code return}, {@code break} or {@code continue} inside a loop (TornadoVM 5.2
 *       compiles an early return from a loop of an inlined method as a break and then runs the code after
 *       the loop: LogLinear's level counter gave wrong outputs on the device that way);
 *   <li>{@code @Parallel} loops start at 0, form one perfectly nested nest per method, at most three deep,
 *       and never sit inside a sequential loop.
 * </ul>
 */
final class KernelSubsetChecker {
    static final Set<String> MATHS = Set.of("exp", "log", "sqrt", "tanh", "max", "min", "abs");
    static final int MAX_PARAMS = 20;

    private KernelSubsetChecker() {}

    /** @return the violations in one source file, each as {@code Class.method: problem} */
    static List<String> check(JavaFileObject source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavacTask task = (JavacTask) javac.getTask(null, null, null, List.of("-proc:none"), null, List.of(source));
        List<String> problems = new ArrayList<>();
        try {
            for (CompilationUnitTree unit : task.parse()) {
                for (Tree t : unit.getTypeDecls()) {
                    checkClass((ClassTree) t, problems);
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return problems;
    }

    private static void checkClass(ClassTree c, List<String> problems) {
        String cls = c.getSimpleName().toString();
        if (!c.getModifiers().getFlags().contains(Modifier.FINAL)) {
            problems.add(cls + ": class is not final");
        }
        Set<String> methods = new HashSet<>();
        Set<String> constants = new HashSet<>();
        for (Tree m : c.getMembers()) {
            if (m instanceof MethodTree mt) {
                methods.add(mt.getName().toString());
            } else if (m instanceof VariableTree v) {
                Set<Modifier> f = v.getModifiers().getFlags();
                if (!f.contains(Modifier.STATIC) || !f.contains(Modifier.FINAL) || !(v.getType() instanceof PrimitiveTypeTree)) {
                    problems.add(cls + "." + v.getName() + ": fields must be static final primitives");
                }
                constants.add(v.getName().toString());
            } else {
                problems.add(cls + ": nested type " + m.getKind());
            }
        }
        Map<String, Set<String>> calls = new HashMap<>();
        for (Tree m : c.getMembers()) {
            if (m instanceof MethodTree mt && !mt.getName().contentEquals("<init>")) {
                String where = cls + "." + mt.getName();
                if (!mt.getModifiers().getFlags().contains(Modifier.STATIC)) {
                    problems.add(where + ": not static");
                }
                if (mt.getParameters().size() > MAX_PARAMS) {
                    problems.add(where + ": " + mt.getParameters().size() + " parameters (TornadoVM tasks take at most " + MAX_PARAMS + ")");
                }
                Set<String> intParams = new HashSet<>();
                for (VariableTree p : mt.getParameters()) {
                    String type = p.getType().toString();
                    if (!type.matches("(float|double|int|long|boolean)(\\[\\])?|byte\\[\\]")) {
                        problems.add(where + ": parameter " + p.getName() + " of type " + type);
                    }
                    if (type.equals("int")) {
                        intParams.add(p.getName().toString());
                    }
                }
                BodyScanner body = new BodyScanner(where, methods, constants, intParams, problems);
                body.scan(mt.getBody(), null);
                calls.put(mt.getName().toString(), body.callees);
            }
        }
        for (String m : calls.keySet()) {
            if (reaches(m, m, calls, new HashSet<>())) {
                problems.add(cls + "." + m + ": recursive");
            }
        }
    }

    private static boolean reaches(String from, String target, Map<String, Set<String>> calls, Set<String> seen) {
        for (String callee : calls.getOrDefault(from, Set.of())) {
            if (callee.equals(target)) {
                return true;
            }
            if (seen.add(callee) && reaches(callee, target, calls, seen)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isParallel(ForLoopTree loop) {
        if (loop.getInitializer().size() != 1 || !(loop.getInitializer().get(0) instanceof VariableTree v)) {
            return false;
        }
        ModifiersTree mods = v.getModifiers();
        for (AnnotationTree a : mods.getAnnotations()) {
            if (a.getAnnotationType().toString().endsWith("Parallel")) {
                return true;
            }
        }
        // a type annotation on the variable's type
        return v.getType().toString().contains("@Parallel");
    }

    /** Checks one method body. */
    private static final class BodyScanner extends TreeScanner<Void, Void> {
        final String where;
        final Set<String> methods;
        final Set<String> constants;
        final Set<String> intParams;
        final Set<String> finalLocals = new HashSet<>();
        final List<String> problems;
        final Set<String> callees = new HashSet<>();
        int sequentialDepth;
        int parallelDepth;
        int parallelNests;

        BodyScanner(String where, Set<String> methods, Set<String> constants, Set<String> intParams, List<String> problems) {
            this.where = where;
            this.methods = methods;
            this.constants = constants;
            this.intParams = intParams;
            this.problems = problems;
        }

        private void bad(String what) {
            problems.add(where + ": " + what);
        }

        @Override
        public Void visitVariable(VariableTree v, Void p) {
            if (v.getModifiers().getFlags().contains(Modifier.FINAL)) {
                finalLocals.add(v.getName().toString());
            }
            return super.visitVariable(v, p);
        }

        @Override
        public Void visitForLoop(ForLoopTree loop, Void p) {
            checkCounted(loop);
            boolean parallel = isParallel(loop);
            if (parallel) {
                if (sequentialDepth > 0) {
                    bad("@Parallel loop inside a sequential loop");
                }
                if (parallelDepth == 0 && ++parallelNests > 1) {
                    bad("two @Parallel nests in one method (TornadoVM maps one nest per task)");
                }
                VariableTree v = (VariableTree) loop.getInitializer().get(0);
                if (!(v.getInitializer() instanceof LiteralTree l && Integer.valueOf(0).equals(l.getValue()))) {
                    bad("@Parallel loop " + v.getName() + " does not start at 0");
                }
                if (parallelDepth > 0 && !perfectlyNestedIn(loop)) {
                    bad("@Parallel loop " + v.getName() + " is not perfectly nested");
                }
                parallelDepth++;
                if (parallelDepth > 3) {
                    bad("@Parallel nest deeper than 3");
                }
                ForLoopTree outer = enclosingParallel;
                enclosingParallel = loop;
                super.visitForLoop(loop, p);
                enclosingParallel = outer;
                parallelDepth--;
            } else {
                sequentialDepth++;
                ForLoopTree outer = enclosingParallel;
                enclosingParallel = null;
                super.visitForLoop(loop, p);
                enclosingParallel = outer;
                sequentialDepth--;
            }
            return null;
        }

        private ForLoopTree enclosingParallel;

        private boolean perfectlyNestedIn(ForLoopTree inner) {
            return enclosingParallel == null || body(enclosingParallel).size() == 1 && body(enclosingParallel).get(0) == inner;
        }

        private static List<? extends StatementTree> body(ForLoopTree loop) {
            return loop.getStatement() instanceof com.sun.source.tree.BlockTree b ? b.getStatements() : List.of(loop.getStatement());
        }

        private void checkCounted(ForLoopTree loop) {
            String var = null;
            if (loop.getInitializer().size() == 1 && loop.getInitializer().get(0) instanceof VariableTree v && v.getType().toString().endsWith("int")) {
                var = v.getName().toString();
            } else {
                bad("for loop without a single int induction variable");
                return;
            }
            if (!(loop.getCondition() instanceof BinaryTree b && b.getKind() == Tree.Kind.LESS_THAN && b.getLeftOperand() instanceof IdentifierTree id
                    && id.getName().contentEquals(var))) {
                bad("loop " + var + ": condition must be " + var + " < bound");
            } else if (!constantBound(b.getRightOperand())) {
                bad("loop " + var + ": bound " + b.getRightOperand() + " is not a literal, constant, int parameter or final local");
            }
            if (loop.getUpdate().size() != 1 || !countedStep(loop.getUpdate().get(0), var)) {
                bad("loop " + var + ": step must be " + var + "++ or " + var + " += constant");
            }
        }

        private boolean constantBound(ExpressionTree e) {
            if (e instanceof LiteralTree) {
                return true;
            }
            if (e instanceof IdentifierTree id) {
                String n = id.getName().toString();
                return constants.contains(n) || intParams.contains(n) || finalLocals.contains(n);
            }
            return compileTimeConstant(e);
        }

        /** Literals and class constants combined arithmetically ({@code HD / 2}): folded by javac. */
        private boolean compileTimeConstant(ExpressionTree e) {
            if (e instanceof LiteralTree) {
                return true;
            }
            if (e instanceof IdentifierTree id) {
                return constants.contains(id.getName().toString());
            }
            if (e instanceof com.sun.source.tree.ParenthesizedTree p) {
                return compileTimeConstant(p.getExpression());
            }
            return e instanceof BinaryTree b && compileTimeConstant(b.getLeftOperand()) && compileTimeConstant(b.getRightOperand());
        }

        private boolean countedStep(ExpressionStatementTree s, String var) {
            ExpressionTree e = s.getExpression();
            if (e instanceof UnaryTree u && (u.getKind() == Tree.Kind.POSTFIX_INCREMENT || u.getKind() == Tree.Kind.PREFIX_INCREMENT)) {
                return u.getExpression().toString().equals(var);
            }
            if (e instanceof com.sun.source.tree.CompoundAssignmentTree c && c.getKind() == Tree.Kind.PLUS_ASSIGNMENT) {
                return c.getVariable().toString().equals(var) && constantBound(c.getExpression());
            }
            return false;
        }

        @Override
        public Void visitMethodInvocation(MethodInvocationTree call, Void p) {
            ExpressionTree select = call.getMethodSelect();
            if (select instanceof IdentifierTree id) {
                String n = id.getName().toString();
                if (methods.contains(n)) {
                    callees.add(n);
                } else if (!MATHS.contains(n)) {
                    bad("call to " + n + " (neither this class's method nor a maths function)");
                }
            } else if (select instanceof MemberSelectTree ms && ms.getExpression().toString().equals("Math")) {
                if (!MATHS.contains(ms.getIdentifier().toString())) {
                    bad("call to Math." + ms.getIdentifier());
                }
            } else {
                bad("call to " + select + " (virtual or foreign)");
            }
            return super.visitMethodInvocation(call, p);
        }

        @Override
        public Void visitNewArray(NewArrayTree n, Void p) {
            if (n.getDimensions().size() != 1 || !(n.getDimensions().get(0) instanceof LiteralTree || constantBound(n.getDimensions().get(0))
                    && !intParams.contains(n.getDimensions().get(0).toString()))) {
                bad("array allocation of non-constant size: " + n);
            }
            return super.visitNewArray(n, p);
        }

        @Override
        public Void visitNewClass(NewClassTree n, Void p) {
            bad("object allocation: " + n);
            return super.visitNewClass(n, p);
        }

        @Override
        public Void visitReturn(ReturnTree t, Void p) {
            if (sequentialDepth + parallelDepth > 0) {
                bad("return inside a loop");
            }
            return super.visitReturn(t, p);
        }

        @Override
        public Void visitBreak(BreakTree t, Void p) {
            bad("break");
            return super.visitBreak(t, p);
        }

        @Override
        public Void visitContinue(ContinueTree t, Void p) {
            bad("continue");
            return super.visitContinue(t, p);
        }

        @Override
        public Void visitThrow(ThrowTree t, Void p) {
            bad("throw");
            return super.visitThrow(t, p);
        }

        @Override
        public Void visitTry(TryTree t, Void p) {
            bad("try");
            return super.visitTry(t, p);
        }

        @Override
        public Void visitAssert(AssertTree t, Void p) {
            bad("assert");
            return super.visitAssert(t, p);
        }

        @Override
        public Void visitSynchronized(SynchronizedTree t, Void p) {
            bad("synchronized");
            return super.visitSynchronized(t, p);
        }

        @Override
        public Void visitLambdaExpression(LambdaExpressionTree t, Void p) {
            bad("lambda");
            return super.visitLambdaExpression(t, p);
        }

        @Override
        public Void visitMemberReference(MemberReferenceTree t, Void p) {
            bad("method reference");
            return super.visitMemberReference(t, p);
        }

        @Override
        public Void visitLiteral(LiteralTree t, Void p) {
            if (t.getValue() instanceof String) {
                bad("string literal");
            }
            return super.visitLiteral(t, p);
        }

        @Override
        public Void visitWhileLoop(WhileLoopTree t, Void p) {
            bad("while loop");
            return super.visitWhileLoop(t, p);
        }

        @Override
        public Void visitDoWhileLoop(DoWhileLoopTree t, Void p) {
            bad("do-while loop");
            return super.visitDoWhileLoop(t, p);
        }

        @Override
        public Void visitEnhancedForLoop(EnhancedForLoopTree t, Void p) {
            bad("for-each loop");
            return super.visitEnhancedForLoop(t, p);
        }
    }
}
