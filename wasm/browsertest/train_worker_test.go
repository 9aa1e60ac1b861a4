//go:build !js

package browsertest

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"convlab/engine/lesson"
)

// trainBench awaits window.convlab.trainBench(seconds), or, with seconds
// 0, the run started before with startTrainBench.
func trainBench(p *Page, seconds float64) lesson.TrainBenchResult {
	p.T.Helper()
	var s string
	if seconds > 0 {
		startTrainBench(p, seconds)
	}
	p.Eval(`window.convlabTestBench`, &s)
	var r lesson.TrainBenchResult
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		p.T.Fatalf("trainBench answered %q: %v", s, err)
	}
	return r
}

// startTrainBench starts window.convlab.trainBench(seconds) without
// waiting for it.
func startTrainBench(p *Page, seconds float64) {
	p.T.Helper()
	p.Eval(fmt.Sprintf(`(window.convlabTestBench = window.convlab.trainBench(%g), true)`, seconds), nil)
}

// TestTrainWorker opens the page from disk, starts the training worker
// (from a Blob URL, with the module read from worker.wasm.js) and trains
// the default net for a few seconds in it: the session runs in the worker,
// trains, and the page goes on drawing. In a browser without Web Workers
// the same session trains in the page.
func TestTrainWorker(t *testing.T) {
	p := browser.Open(t, browser.FileURL(), View{W: 1024, H: 768})
	r := trainBench(p, 3)
	t.Logf("%+v", r)
	if r.Where != "worker" {
		t.Fatalf("training ran in the %q, want the worker", r.Where)
	}
	if r.Examples <= 0 || r.ExamplesPerSecond <= 0 || r.SliceMs != 40 || r.YieldMicros <= 0 {
		t.Fatalf("no training measured: %+v", r)
	}
	p.Frames(3) // still drawing

	// Without Web Workers the session trains inside the page's frames.
	q := browser.Open(t, browser.FileURL(), View{W: 1024, H: 768, Init: `delete window.Worker;`})
	r = trainBench(q, 2)
	t.Logf("without workers: %+v", r)
	if r.Where != "page" || r.Examples <= 0 {
		t.Fatalf("without workers: training ran in the %q, %d examples", r.Where, r.Examples)
	}
}

// TestTrainWorkerBench measures training in the worker while the page
// draws, from disk and over http: examples per second, the time to a
// rolling test accuracy of 95%, and the frame rate while training against
// the frame rate idle (headless frame rates are bounded by software GL:
// compare them, don't quote them). Set CONVLAB_BENCH=1 to run it; it takes
// about two minutes.
func TestTrainWorkerBench(t *testing.T) {
	if os.Getenv("CONVLAB_BENCH") == "" {
		t.Skip("set CONVLAB_BENCH=1 to run the training benchmark")
	}
	for _, c := range []struct {
		name string
		url  func() string
	}{
		{"file", browser.FileURL},
		{"http", browser.HTTPURL},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := browser.Open(t, c.url(), View{W: 1280, H: 800})
			p.Click("lesson-training")
			p.WaitFor(`window.convlab.state().lesson === "training"`, 5*time.Second)
			idle := fps(p, 5*time.Second)
			startTrainBench(p, 60)
			time.Sleep(20 * time.Second)
			during := fps(p, 10*time.Second)
			r := trainBench(p, 0)
			t.Logf("%s: %s: %.0f examples/s over %.1f s (the session says %.0f), rolling test accuracy %.4f, 95%% after %.1f s, start-up %.2f s; %.0f ms slices, yield %.0f µs",
				c.name, r.Where, r.ExamplesPerSecond, r.Seconds, r.SessionRate, r.TestAccuracy, r.First95, r.StartSeconds, r.SliceMs, r.YieldMicros)
			t.Logf("%s: frame rate idle %.1f, while training %.1f (%.0f%%)", c.name, idle, during, 100*during/idle)
			if r.Where != "worker" {
				t.Errorf("training ran in the %q", r.Where)
			}
		})
	}
}

// fps returns the page's frame rate measured over d with
// requestAnimationFrame.
func fps(p *Page, d time.Duration) float64 {
	p.T.Helper()
	var f float64
	p.Eval(fmt.Sprintf(`new Promise(res => { let n = 0; const t0 = performance.now();
		const f = (t) => { n++; if (t - t0 < %d) requestAnimationFrame(f); else res(n * 1000 / (t - t0)); };
		requestAnimationFrame(f); })`, d.Milliseconds()), &f)
	return f
}
