package app

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEngineIsPure fails if anything under engine/ reaches the renderer or
// the browser: the engine must build and test with plain go test.
func TestEngineIsPure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "convlab/engine/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/hajimehoshi/ebiten") || dep == "syscall/js" {
			t.Errorf("engine/ depends on %s", dep)
		}
	}
	if !strings.Contains(string(out), "convlab/engine/nn") {
		t.Errorf("go list -deps did not list the engine itself:\n%s", out)
	}
}
