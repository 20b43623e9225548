// The build failed (invoker.buildResult = failure); it must have failed because the module system hides the
// runtime's support layer from a user's module, not for another reason.
def log = new File(basedir, 'build.log').text
assert log =~ /Reach\.java:\[3,\d+\] package dev\.unroll\.runtime\.internal is (not visible|declared in module dev\.unroll\.runtime, which does not export it)/ : 'the support package must be invisible to a user module'
assert (log =~ /Reach\.java:\[\d+,\d+\]/).count >= 1
return true
