//go:build !js

package browsertest

import (
	"fmt"
	"math/rand"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"convlab/assets"
	"convlab/engine/data"
	"convlab/wasm/benchwasm/refbench"
	"convlab/wasm/devserver"
)

// The learners of the benchmark page (benchpage/bench.js), in the order the
// table prints them.
var benchLearners = []string{"convnetjs", "go-main", "go-worker"}

// benchRound is one learner's round as the page reports it, with the CPU
// time the test measured around it.
type benchRound struct {
	Examples int     `json:"examples"`
	MS       float64 `json:"ms"`      // the round's time by performance.now(), in the thread that trained
	Loss     float64 `json:"loss"`    // ConvNetJS: mean loss of the round; engine: smoothed loss at its end
	Mallocs  uint64  `json:"mallocs"` // engine only: heap objects allocated in the round
	GCs      uint32  `json:"gcs"`     // engine only: garbage collections in the round
	// CPU is the CPU time of the page's renderer process during the round,
	// in seconds (Chromium's ProcessTime metric): the training thread and
	// whatever else the page did meanwhile, such as V8's garbage collector
	// threads and, for the Worker, the waiting page.
	CPU float64 `json:"-"`
}

func (r benchRound) rate() float64    { return float64(r.Examples) / r.MS * 1000 }
func (r benchRound) cpuRate() float64 { return float64(r.Examples) / r.CPU }

// benchReport is everything the table shows.
type benchReport struct {
	Browser, GoVersion     string
	Cores, Train, Test     int
	Warm, Rounds, Examples int
	Got                    map[string][]benchRound // learner -> its timed rounds, in order
	Accuracy               map[string]float64      // learner -> fraction of the test digits right at the end
}

// TestBrowserBench trains the reference network in headless Chromium with
// ConvNetJS 0.3.0 and with the engine's wasm build (on the page's main
// thread and in a Web Worker), on the same digits, a round each in turn,
// and prints the median examples per second (by the clock and per CPU
// second) of each, the ratios and the accuracy each reached on held-out
// digits. It runs only with CONVLAB_BENCH=1, after ./build.sh bench has
// built out/bench/:
//
//	CONVLAB_BENCH=1 go test -run TestBrowserBench -v ./wasm/browsertest/
//
// CONVLAB_BENCH_ROUNDS (default 5) and CONVLAB_BENCH_EXAMPLES (examples
// per learner per round, default 1000) change the work; the page must
// finish within the three minutes Browser.Open gives it.
func TestBrowserBench(t *testing.T) {
	if os.Getenv("CONVLAB_BENCH") != "1" {
		t.Skip("the browser benchmark runs only with CONVLAB_BENCH=1 (./build.sh bench)")
	}
	rep := benchReport{Warm: 200, Rounds: envInt(t, "CONVLAB_BENCH_ROUNDS", 5),
		Examples: envInt(t, "CONVLAB_BENCH_EXAMPLES", 1000), Got: map[string][]benchRound{}}
	dir := benchSite(t)
	srv := httptest.NewServer(devserver.Handler(dir))
	defer srv.Close()

	p := browser.Open(t, srv.URL+"/index.html", View{W: 1024, H: 768})
	var env struct {
		Cores       int    `json:"cores"`
		GoVersion   string `json:"goVersion"`
		TrainDigits int    `json:"trainDigits"`
		TestDigits  int    `json:"testDigits"`
	}
	p.Eval(`window.convlab.env()`, &env)
	rep.Cores, rep.GoVersion, rep.Train, rep.Test = env.Cores, env.GoVersion, env.TrainDigits, env.TestDigits
	version, err := chromedp.CallBrowser(p.ctx, cdpbrowser.GetVersion, cdp.Empty{})
	if err != nil {
		t.Fatalf("asking the browser its version: %v", err)
	}
	rep.Browser = version.Product
	if _, err := chromedp.Call(p.ctx, performance.Enable, performance.EnableParams{}); err != nil {
		t.Fatalf("enabling performance metrics: %v", err)
	}

	// Round -1 is a warm-up, not timed: Chromium compiles wasm with a
	// baseline compiler first and optimises hot functions later, and the
	// trainers allocate their buffers on their first step. Then the
	// learners take turns, in an order rotated each round.
	for r := -1; r < rep.Rounds; r++ {
		n, label := rep.Examples, strconv.Itoa(r+1)
		if r < 0 {
			n, label = rep.Warm, "warm-up"
		}
		line := "round " + label + ":"
		for i := range benchLearners {
			name := benchLearners[(i+r+len(benchLearners))%len(benchLearners)]
			before := processTime(p)
			var b benchRound
			p.Eval(fmt.Sprintf(`window.convlab.train(%q, %d, %q)`, name, n, label), &b)
			b.CPU = processTime(p) - before
			if b.Examples < n || b.MS <= 0 || b.CPU <= 0 {
				t.Fatalf("round %s: %s reported %+v, want at least %d examples in a positive time", label, name, b, n)
			}
			line += fmt.Sprintf("  %s %.0f/s, %.0f/CPU-s (loss %.3f)", name, b.rate(), b.cpuRate(), b.Loss)
			if r >= 0 {
				rep.Got[name] = append(rep.Got[name], b)
			}
		}
		t.Log(line)
	}
	p.Eval(`window.convlab.accuracy()`, &rep.Accuracy)

	var urls []string
	p.Eval(`window.convlab.resources()`, &urls)
	for _, u := range urls {
		if !strings.HasPrefix(u, srv.URL+"/") {
			t.Errorf("the page fetched %s, which is not on the benchmark's server", u)
		}
	}
	p.Screenshot("bench")

	table := rep.table()
	fmt.Print("\n" + table)
	out := filepath.Join(Root(), "out", "bench")
	if err := os.MkdirAll(out, 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(out, "browser.md"), []byte(table), 0o644)
	}
	// Every learner saw the same number of examples. After 2,000 the
	// ConvNetJS demo's net classifies most digits; far less means it is not learning.
	if seen := rep.Warm + rep.Rounds*rep.Examples; seen >= 2000 {
		for _, name := range benchLearners {
			if rep.Accuracy[name] < 0.6 {
				t.Errorf("%s classifies %.1f%% of the test digits after %d examples: want at least 60%%: is it learning?",
					name, 100*rep.Accuracy[name], seen)
			}
		}
	}
}

// processTime returns the CPU time, in seconds, of the renderer process
// that runs the page and its Workers, from Chromium's Performance metrics.
// On a machine that others share, examples per CPU-second move far less
// than examples per second.
func processTime(p *Page) float64 {
	p.T.Helper()
	res, err := chromedp.Call(p.ctx, performance.GetMetrics, cdp.Empty{})
	if err != nil {
		p.T.Fatalf("performance metrics: %v", err)
	}
	for _, m := range res.Metrics {
		if m.Name == "ProcessTime" {
			return m.Value
		}
	}
	p.T.Fatal("Chromium reports no ProcessTime metric")
	return 0
}

// benchSite returns a folder holding the benchmark page, what ./build.sh
// bench put in out/bench/ (bench.wasm, wasm_exec.js, convnet.js) and
// digits.gz: 6,000 training and 1,000 test digits of the MNIST subset,
// cropped to 24x24 by refbench.Digits with seed 1.
func benchSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	built := filepath.Join(Root(), "out", "bench")
	page := filepath.Join(Root(), "wasm", "browsertest", "benchpage")
	for _, f := range []string{
		filepath.Join(page, "index.html"), filepath.Join(page, "bench.js"), filepath.Join(page, "worker.js"),
		filepath.Join(built, "bench.wasm"), filepath.Join(built, "wasm_exec.js"), filepath.Join(built, "convnet.js"),
	} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("%v: run ./build.sh bench, which builds out/bench/", err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	train, test, err := data.ParseMNIST([]byte(assets.MNIST))
	if err != nil {
		t.Fatal(err)
	}
	digits, err := refbench.Digits(train, test, 6000, 1000, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "digits.gz"), digits, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// envInt reads a positive integer from the environment, or returns def.
func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive whole number", name, s)
	}
	return n
}

// median returns the median of xs (the mean of the middle two for an even count).
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// table formats the report as the Markdown BENCHMARKS.md quotes.
func (rep benchReport) table() string {
	wall, cpu := map[string][]float64{}, map[string][]float64{}
	for _, name := range benchLearners {
		for _, r := range rep.Got[name] {
			wall[name] = append(wall[name], r.rate())
			cpu[name] = append(cpu[name], r.cpuRate())
		}
	}
	// ratio is the median over the rounds of a's rate over b's: the
	// learners of one round ran back to back, so its ratio shares their noise.
	ratio := func(rates map[string][]float64, a, b string) float64 {
		var rs []float64
		for i := range rates[a] {
			rs = append(rs, rates[a][i]/rates[b][i])
		}
		return median(rs)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Browser: %s, headless; %d cores reported; engine built with %s (test binary %s, %s/%s)\n",
		rep.Browser, rep.Cores, rep.GoVersion, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Fprintf(&sb, "Load average at the end (1, 5, 15 min): %s\n", strings.Join(strings.Fields(string(la))[:3], ", "))
	}
	fmt.Fprintf(&sb, "%d timed rounds of %d examples per learner after an untimed round of %d, taking turns; "+
		"%d training and %d test digits (24x24)\n\n", rep.Rounds, rep.Examples, rep.Warm, rep.Train, rep.Test)
	names := map[string]string{
		"convnetjs": "ConvNetJS 0.3.0, main thread",
		"go-main":   "ConvLab engine (Go wasm), main thread",
		"go-worker": "ConvLab engine (Go wasm), Web Worker",
	}
	fmt.Fprintf(&sb, "| learner | examples/s (median, min–max) | examples per CPU-second (median) | vs ConvNetJS, by clock | "+
		"vs ConvNetJS, per CPU-second | test accuracy after %d examples |\n|---|---:|---:|---:|---:|---:|\n",
		rep.Warm+rep.Rounds*rep.Examples)
	for _, name := range benchLearners {
		vsWall, vsCPU := "1", "1"
		if name != "convnetjs" {
			vsWall = fmt.Sprintf("%.2fx", ratio(wall, name, "convnetjs"))
			vsCPU = fmt.Sprintf("%.2fx", ratio(cpu, name, "convnetjs"))
		}
		fmt.Fprintf(&sb, "| %s | %.0f (%.0f–%.0f) | %.0f | %s | %s | %.1f%% |\n", names[name], median(wall[name]),
			slices.Min(wall[name]), slices.Max(wall[name]), median(cpu[name]), vsWall, vsCPU, 100*rep.Accuracy[name])
	}
	fmt.Fprintf(&sb, "\nWorker vs main thread (median of per-round ratios): %.2fx by clock, %.2fx per CPU-second\n",
		ratio(wall, "go-worker", "go-main"), ratio(cpu, "go-worker", "go-main"))
	for _, name := range []string{"go-main", "go-worker"} {
		var mallocs []float64
		gcs := uint32(0)
		for _, r := range rep.Got[name] {
			mallocs = append(mallocs, float64(r.Mallocs))
			gcs += r.GCs
		}
		fmt.Fprintf(&sb, "%s: median %.0f heap allocations per round of %d minibatch steps, %d garbage collections in all rounds\n",
			name, median(mallocs), rep.Examples/20, gcs)
	}
	fmt.Fprintf(&sb, "Targets (engine on the main thread): >= 1,000 examples/s: %s by clock (%.0f), %s per CPU-second (%.0f); "+
		">= 8x ConvNetJS: %s by clock (%.2fx), %s per CPU-second (%.2fx)\n",
		metOrNot(median(wall["go-main"]) >= 1000), median(wall["go-main"]),
		metOrNot(median(cpu["go-main"]) >= 1000), median(cpu["go-main"]),
		metOrNot(ratio(wall, "go-main", "convnetjs") >= 8), ratio(wall, "go-main", "convnetjs"),
		metOrNot(ratio(cpu, "go-main", "convnetjs") >= 8), ratio(cpu, "go-main", "convnetjs"))
	return sb.String()
}

func metOrNot(ok bool) string {
	if ok {
		return "met"
	}
	return "not met"
}
