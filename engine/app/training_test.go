package app

import (
	"encoding/json"
	"fmt"
	"image"
	"reflect"
	"strings"
	"testing"
	"time"

	"convlab/assets"
	"convlab/engine/data"
	"convlab/engine/lesson"
	"convlab/engine/nn"
	"convlab/engine/raster"
	"convlab/engine/train"
	"convlab/engine/ui"
)

// trainTestData returns the lesson's data cut small: the first ntrain
// training and ntest test digits, and the shipped pretrained weights.
func trainTestData(t testing.TB, ntrain, ntest int) *lesson.TrainData {
	t.Helper()
	tr, te, err := data.ParseMNIST([]byte(assets.MNIST))
	if err != nil {
		t.Fatal(err)
	}
	cut := func(s *data.Set, n int) *data.Set {
		per := s.C * s.H * s.W
		c := *s
		c.Labels, c.Pixels = s.Labels[:n], s.Pixels[:n*per]
		return &c
	}
	return &lesson.TrainData{MNISTTrain: cut(tr, ntrain), MNISTTest: cut(te, ntest),
		Pretrained: map[string][]byte{lesson.TrainMNIST: []byte(assets.PretrainedMNIST), lesson.TrainColour: []byte(assets.PretrainedColour)}}
}

// trainPage is the app showing the training screen, with its session in
// a LocalTrainLink on a clock that moves on 1 ms at every reading, so
// every run of a test trains the same.
type trainPage struct {
	t    *testing.T
	a    *App
	s    *TrainingScreen
	link *lesson.LocalTrainLink
}

func newTrainPage(t *testing.T, w, h float64) *trainPage {
	t.Helper()
	return newTrainPageKeeping(t, w, h, "")
}

// newTrainPageKeeping returns a new trainPage whose screen was handed the
// kept weights (app.Keeper) before its first frame, as the page hands
// them back at its start; "" hands nothing.
func newTrainPageKeeping(t *testing.T, w, h float64, kept string) *trainPage {
	t.Helper()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { now = now.Add(time.Millisecond); return now }
	link, err := lesson.NewLocalTrainLink(trainTestData(t, 600, 120), clock)
	if err != nil {
		t.Fatal(err)
	}
	s := NewTrainingScreen(link)
	ss := placeholders()
	ss[3] = s
	a := New(ss)
	a.Show(3)
	a.Resize(w, h)
	s.SetAnnouncer(a.Announcer())
	if kept != "" {
		if err := a.Keepers()[s.Info().ID].Keep(kept); err != nil {
			t.Fatal(err)
		}
	}
	p := &trainPage{t: t, a: a, s: s, link: link}
	p.tick(5)
	return p
}

// tick runs n frames.
func (p *trainPage) tick(n int) {
	for range n {
		p.a.Tick(1.0 / 60)
	}
}

// until runs frames until cond holds, failing after many.
func (p *trainPage) until(what string, cond func() bool) {
	p.t.Helper()
	for i := 0; i < 5000; i++ {
		if cond() {
			return
		}
		p.tick(1)
	}
	p.t.Fatalf("never: %s", what)
}

func (p *trainPage) has(name string) bool {
	_, ok := ui.Find(p.a.Widgets(), name)
	return ok
}

func (p *trainPage) click(names ...string) {
	p.t.Helper()
	for _, n := range names {
		if !p.has(n) {
			p.t.Fatalf("no widget %q on the %s tab", n, p.s.Tab())
		}
		p.a.Handle(ui.Event{Type: ui.Click, Target: n})
	}
}

func (p *trainPage) commit(name, text string) {
	p.t.Helper()
	if !p.has(name) {
		p.t.Fatalf("no widget %q on the %s tab", name, p.s.Tab())
	}
	p.a.Handle(ui.Event{Type: ui.Commit, Target: name, Text: text})
}

func (p *trainPage) widget(name string) ui.Widget {
	p.t.Helper()
	w, ok := ui.Find(p.a.Widgets(), name)
	if !ok {
		p.t.Fatalf("no widget %q on the %s tab", name, p.s.Tab())
	}
	return w
}

func (p *trainPage) state() TrainingState { return p.s.State().(TrainingState) }

func (p *trainPage) message() string { msg, _ := p.a.Announcer().Last(); return msg }

// settle pauses nothing but waits until the session has answered every
// command (the controls agree with the session) and its test accuracy is
// exact at the current weights.
func (p *trainPage) settle() {
	p.t.Helper()
	p.until("the session settles", func() bool {
		c, ok := p.s.View().Model(lesson.TrainConv)
		return ok && c.TestExact && p.s.View().Settings == p.s.Settings() && p.s.hold == trainHold{}
	})
}

// trainSizes are the windows every layout must fit.
var trainSizes = [][2]float64{{1024, 768}, {1280, 800}}

// checkTrainLayout checks the page as it is now (see checkPage) and its
// plots: inside the content, every point inside its frame.
func checkTrainLayout(t *testing.T, p *trainPage, what string) {
	t.Helper()
	s := p.s
	checkPage(t, p.a, s.Marks(), s.dropped, true, what)
	content := p.a.Content()
	for _, pl := range s.Plots() {
		if !pl.Rect.In(content) {
			t.Errorf("%s: plot %s at %v leaves the content", what, pl.Key, pl.Rect)
		}
		for _, ln := range pl.Lines {
			for k := 0; k+1 < len(ln.Points); k += 2 {
				pt := image.Pt(int(ln.Points[k]), int(ln.Points[k+1]))
				if !pt.In(pl.Rect.Inset(-1)) {
					t.Errorf("%s: plot %s has a point %v outside its frame %v", what, pl.Key, pt, pl.Rect)
					break
				}
			}
		}
	}
}

// drawStroke draws a vertical stroke down the middle of the pad, in CSS
// pixels as the page reports them.
func (p *trainPage) drawStroke() {
	p.t.Helper()
	pad := p.widget("pad")
	_, _, w, h := p.a.Frame().CSS(pad.Rect)
	p.a.Handle(ui.Event{Type: ui.PointerDown, Target: "pad", X: w / 2, Y: h * 0.2})
	for k := 1; k <= 6; k++ {
		p.a.Handle(ui.Event{Type: ui.PointerMove, Target: "pad", X: w / 2, Y: h * (0.2 + 0.1*float64(k))})
	}
	p.a.Handle(ui.Event{Type: ui.PointerUp, Target: "pad", X: w / 2, Y: h * 0.8})
}

// TestTrainingLayout lays out every tab at both window sizes: before the
// session answers, while training with every item reported, after a
// divergence, with a drawing, and on the colour set with 32 filters.
func TestTrainingLayout(t *testing.T) {
	for _, size := range trainSizes {
		at := fmt.Sprintf("%vx%v", size[0], size[1])
		p := newTrainPage(t, size[0], size[1])
		checkTrainLayout(t, p, at+" at the start")
		p.click("play")
		p.until("training reports maps, gallery and templates", func() bool {
			v := p.s.View()
			return v.Examples > 200 && v.Maps != nil && v.Gallery != nil && len(v.Templates) == 2 && len(v.Snapshots) > 2
		})
		p.click("play")
		p.settle()
		for _, tab := range TrainingTabs {
			p.click("tab-" + tab)
			checkTrainLayout(t, p, at+" "+tab)
		}
		p.drawStroke()
		p.until("the drawing is answered", func() bool { d := p.s.View().Drawn; return d != nil && len(d.Maps) > 0 })
		checkTrainLayout(t, p, at+" try, drawn")
		if len(p.s.lay.layerCols) != 6 {
			t.Errorf("%s: the drawing's maps show %d layers, want the 6 before the scores", at, len(p.s.lay.layerCols))
		}

		// A divergence adds its band on every tab.
		p.click("tab-train", "opt-sgd")
		p.commit("lr", "100000")
		p.until("training diverges", func() bool {
			if p.s.View().Diverged != nil {
				return true
			}
			p.click("step-once")
			return false
		})
		for _, tab := range TrainingTabs {
			p.click("tab-" + tab)
			checkTrainLayout(t, p, at+" "+tab+", diverged")
		}

		p.click("tab-train", "opt-adadelta", "data-colour", "tab-network", "kernel-3")
		p.commit("filters", "32")
		p.click("tab-train", "play")
		p.until("the colour set trains", func() bool {
			v := p.s.View()
			return v.Settings.Data == lesson.TrainColour && v.Filters != nil && v.Filters.Shape == [4]int{32, 3, 3, 3} && v.Gallery != nil && v.Examples > 100
		})
		p.click("play")
		p.settle()
		for _, tab := range TrainingTabs {
			p.click("tab-" + tab)
			checkTrainLayout(t, p, at+" "+tab+", colour, 32 filters of 3x3")
			if n := len(p.s.lay.gallery); tab == "results" && n != 12 {
				t.Errorf("%s: the colour gallery shows %d examples, want 2 of each of 6 classes", at, n)
			}
		}
		for _, ink := range trainInks {
			if !p.has("ink-" + ink.name) {
				t.Errorf("%s: the colour pad has no %s ink", at, ink.name)
			}
		}
	}
}

// TestTrainingLedgerFits lays out the network tab for every architecture
// the lesson takes (filters 4 to 32, each kernel, each padding, the second
// conv block on and off, both data sets) at both window sizes: every cell
// of the ledger is written whole in its column.
func TestTrainingLedgerFits(t *testing.T) {
	for _, size := range trainSizes {
		at := fmt.Sprintf("%vx%v", size[0], size[1])
		p := newTrainPage(t, size[0], size[1])
		p.click("tab-network")
		p.settle()
		s := p.s
		base := s.settings
		laid, seen := 0, map[string]bool{}
		for _, set := range []string{lesson.TrainMNIST, lesson.TrainColour} {
			for f := lesson.TrainMinFilters; f <= lesson.TrainMaxFilters; f++ {
				for _, k := range lesson.TrainKernels() {
					for pad := 0; pad <= lesson.TrainMaxPad; pad++ {
						for _, conv2 := range []bool{false, true} {
							st := base
							st.Data = set
							st.Arch.Filters, st.Arch.Kernel, st.Arch.Pad, st.Arch.Conv2 = f, k, pad, conv2
							if st.Check() != nil {
								continue // the screen refuses it
							}
							s.settings = st
							s.refresh()
							laid++
							what := fmt.Sprintf("%s network, %s, %d filters of %dx%d, pad %d, second conv %v", at, set, f, k, k, pad, conv2)
							checkTrainLayout(t, p, what)
							for _, mk := range s.Marks() {
								if mk.Kind == TextMark {
									seen[mk.Text] = true
								}
							}
						}
					}
				}
			}
		}
		// 29 filter counts, 3 kernels, 4 paddings, 2 blocks, 2 sets, less
		// those whose pooling does not divide.
		if laid < 29*2*2*3 {
			t.Errorf("%s: only %d architectures laid out", at, laid)
		}
		// The widest cells were written: the second conv block's weights
		// over 32 maps, the largest first layer's name and the most
		// multiply-adds (32 colour filters of 7 x 7 x 3 over 24 x 24).
		for _, want := range []string{"16 x 32 x 5 x 5", "conv 7x7 x32, pad 3", fcCount(32 * 24 * 24 * 3 * 7 * 7)} {
			if !seen[want] {
				t.Errorf("%s: the ledger never wrote %q whole", at, want)
			}
		}
	}
}

// TestTrainingPlayPauseStepReset plays, pauses, steps and resets by
// clicks, checking the examples seen and the filters against a net built
// independently from the seed.
func TestTrainingPlayPauseStepReset(t *testing.T) {
	p := newTrainPage(t, 1280, 800)
	p.until("the first report", func() bool { return p.s.View().Filters != nil })
	spec, _ := lesson.DefaultTrainSettings().Spec(lesson.TrainConv)
	fresh, err := train.NewNet(spec, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := fresh.FirstConv().W.Data
	if got := p.state().Filters.Weights; !reflect.DeepEqual(got, want) {
		t.Fatal("the first filters are not the seed's")
	}
	if st := p.state(); st.Running || st.Examples != 0 || st.Where != "page" || st.Steps != 0 {
		t.Fatalf("at the start: %+v", st)
	}

	p.click("play")
	if !p.s.Running() || p.widget("play").Label != "❚❚ Pause" || !p.widget("play").On {
		t.Fatal("play did not show as playing at once")
	}
	p.until("examples are seen", func() bool { return p.state().Examples >= 400 })
	st := p.state()
	if !st.Running || st.Steps != st.Examples/20 || st.Loss <= 0 || st.TrainAccuracy < 0 {
		t.Fatalf("while playing: %+v", st)
	}
	if reflect.DeepEqual(st.Filters.Weights, want) {
		t.Fatal("the filters did not change while training")
	}
	p.click("play")
	p.settle()
	paused := p.state().Examples
	p.tick(30)
	if st := p.state(); st.Running || st.Examples != paused || !strings.HasPrefix(p.widget("play").Label, "▶") {
		t.Fatalf("after pause: running %v, %d examples (paused at %d)", st.Running, st.Examples, paused)
	}

	// One step: one minibatch more, and the filters move.
	before := p.state().Filters.Weights
	p.click("step-once")
	p.until("the step is reported", func() bool { return p.state().Examples == paused+20 })
	p.tick(10)
	if st := p.state(); st.Examples != paused+20 || st.Running || reflect.DeepEqual(st.Filters.Weights, before) {
		t.Fatalf("after a step: %d examples (want %d), running %v", st.Examples, paused+20, st.Running)
	}
	if !strings.Contains(p.message(), "One step") {
		t.Errorf("a step says %q", p.message())
	}

	// Reset: back to the seed's filters and nothing seen.
	p.click("reset")
	p.until("the reset is reported", func() bool { return p.state().Examples == 0 })
	p.tick(5)
	if st := p.state(); !reflect.DeepEqual(st.Filters.Weights, want) || st.Steps != 0 || st.Frames != 1 {
		t.Fatalf("after reset: %d steps, %d time-lapse frames, filters the seed's: %v", st.Steps, st.Frames, reflect.DeepEqual(st.Filters.Weights, want))
	}
}

// TestTrainingLedger: the architecture controls change the ledger at
// once, with the numbers the layer formulas give.
func TestTrainingLedger(t *testing.T) {
	p := newTrainPage(t, 1280, 800)
	p.click("tab-network")
	row := func(i int) TrainingLedgerRow { return p.state().Ledger[i] }
	if r := row(0); r.Layer != "conv 5x5 x8, pad 2" || r.Output != "8 x 24 x 24" || r.Params != 8*25+8 || r.MultiplyAdds != 8*24*24*25 {
		t.Fatalf("default first row %+v", r)
	}
	p.commit("filters", "16")
	// 16 filters of 1 x 5 x 5 over a 24 x 24 crop padded by 2: 24 x 24
	// outputs, each 25 multiply-adds; the second conv now reads 16 maps.
	if r := row(0); r.Layer != "conv 5x5 x16, pad 2" || r.Output != "16 x 24 x 24" || r.Params != 16*25+16 || r.MultiplyAdds != 16*24*24*25 {
		t.Fatalf("16 filters: %+v", r)
	}
	if r := row(3); r.Weight != "16 x 16 x 5 x 5" || r.Params != 16*16*25+16 || r.MultiplyAdds != 16*12*12*16*25 {
		t.Fatalf("16 filters, second conv: %+v", r)
	}
	if p.s.Settings().Arch.Filters != 16 || !strings.Contains(p.message(), "afresh") {
		t.Fatalf("settings %+v, message %q", p.s.Settings().Arch, p.message())
	}
	// Kernel 7 with padding 2: (24 − 7 + 4) + 1 = 22, pooled to 11; the
	// second conv keeps 11, and a 3/3 pool of 11 does not divide: the
	// screen moves the padding to 3, which keeps 24.
	p.click("kernel-7")
	if a := p.s.Settings().Arch; a.Kernel != 7 || a.Pad != 3 {
		t.Fatalf("kernel 7: %+v", a)
	}
	if r := row(0); r.Output != "16 x 24 x 24" || r.Params != 16*49+16 || r.MultiplyAdds != 16*24*24*49 {
		t.Fatalf("kernel 7, pad 3: %+v", r)
	}
	// Padding 0 with kernel 7: 18 x 18, pooled to 9, conv 9, pool 3: fine.
	p.click("pad-0")
	if r := row(0); r.Output != "16 x 18 x 18" || r.MultiplyAdds != 16*18*18*49 {
		t.Fatalf("kernel 7, pad 0: %+v", r)
	}
	// Padding 1: 20 x 20, pooled to 10, a 3/3 pool of 10 does not divide.
	p.click("pad-1")
	if a := p.s.Settings().Arch; a.Pad != 0 || !strings.Contains(p.message(), "Not changed") {
		t.Fatalf("an impossible padding was taken: %+v, %q", a, p.message())
	}
	p.click("conv2")
	rows := p.state().Ledger
	if len(rows) != 4 || rows[3].Layer != "linear 10" || rows[3].Weight != "10 x 1296" {
		t.Fatalf("without the second conv: %+v", rows)
	}
	p.settle()
	if f := p.s.View().Filters; f.Shape != [4]int{16, 1, 7, 7} {
		t.Fatalf("the session's filters are %v", f.Shape)
	}
	checkTrainLayout(t, p, "network, changed")
}

// TestTrainingRefusals: values that cannot be taken are refused with a
// message, the field shows what was typed marked as refused, and the
// setting keeps its old value.
func TestTrainingRefusals(t *testing.T) {
	p := newTrainPage(t, 1024, 768)
	old := p.s.Settings()
	for _, c := range []struct {
		field, text, says string
	}{
		{"batch", "abc", `"abc" is not a number`},
		{"batch", "2.5", "whole number"},
		{"batch", "500", "1 to 128"},
		{"batch", "", "empty"},
		{"decay", "NaN", "not a number ConvLab can compute with"},
		{"decay", "-0.1", "0 to 1"},
		{"seed", "1e9", "too large"},
		{"lr", "0.5", "Adadelta has no learning rate"},
	} {
		p.commit(c.field, c.text)
		w := p.widget(c.field)
		if !w.Error || w.Text != c.text || !strings.Contains(p.message(), c.says) || p.s.Settings() != old {
			t.Errorf("%s %q: error %v, shows %q, says %q", c.field, c.text, w.Error, w.Text, p.message())
		}
		if st := p.state(); st.Field != c.field || st.Error != c.text {
			t.Errorf("%s %q: the state says field %q %q", c.field, c.text, st.Field, st.Error)
		}
	}
	p.a.Handle(ui.Event{Type: ui.Cancel, Target: "lr"})
	if w := p.widget("lr"); w.Error || w.Text != "0.01" {
		t.Errorf("after Esc the field shows %q, error %v", w.Text, w.Error)
	}
	p.click("opt-sgd")
	for _, c := range []struct{ field, text, says string }{
		{"lr", "0", "never moves the weights"},
		{"lr", "-1", "never moves the weights"},
		{"momentum", "1", "0 to 0.99"},
	} {
		p.commit(c.field, c.text)
		if !p.widget(c.field).Error || !strings.Contains(p.message(), c.says) {
			t.Errorf("%s %q: says %q", c.field, c.text, p.message())
		}
	}
	if h := p.s.Settings().Hyper; h.LR != 0.01 || h.Momentum != 0.9 || h.Optimizer != train.SGD {
		t.Fatalf("hyperparameters after refusals %+v", h)
	}
	p.commit("lr", "0.05")
	if p.s.Settings().Hyper.LR != 0.05 || p.widget("lr").Error {
		t.Fatalf("a good learning rate was not taken: %+v", p.s.Settings().Hyper)
	}
	// The wheel walks the learning rate along 1, 2, 5.
	p.a.Handle(ui.Event{Type: ui.Wheel, Target: "lr", Delta: 1})
	if lr := p.s.Settings().Hyper.LR; lr != 0.1 {
		t.Fatalf("the wheel up from 0.05 gives %v, want 0.1", lr)
	}
	p.a.Handle(ui.Event{Type: ui.Wheel, Target: "lr", Delta: -2})
	if lr := p.s.Settings().Hyper.LR; lr != 0.02 {
		t.Fatalf("two notches down from 0.1 give %v, want 0.02", lr)
	}
	p.click("tab-network")
	p.commit("filters", "3")
	p.commit("filters", "33")
	if a := p.s.Settings().Arch; a.Filters != 8 || !strings.Contains(p.message(), "4 to 32") {
		t.Fatalf("filters %d, says %q", a.Filters, p.message())
	}
	p.click("tab-compare")
	p.commit("hidden", "100")
	if !strings.Contains(p.message(), "4 to 64") {
		t.Fatalf("hidden 100 says %q", p.message())
	}
	p.click("tab-inside")
	p.settle()
	p.commit("test-image", "120")
	if !strings.Contains(p.message(), "0 to 119") || p.state().TestImage != 0 {
		t.Fatalf("test image 120 of 120: says %q", p.message())
	}
	p.settle()
	// Turning every model off is refused at play.
	p.click("tab-compare", "train-conv", "train-linear", "train-mlp", "play")
	if p.s.Running() || !strings.Contains(p.message(), "No model") {
		t.Fatalf("played with every model off: %q", p.message())
	}
}

// TestTrainingDivergence: a learning rate that diverges pauses training
// at the step it happens, says where, restores the weights of the start
// of that step, and offers a smaller rate that one click applies.
func TestTrainingDivergence(t *testing.T) {
	p := newTrainPage(t, 1280, 800)
	p.click("opt-sgd")
	p.commit("lr", "1000000")
	if lr := p.s.Settings().Hyper.LR; lr != 1e6 {
		t.Fatalf("learning rate %v", lr)
	}
	p.settle()
	var before [][]float32 // before[k]: the filters at the start of step k+1
	steps := 0
	for p.s.View().Diverged == nil {
		if steps == 20 {
			t.Fatal("SGD at learning rate 1e6 did not diverge in 20 steps")
		}
		before = append(before, p.state().Filters.Weights)
		p.click("step-once")
		steps++
		p.until("the step is reported", func() bool {
			c, _ := p.s.View().Model(lesson.TrainConv)
			return p.s.View().Diverged != nil || c.Steps == steps
		})
		p.tick(3)
	}
	d := p.s.View().Diverged
	st := p.state()
	if st.Running || d.Step != steps || d.Restored < 1 || d.Restored > steps || d.Model != lesson.TrainConv {
		t.Fatalf("diverged %+v after %d steps; running %v", d, steps, st.Running)
	}
	// The weights are those from the start of the step named, the last
	// whose update had not yet made them blow up.
	last := before[d.Restored-1]
	if !reflect.DeepEqual(st.Filters.Weights, last) || st.Filters.NonFinite != 0 {
		t.Fatalf("the filters are not those from the start of step %d", d.Restored)
	}
	if !strings.Contains(d.Message, d.LayerName) || !strings.Contains(d.Message, fmt.Sprint(steps)) {
		t.Fatalf("the message %q does not say where", d.Message)
	}
	if !strings.Contains(p.message(), "diverged") {
		t.Fatalf("the page says %q", p.message())
	}
	fix := p.widget("fix-lr")
	if fix.Label != "Try learning rate 100000" {
		t.Fatalf("the fix says %q", fix.Label)
	}
	p.click("fix-lr")
	if p.has("fix-lr") || p.s.Settings().Hyper.LR != 1e5 {
		t.Fatalf("after the fix: lr %v", p.s.Settings().Hyper.LR)
	}
	p.settle()
	if st := p.state(); st.Diverged != nil || st.Settings.Hyper.LR != 1e5 || !reflect.DeepEqual(st.Filters.Weights, last) {
		t.Fatalf("after the fix the session has lr %v, diverged %v", st.Settings.Hyper.LR, st.Diverged)
	}
	// A sane rate trains on from the restored weights.
	p.commit("lr", "0.01")
	p.click("play")
	p.until("training goes on", func() bool {
		c, _ := p.s.View().Model(lesson.TrainConv)
		return c.Steps >= steps+5 || p.s.View().Diverged != nil
	})
	if d := p.s.View().Diverged; d != nil {
		t.Fatalf("after the fix and lr 0.01: %s", d.Message)
	}
	if p.s.View().Diverged != nil {
		t.Fatal("learning rate 0.01 diverged")
	}
}

// TestTrainingStateJSON: the state encodes as JSON with the figures the
// page's tests read.
func TestTrainingStateJSON(t *testing.T) {
	p := newTrainPage(t, 1280, 800)
	p.click("play")
	p.until("a few steps", func() bool { return p.state().Examples >= 100 })
	p.s.SetFPS(42.4)
	b, err := json.Marshal(p.a.State())
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Lesson string `json:"lesson"`
		Detail struct {
			Tab, Where        string
			Running           bool
			Examples, Steps   int
			ExamplesPerSecond float64
			FPS               float64
			TestAccuracy      float64
			Settings          lesson.TrainSettings
			Spec              nn.Spec
			Filters           TrainingFilters
			Ledger            []TrainingLedgerRow
			Models            []TrainingModelState
		} `json:"detail"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	d := st.Detail
	if st.Lesson != "training" || d.Tab != "train" || d.Where != "page" || !d.Running || d.Examples < 100 || d.FPS != 42.4 {
		t.Fatalf("state %s", b)
	}
	if d.Settings != lesson.DefaultTrainSettings() || len(d.Spec.Layers) != 7 || len(d.Ledger) != 7 || len(d.Models) != 3 {
		t.Fatalf("settings %+v, %d layers, %d ledger rows, %d models", d.Settings, len(d.Spec.Layers), len(d.Ledger), len(d.Models))
	}
	if d.Filters.Shape != [4]int{8, 1, 5, 5} || len(d.Filters.Weights) != 200 || len(d.Filters.Bias) != 8 {
		t.Fatalf("filters %v with %d weights", d.Filters.Shape, len(d.Filters.Weights))
	}
	if p.widget("tab-train").On != true {
		t.Fatal("the train tab is not shown as chosen")
	}
}

// TestTrainingPersistence: Encode and Decode carry the tab, the settings
// and the test example; a malformed part changes nothing and says why.
func TestTrainingPersistence(t *testing.T) {
	p := newTrainPage(t, 1280, 800)
	p.click("opt-sgd", "data-colour", "tab-network", "kernel-3", "pad-1", "tab-compare", "train-mlp")
	p.commit("hidden", "24")
	p.click("tab-train")
	p.commit("lr", "0.003")
	p.commit("batch", "32")
	p.commit("seed", "7")
	enc := p.s.Encode()
	want := p.s.Settings()
	if want.Hyper.Decay != 0.01 {
		t.Fatalf("the colour set's weight decay is %v", want.Hyper.Decay)
	}
	q := newTrainPage(t, 1024, 768)
	if err := q.s.Decode(enc); err != nil {
		t.Fatal(err)
	}
	if q.s.Settings() != want || q.s.Tab() != "train" {
		t.Fatalf("decoded %+v, want %+v", q.s.Settings(), want)
	}
	if q.s.Encode() != enc {
		t.Fatalf("re-encoded %q, want %q", q.s.Encode(), enc)
	}
	q.settle()
	if q.s.View().Settings != want || q.s.Pad().C != 3 {
		t.Fatalf("the session took %+v", q.s.View().Settings)
	}
	// The whole page's link round-trips too.
	frag := p.a.Encode()
	r := newTrainPage(t, 1280, 800)
	if err := r.a.Decode(frag); err != nil || r.s.Settings() != want {
		t.Fatalf("page link: %v, %+v", err, r.s.Settings())
	}
	for _, bad := range []string{"", "nowhere~mnist", "train~paper", "train~mnist~f99", "train~mnist~lrx", "train~mnist~zz",
		"train~mnist~b0", "train~mnist~on-q", "train~mnist~k4", "train~mnist~" + strings.Repeat("s1~", 200)} {
		before := q.s.Encode()
		if err := q.s.Decode(bad); err == nil {
			t.Errorf("%q decoded", bad)
		}
		if q.s.Encode() != before {
			t.Errorf("%q changed the state", bad)
		}
	}
	if err := q.s.Decode("inside~mnist~i5"); err != nil || q.s.Tab() != "inside" || q.s.Settings().Data != lesson.TrainMNIST || q.state().TestImage != 5 {
		t.Fatalf("a short link: %v, tab %s, %+v", err, q.s.Tab(), q.s.Settings())
	}
}

// FuzzTrainingDecode: no string makes Decode panic, and what it takes
// encodes back to itself.
func FuzzTrainingDecode(f *testing.F) {
	f.Add("train~mnist~f8~k5~p2~c1~h16~adadelta~lr0.01~b20~m0.9~d5e-05~s1~on-clm~i0")
	f.Add("compare~colour~on-~i3")
	f.Add("try~mnist~lr1e+38~d1")
	s := NewTrainingScreen(nil)
	f.Fuzz(func(t *testing.T, str string) {
		if err := s.Decode(str); err != nil {
			return
		}
		enc := s.Encode()
		if err := s.Decode(enc); err != nil || s.Encode() != enc {
			t.Fatalf("%q encodes as %q, which does not come back: %v", str, enc, err)
		}
	})
}

// TestTrainingDrawing: drawing on the pad sends the picture; the nets'
// answers and the maps of the drawing come back; clearing forgets them.
func TestTrainingDrawing(t *testing.T) {
	p := newTrainPage(t, 1280, 800)
	p.click("load-pretrained")
	p.until("the pretrained weights are in", func() bool { c, _ := p.s.View().Model(lesson.TrainConv); return c.Pretrained })
	p.click("tab-try")
	p.drawStroke()
	// The stroke is a vertical bar down the middle: a 1.
	pix := p.s.Pad().Pix
	if pix[14*28+14] < 0.9 || pix[14*28+3] != 0 {
		t.Fatalf("the stroke did not land in the middle of the pad: %v %v", pix[14*28+14], pix[14*28+3])
	}
	p.until("the drawing is answered", func() bool { return p.state().Drawn != nil })
	st := p.state()
	if st.Drawn.Top[0] != 1 || st.Pretrained == nil || st.Pretrained.Top[0] != 1 {
		t.Fatalf("a vertical bar is read as %+v (pretrained %+v)", st.Drawn, st.Pretrained)
	}
	if !reflect.DeepEqual(st.Drawn, st.Pretrained) {
		t.Fatalf("the live net holds the pretrained weights but answers %+v, the pretrained %+v", st.Drawn, st.Pretrained)
	}
	if d := p.s.View().Drawn; len(d.Maps) != 7 || d.Maps[0].Shape[0] != 8 {
		t.Fatalf("the drawing's maps: %d layers", len(d.Maps))
	}
	p.click("pad-clear")
	p.until("the answer is forgotten", func() bool { return p.state().Drawn == nil })
}

// TestTrainingTabsAndTimelapse: the deck keys walk the tabs; the
// time-lapse scrubber shows earlier filters, the first being the seed's,
// and the replay plays through to the live filters.
func TestTrainingTabsAndTimelapse(t *testing.T) {
	p := newTrainPage(t, 1280, 800)
	for i, tab := range TrainingTabs[1:] {
		p.a.Handle(ui.Event{Type: ui.Key, Key: "ArrowRight"})
		if p.s.Tab() != tab || p.a.Current() != p.s {
			t.Fatalf("after %d presses the tab is %s", i+1, p.s.Tab())
		}
	}
	p.a.Handle(ui.Event{Type: ui.Key, Key: "ArrowRight"})
	if p.a.Current() == p.s {
		t.Fatal("→ on the last tab stayed in the lesson")
	}
	p.a.Show(3)
	for range TrainingTabs[1:] {
		p.a.Handle(ui.Event{Type: ui.Key, Key: "ArrowLeft"})
	}
	if p.s.Tab() != "train" {
		t.Fatalf("← walked back to %s", p.s.Tab())
	}
	first := p.state().Filters
	p.click("play")
	p.until("a few time-lapse frames", func() bool { return len(p.s.View().Snapshots) >= 6 })
	p.click("play")
	p.settle()
	frames := len(p.s.View().Snapshots)
	if w := p.widget("timelapse"); w.Max != float64(frames) || w.Value != float64(frames) {
		t.Fatalf("the scrubber runs to %v and shows %v; %d frames", w.Max, w.Value, frames)
	}
	p.a.Handle(ui.Event{Type: ui.Change, Target: "timelapse", Value: 0})
	if st := p.state(); st.Timelapse != 0 || !strings.Contains(p.message(), "initialisation") {
		t.Fatalf("frame 0: %d, says %q", st.Timelapse, p.message())
	}
	pics := p.s.filterPics()
	if len(pics) != 8 {
		t.Fatalf("%d filter pictures", len(pics))
	}
	// Frame 0 draws the seed's filters.
	for i, pic := range pics {
		want := raster.FilterImage(first.Weights[i*25:(i+1)*25], 1, 5)
		if !reflect.DeepEqual(pic.Img.Pix, want.Pix) {
			t.Fatalf("frame 0, filter %d is not the seed's", i)
		}
	}
	p.click("timelapse-play")
	p.until("the replay ends", func() bool { return !p.s.replaying })
	if st := p.state(); st.Timelapse != -1 {
		t.Fatalf("after the replay the frame is %d", st.Timelapse)
	}
}

// TestTrainingAnimating: the page redraws the lesson when a report
// changed it, not in the frames between, and not at all while nothing
// happens.
func TestTrainingAnimating(t *testing.T) {
	p := newTrainPage(t, 1280, 800)
	p.settle()
	p.s.Animating()
	p.tick(20)
	if p.s.Animating() {
		t.Fatal("the idle lesson asks to be redrawn")
	}
	p.click("play")
	redraws, frames := 0, 0
	for p.state().Examples < 400 {
		p.tick(1)
		frames++
		if p.s.Animating() {
			redraws++
		}
	}
	if redraws == 0 || redraws == frames {
		t.Fatalf("while training %d of %d frames asked to be redrawn", redraws, frames)
	}
}

// TestTrainingRepaintAdapts: while training, the screen repaints less
// often when the page's frame rate falls below its paused rate, and more
// often, down to every report, when the frame rate holds.
func TestTrainingRepaintAdapts(t *testing.T) {
	p := newTrainPage(t, 1280, 800)
	p.commit("batch", "1") // cheap steps: this test counts frames, not learning
	p.s.SetFPS(50)         // paused: the machine's own rate
	p.click("play")
	if p.s.repaintEvery != trainRepaintStart {
		t.Fatalf("starts repainting every %v s", p.s.repaintEvery)
	}
	for _, fps := range []float64{30, 31, 32, 33} {
		p.s.SetFPS(fps)
	}
	if p.s.repaintEvery != trainRepaintMax {
		t.Fatalf("at 60%% of the paused frame rate it repaints every %v s, want %v", p.s.repaintEvery, trainRepaintMax)
	}
	// Few repaints while training on a slow machine: count them.
	p.tick(2)
	start, paints := p.s.now, p.s.paints
	for p.s.now-start < 3 {
		p.tick(1)
	}
	if n := p.s.paints - paints; n > 4 {
		t.Fatalf("%d repaints in 3 s at one a second", n)
	}
	for i := 0; i < 40; i++ {
		p.s.SetFPS(49 + float64(i%2)) // the frame rate holds
	}
	if p.s.repaintEvery != trainRepaintMin {
		t.Fatalf("with the frame rate holding it repaints every %v s, want %v", p.s.repaintEvery, trainRepaintMin)
	}
	// Paused, a busy second does not lower the bar at once (50 before):
	// the paused rate is the best measured lately, and it follows a
	// machine that became slower within seconds.
	p.click("play")
	p.s.SetFPS(20)
	if p.s.idleFPS != 45 {
		t.Fatalf("paused rate %v after one second at 20 fps, want 45 (a tenth off 50)", p.s.idleFPS)
	}
	p.s.SetFPS(48)
	if p.s.idleFPS != 48 {
		t.Fatalf("paused rate %v after a second at 48 fps, want 48", p.s.idleFPS)
	}
	for i := 0; i < 10; i++ {
		p.s.SetFPS(20 + float64(i%2)/10) // SetFPS adapts on a new figure only
	}
	if p.s.idleFPS > 20.1 {
		t.Fatalf("paused rate %v after ten seconds at 20 fps, want 20", p.s.idleFPS)
	}
	// A training second faster than the paused rate raises it: the page
	// was busy when it was measured.
	p.click("play")
	p.s.SetFPS(40)
	if p.s.idleFPS != 40 {
		t.Fatalf("paused rate %v after a training second at 40 fps, want 40", p.s.idleFPS)
	}
	p.s.SetFPS(10)
	if p.s.idleFPS != 40 || p.s.repaintEvery != trainRepaintMax {
		t.Fatalf("after a training second at 10 fps: paused rate %v (want 40), repaints every %v s (want %v)", p.s.idleFPS, p.s.repaintEvery, trainRepaintMax)
	}
}

// workerLink is the test's session link saying that it runs in a worker,
// as the page's does: the screen then paces its ticks instead of taking
// every frame.
type workerLink struct{ *lesson.LocalTrainLink }

func (workerLink) Where() string { return "worker" }

// TestTrainingNextTick: the page runs a frame only when something may
// change. A session in the page trains in every frame's tick; one in a
// worker needs no tick while paused, and while training a report waits
// until the screen is due to repaint, when a tick shows it.
func TestTrainingNextTick(t *testing.T) {
	p := newTrainPage(t, 1280, 800)
	if w := p.s.NextTick(); w != 0 {
		t.Fatalf("a session in the page trains in the frames' ticks: next tick in %v s, want 0", w)
	}
	p.s.link = workerLink{p.link}
	p.tick(2)
	if w, d := p.s.NextTick(), p.s.ReportDelay(); w >= 0 || d != 0 {
		t.Fatalf("paused: next tick in %v s (want none), a report waits %v s (want 0)", w, d)
	}
	if w := p.a.NextTick(false); w >= 0 {
		t.Fatalf("the app, paused, wants a tick in %v s", w)
	}
	if w := p.a.NextTick(true); w != 0 {
		t.Fatalf("the app, animating, wants a tick in %v s, want 0", w)
	}
	p.a.Handle(ui.Event{Type: ui.PointerMove, Target: "play"})
	if w := p.a.NextTick(false); w != ui.TooltipDelay {
		t.Fatalf("pointer on play: the app wants a tick in %v s, want %v for the tooltip", w, ui.TooltipDelay)
	}
	p.a.Handle(ui.Event{Type: ui.PointerLeave, Target: "play"})

	p.commit("batch", "1") // cheap steps
	p.click("play")
	p.until("a report not yet shown while training", func() bool { return p.s.running && p.s.stale })
	w, d := p.s.NextTick(), p.s.ReportDelay()
	if !(w > 0 && w <= p.s.repaintEvery) || d != w {
		t.Fatalf("training, a report not yet shown: next tick in %v s, a report waits %v s; want both in (0, %v]", w, d, p.s.repaintEvery)
	}
	if aw := p.a.NextTick(false); aw != w {
		t.Fatalf("the app wants a tick in %v s, the screen in %v s", aw, w)
	}
	paints := p.s.paints
	p.a.Tick(w / 2)
	if p.s.paints != paints {
		t.Fatalf("repainted %v s before it was due", w/2)
	}
	p.a.Tick(w - w/2)
	if p.s.paints == paints || p.s.stale {
		t.Fatalf("the tick that was asked for did not show the reports (paints %d -> %d, stale %v)", paints, p.s.paints, p.s.stale)
	}
	p.click("play") // pause
	if d := p.s.ReportDelay(); d != 0 {
		t.Fatalf("paused, a report waits %v s, want 0", d)
	}
}

// TestTrainingPretrainedCounts: after the pretrained weights are loaded,
// the figures count the conv net's own examples and steps from there,
// and say the weights were pretrained; the session's total (the other
// models went on) is not shown as the conv net's.
func TestTrainingPretrainedCounts(t *testing.T) {
	p := newTrainPage(t, 1280, 800)
	p.click("step-once", "step-once")
	p.until("two steps", func() bool { c, _ := p.s.conv(); return c.Steps == 2 })
	p.click("load-pretrained")
	p.until("the pretrained weights are in", func() bool { c, _ := p.s.conv(); return c.Pretrained })
	p.click("step-once")
	p.until("a step on the pretrained weights", func() bool { c, _ := p.s.conv(); return c.Pretrained && c.Steps == 1 })
	p.tick(2)
	batch := p.s.settings.Hyper.Batch
	want := map[string]bool{
		fmt.Sprintf("pretrained + %d · step 1", batch): false,
		fmt.Sprintf("%d seen · ", batch):               false,
	}
	for _, mk := range p.s.Marks() {
		for w := range want {
			if mk.Kind == TextMark && strings.HasPrefix(mk.Text, w) {
				want[w] = true
			}
		}
	}
	for w, ok := range want {
		if !ok {
			var texts []string
			for _, mk := range p.s.Marks() {
				if mk.Kind == TextMark {
					texts = append(texts, mk.Text)
				}
			}
			t.Errorf("no text starting %q on the train tab (the session has seen %d examples): %q", w, p.s.view.Examples, texts)
		}
	}
}
