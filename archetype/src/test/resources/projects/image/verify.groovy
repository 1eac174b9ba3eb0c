// After the generated project's build: the in-framework tests ran and passed (bnd-testing stays green when it
// finds none), and the jar is a bundle declaring the plugin.
def project = new File(basedir, 'project').listFiles().find { it.isDirectory() }
int tests = 0
int failed = 0
new File(project, 'target/test-reports').eachFileRecurse { file ->
    if (file.name.endsWith('.xml')) {
        (file.text =~ /<testsuite\b[^>]*>/).each { String suite ->
            def count = { String name -> (suite =~ /\b${name}="(\d+)"/).with { it.find() ? it.group(1).toInteger() : 0 } }
            tests += count('tests')
            failed += count('failures') + count('errors')
        }
    }
}
println "${project.name}: in-framework tests: ${tests} ran, ${failed} failed"
assert tests > 0 : "no in-framework test ran in ${project}"
assert failed == 0
def jar = new File(project, 'target').listFiles().find { it.name.endsWith('-SNAPSHOT.jar') }
def manifest = new java.util.jar.JarFile(jar).manifest.mainAttributes
assert manifest.getValue('Provide-Capability').contains('grambot.plugin=')
assert manifest.getValue('Service-Component') != null
return true
