// The modular consumer that reads jdk.incubator.vector got the SIMD flavour, and it ran (StreamTest
// asserts that implementation() names SIMD and that it matches the generic engine).
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0') : 'StreamTest did not pass'
def generated = new File(basedir, 'target/generated-sources/annotations/example/jpms')
assert new File(generated, 'StreamSimdKernels.java').isFile() : 'the module reads jdk.incubator.vector'
assert new File(generated, 'StreamLayer.java').text.contains('@Generated(') : 'the module reads java.compiler'
return true
