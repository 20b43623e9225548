package dev.unroll.processor.plan;

import java.util.List;

/**
 * One static kernel method.
 *
 * @param name method name
 * @param doc javadoc text
 * @param params parameters (at most 20: TornadoVM's task limit)
 * @param body statements
 */
public record KernelMethod(String name, String doc, List<Param> params, List<Stmt> body) {}
