// Both compilations succeeded. The second ran with the first one's output on its source path and
// classes on its class path: Unroll recognised its own earlier output (same descriptor, same text)
// instead of reporting a name clash or a stale file.
def log = new File(basedir, 'build.log').text
assert !log.contains('[Unroll/NameClash]') : 'the earlier output is not a clash'
assert !log.contains('[Unroll/StaleOutput]') : 'the earlier output is identical, so not stale'
assert new File(basedir, 'target/classes/example/Models_SmallLayer.class').isFile() : 'first compilation'
assert new File(basedir, 'target/classes-again/example/Models_SmallLayer.class').isFile() : 'second compilation'
return true
