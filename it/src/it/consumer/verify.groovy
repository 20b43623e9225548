// The consumer compiled, the processor generated every family's classes, and the kernels passed.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0') : 'ConsumerTest did not pass'
def gen = new File(basedir, 'target/generated-sources/annotations/example')
['Models_MyGdnKernels', 'Models_MyGdnSimdKernels', 'Models_MyGdnLayer', 'Models_MyTrmModel', 'Models_MyStoriesModel'].each {
    assert new File(gen, it + '.java').isFile() : "not generated: ${it}"
}
assert !(log =~ /\[WARNING\].*Models_/) : 'generated code must compile without warnings'
return true
