// The build failed (invoker.buildResult = failure); it must have failed for the documented reason,
// reported by the processor on the annotation value's line, once.
def log = new File(basedir, 'build.log').text
def hits = (log =~ /Bad\.java:\[(\d+),(\d+)\] \[Unroll\/(\w+)\] (.*)/).collect { it[1] + ':' + it[3] + ': ' + it[4].trim() }.unique()
assert hits == ['12:LoopEndOutOfRange: loopEnd (4) must be < layers (4)'] : "diagnostics: ${hits}"
assert !new File(basedir, 'target/generated-sources/annotations/example/Bad_TooLongModel.java').exists() : 'nothing may be generated for an invalid descriptor'
return true
