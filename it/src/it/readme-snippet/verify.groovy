// The snippet compiled a descriptor: the processor ran (found through annotationProcessorPaths, as javac
// 23+ needs) and emitted the SIMD flavour too (the snippet's --add-modules reached javac).
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS') : 'the README snippet did not build'
def gen = new File(basedir, 'target/generated-sources/annotations/example')
['Snippet_GlaLayer', 'Snippet_GlaKernels', 'Snippet_GlaSimdKernels'].each {
    assert new File(gen, it + '.java').isFile() : "not generated: ${it}"
}
return true
