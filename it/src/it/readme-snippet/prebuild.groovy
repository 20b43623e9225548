// The project's pom is the README's "Using Unroll in your build" snippet, exactly as printed (between
// the <!-- snippet:maven --> marker and the end of its code block), inside the minimal project a user
// starts from. Nothing of it is filtered or completed: if the snippet does not build, this build fails.
def dir = basedir.canonicalFile // the clone under it/target: the repository's README is in the first folder above holding one
while (dir != null && !new File(dir, 'README.md').isFile()) {
    dir = dir.parentFile
}
assert dir != null : "no README.md above ${basedir}"
def readme = new File(dir, 'README.md')
def text = readme.getText('UTF-8')
def marker = text.indexOf('<!-- snippet:maven -->')
assert marker >= 0 : 'the README has no <!-- snippet:maven --> marker before its Maven snippet'
def open = text.indexOf('```xml\n', marker)
def close = text.indexOf('```', open + 7)
assert open >= 0 && close > open : 'no xml code block after the marker'
def snippet = text.substring(open + 7, close)
new File(basedir, 'pom.xml').setText("""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
<modelVersion>4.0.0</modelVersion>
<groupId>example</groupId>
<artifactId>unroll-readme-snippet</artifactId>
<version>1.0</version>
<properties>
  <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
</properties>
${snippet}
</project>
""", 'UTF-8')
return true
