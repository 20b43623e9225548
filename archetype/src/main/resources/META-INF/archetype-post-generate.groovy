// Keeps the files of the families asked for (-Dfamilies=attention,trm,transformer) and removes the
// others'; an unknown family stops the generation with the list of known ones.
def files = [
    attention  : ['Gdn'],
    trm        : ['Sudoku'],
    transformer: ['Stories'],
]
def asked = request.properties.get('families').split(',').collect { it.trim().toLowerCase() }.findAll { it }
def unknown = asked - files.keySet()
if (!asked || unknown) {
    throw new IllegalArgumentException("families: '" + request.properties.get('families')
            + "' names no family or an unknown one " + unknown + "; known: " + files.keySet().join(', '))
}
def root = new File(request.outputDirectory, request.artifactId)
def pkg = request.packageName.replace('.', '/')
(files.keySet() - asked).each { family ->
    files[family].each { name ->
        [
            "src/main/java/${pkg}/${name}.java",
            "src/test/java/${pkg}/${name}Test.java",
            "src/main/java/${pkg}/benchmarks/${name}Benchmark.java",
        ].each { path ->
            def f = new File(root, path)
            if (!f.delete()) {
                throw new IllegalStateException("could not remove " + f)
            }
        }
    }
}
