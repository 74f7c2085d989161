package handlertest

import (
	"os"
	"os/exec"
	"testing"
)

// NeedPrograms skips t when one of the external programs is not on PATH,
// saying what to install, unless THUMBNAIL_ENGINES_REQUIRED is set (as
// .ci/run sets it), where a missing program fails the test instead.
func NeedPrograms(t testing.TB, install string, programs ...string) {
	t.Helper()
	for _, name := range programs {
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("THUMBNAIL_ENGINES_REQUIRED") != "" {
				t.Fatalf("%s is not on PATH, and THUMBNAIL_ENGINES_REQUIRED is set: %s", name, install)
			}
			t.Skipf("%s is not on PATH: %s to run this test", name, install)
		}
	}
}
