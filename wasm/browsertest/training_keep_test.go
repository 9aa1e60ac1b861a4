//go:build !js

package browsertest

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// keptTraining is where the page keeps the training lesson's weights.
const keptTraining = `localStorage.getItem("convlab:v1:kept:training")`

// TestTrainingKeepsWeights trains from disk for a few seconds, pauses,
// reloads the page and finds the lesson as it was left: the same examples
// seen and steps, the same first-layer filters, bit for bit, and the same
// test accuracy over the whole test set, with a message that says the
// weights were restored.
func TestTrainingKeepsWeights(t *testing.T) {
	p := openTraining(t, View{W: 1280, H: 800})
	first := p.trainingState().Detail.Filters.Weights
	p.Click("play")
	p.WaitFor(`window.convlab.state().detail.examples >= 2000`, 60*time.Second)
	p.Click("play")
	p.WaitFor(`(d => !d.running && !d.training)(window.convlab.state().detail)`, 10*time.Second)
	// The pause's report carries the weights; the page keeps them at its
	// next save (twice a second); the test accuracy becomes exact.
	p.WaitFor(`(k => k && JSON.parse(k).examples === window.convlab.state().detail.examples)(`+keptTraining+`)`, 10*time.Second)
	p.WaitFor(`window.convlab.state().detail.testExact`, 30*time.Second)
	before := p.trainingState()
	var acc, size float64
	p.Eval(`window.convlab.state().detail.testAccuracy`, &acc)
	p.Eval(keptTraining+`.length`, &size)
	t.Logf("kept %.0f characters after %d examples (%d steps); test accuracy %.4f", size, before.Detail.Examples, before.Detail.Steps, acc)
	if reflect.DeepEqual(before.Detail.Filters.Weights, first) {
		t.Fatal("the filters did not change while training: the test proves nothing")
	}

	p.Eval(`(window.convlabOldPage = true, setTimeout(() => location.reload(), 10), true)`, nil)
	p.WaitFor(`!window.convlabOldPage && window.convlabGo && window.convlab.state()`, 60*time.Second)
	if p.Lesson() != "training" {
		p.Click("lesson-training")
	}
	p.WaitFor(`window.convlab.state().lesson === "training" && window.convlab.state().detail.examples > 0`, 30*time.Second)
	p.WaitFor(`window.convlab.state().detail.testExact`, 30*time.Second)
	after := p.trainingState()
	var accAfter float64
	p.Eval(`window.convlab.state().detail.testAccuracy`, &accAfter)
	if after.Detail.Examples != before.Detail.Examples || after.Detail.Steps != before.Detail.Steps {
		t.Errorf("after a reload: %d examples, %d steps; before: %d, %d", after.Detail.Examples, after.Detail.Steps, before.Detail.Examples, before.Detail.Steps)
	}
	if !reflect.DeepEqual(after.Detail.Filters.Weights, before.Detail.Filters.Weights) {
		t.Error("after a reload the first-layer filters differ from those before")
	}
	if accAfter != acc {
		t.Errorf("after a reload the test accuracy is %.4f, before %.4f", accAfter, acc)
	}
	if want := "Restored your trained weights: "; !strings.HasPrefix(after.Message, want) || after.Detail.Running {
		t.Errorf("after a reload: message %q (want %q...), running %v", after.Message, want, after.Detail.Running)
	}
	p.Frames(3)
	p.Screenshot("training-restored-1280x800")

	// Training goes on from the restored weights.
	p.Click("play")
	p.WaitFor(`window.convlab.state().detail.examples >= `+strconv.Itoa(before.Detail.Examples+500), 60*time.Second)
}
