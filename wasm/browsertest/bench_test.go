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
	"github.com/chromedp/chromedp"

	"convlab/assets"
	"convlab/engine/data"
	"convlab/wasm/benchwasm/refbench"
	"convlab/wasm/devserver"
)

// The learners of the benchmark page (benchpage/bench.js), in the order the
// table prints them.
var benchLearners = []string{"convnetjs", "go-main", "go-worker"}

// benchRound is one learner's round as the page reports it.
type benchRound struct {
	Examples int     `json:"examples"`
	MS       float64 `json:"ms"`      // the round's time by performance.now(), in the thread that trained
	Loss     float64 `json:"loss"`    // ConvNetJS: mean loss of the round; engine: smoothed loss at its end
	Mallocs  uint64  `json:"mallocs"` // engine only: heap objects allocated in the round
	GCs      uint32  `json:"gcs"`     // engine only: garbage collections in the round
}

func (r benchRound) rate() float64 { return float64(r.Examples) / r.MS * 1000 }

// TestBrowserBench trains the reference network in headless Chromium with
// ConvNetJS 0.3.0 and with the engine's wasm build (on the page's main
// thread and in a Web Worker), on the same digits, a round each in turn,
// and prints the median examples per second of each, the ratios and the
// accuracy each reached on held-out digits. It runs only with
// CONVLAB_BENCH=1, after ./build.sh bench has built out/bench/:
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
	rounds, examples := envInt(t, "CONVLAB_BENCH_ROUNDS", 5), envInt(t, "CONVLAB_BENCH_EXAMPLES", 1000)
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
	version, err := chromedp.CallBrowser(p.ctx, cdpbrowser.GetVersion, cdp.Empty{})
	if err != nil {
		t.Fatalf("asking the browser its version: %v", err)
	}

	// A warm-up round, not timed: Chromium compiles wasm with a baseline
	// compiler first and optimises hot functions later, and the trainers
	// allocate their buffers on the first step.
	warm := 200
	p.Eval(fmt.Sprintf(`window.convlab.round(%d, -1)`, warm), nil)

	got := map[string][]benchRound{}
	for r := 0; r < rounds; r++ {
		var out map[string]benchRound
		p.Eval(fmt.Sprintf(`window.convlab.round(%d, %d)`, examples, r), &out)
		line := fmt.Sprintf("round %d:", r+1)
		for _, name := range benchLearners {
			b, ok := out[name]
			if !ok || b.Examples < examples || b.MS <= 0 {
				t.Fatalf("round %d: %s reported %+v, want at least %d examples in a positive time", r+1, name, b, examples)
			}
			got[name] = append(got[name], b)
			line += fmt.Sprintf("  %s %.0f/s (loss %.3f)", name, b.rate(), b.Loss)
		}
		t.Log(line)
	}
	var acc map[string]float64
	p.Eval(`window.convlab.accuracy()`, &acc)

	var urls []string
	p.Eval(`window.convlab.resources()`, &urls)
	for _, u := range urls {
		if !strings.HasPrefix(u, srv.URL+"/") {
			t.Errorf("the page fetched %s, which is not on the benchmark's server", u)
		}
	}
	p.Screenshot("bench")

	table := benchTable(version.Product, env.Cores, env.GoVersion, env.TrainDigits, env.TestDigits, warm, rounds, examples, got, acc)
	fmt.Print("\n" + table)
	out := filepath.Join(Root(), "out", "bench")
	if err := os.MkdirAll(out, 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(out, "browser.md"), []byte(table), 0o644)
	}
	// Every learner saw the same number of examples. After 2,000 the
	// ConvNetJS demo's net classifies most digits; far less means it is not learning.
	if seen := warm + rounds*examples; seen >= 2000 {
		for _, name := range benchLearners {
			if acc[name] < 0.6 {
				t.Errorf("%s classifies %.1f%% of the test digits after %d examples: want at least 60%%: is it learning?",
					name, 100*acc[name], seen)
			}
		}
	}
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

// benchTable formats the results as the Markdown BENCHMARKS.md quotes.
func benchTable(browserVersion string, cores int, goVersion string, nTrain, nTest, warm, rounds, examples int,
	got map[string][]benchRound, acc map[string]float64) string {
	rates := map[string][]float64{}
	for _, name := range benchLearners {
		for _, r := range got[name] {
			rates[name] = append(rates[name], r.rate())
		}
	}
	// Ratios round by round (the learners of a round ran back to back), then their median.
	ratio := func(a, b string) float64 {
		var rs []float64
		for i := range rates[a] {
			rs = append(rs, rates[a][i]/rates[b][i])
		}
		return median(rs)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Browser: %s, headless; %d cores reported; engine built with %s (test binary %s, %s/%s)\n",
		browserVersion, cores, goVersion, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Fprintf(&sb, "Load average at the end (1, 5, 15 min): %s\n", strings.Join(strings.Fields(string(la))[:3], ", "))
	}
	fmt.Fprintf(&sb, "%d timed rounds of %d examples per learner after an untimed round of %d, alternating; %d training and %d test digits (24x24)\n\n",
		rounds, examples, warm, nTrain, nTest)
	names := map[string]string{
		"convnetjs": "ConvNetJS 0.3.0, main thread",
		"go-main":   "ConvLab engine (Go wasm), main thread",
		"go-worker": "ConvLab engine (Go wasm), Web Worker",
	}
	sb.WriteString("| learner | median examples/s | min | max | vs ConvNetJS (median of per-round ratios) | test accuracy after " +
		strconv.Itoa(warm+rounds*examples) + " examples |\n|---|---:|---:|---:|---:|---:|\n")
	for _, name := range benchLearners {
		vs := "1"
		if name != "convnetjs" {
			vs = fmt.Sprintf("%.2fx", ratio(name, "convnetjs"))
		}
		fmt.Fprintf(&sb, "| %s | %.0f | %.0f | %.0f | %s | %.1f%% |\n", names[name], median(rates[name]),
			slices.Min(rates[name]), slices.Max(rates[name]), vs, 100*acc[name])
	}
	fmt.Fprintf(&sb, "\nWorker vs main thread (median of per-round ratios): %.2fx\n", ratio("go-worker", "go-main"))
	for _, name := range []string{"go-main", "go-worker"} {
		var mallocs []float64
		gcs := uint32(0)
		for _, r := range got[name] {
			mallocs = append(mallocs, float64(r.Mallocs))
			gcs += r.GCs
		}
		fmt.Fprintf(&sb, "%s: median %.0f heap allocations per round of %d minibatch steps, %d garbage collections in all rounds\n",
			name, median(mallocs), examples/20, gcs)
	}
	best := median(rates["go-main"])
	fmt.Fprintf(&sb, "Targets: >= 1,000 examples/s: %s (main thread %.0f, worker %.0f); >= 8x ConvNetJS: %s (%.2fx)\n",
		metOrNot(best >= 1000), best, median(rates["go-worker"]), metOrNot(ratio("go-main", "convnetjs") >= 8),
		ratio("go-main", "convnetjs"))
	return sb.String()
}

func metOrNot(ok bool) string {
	if ok {
		return "met"
	}
	return "not met"
}
