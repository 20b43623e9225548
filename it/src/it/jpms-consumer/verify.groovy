// The modular consumer compiled (no requires java.compiler), and the generated layer ran in it.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0') : 'StreamTest did not pass'
def layer = new File(basedir, 'target/generated-sources/annotations/example/jpms/StreamLayer.java').text
assert !layer.contains('javax.annotation.processing.Generated') : 'the module cannot read java.compiler: no @Generated'
assert layer.contains('@UnrollGenerated("example.jpms.Stream")') : 'the marker of Unroll\'s own output'
assert !new File(basedir, 'target/generated-sources/annotations/example/jpms/StreamSimdKernels.java').exists() : 'the module does not read jdk.incubator.vector'
return true
