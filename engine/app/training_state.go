package app

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"convlab/engine/lesson"
	"convlab/engine/nn"
)

// TrainingState is the lesson's snapshot for window.convlab.state().detail.
type TrainingState struct {
	Tab string `json:"tab"`
	// Where says where the session runs: "worker", "page", "starting" or
	// "idle" (before the lesson was first shown).
	Where    string               `json:"where"`
	Settings lesson.TrainSettings `json:"settings"` // as the controls show them
	Spec     nn.Spec              `json:"spec"`     // the conv net they describe
	Ledger   []TrainingLedgerRow  `json:"ledger"`   // its per-layer ledger
	// Running is what the page shows, which follows a click at once;
	// Training is what the session last reported (it may still finish a
	// round after a pause, or take a moment to start).
	Running  bool `json:"running"`
	Training bool `json:"training"`
	// Steps, Examples, Loss, TrainAccuracy, TestAccuracy and TestExact are
	// the conv net's (see lesson.TrainModelReport); −1 accuracies before any.
	Steps             int     `json:"steps"`
	Examples          int     `json:"examples"` // examples of every step taken, once per step
	Loss              float64 `json:"loss"`
	TrainAccuracy     float64 `json:"trainAccuracy"`
	TestAccuracy      float64 `json:"testAccuracy"`
	TestExact         bool    `json:"testExact"`
	ExamplesPerSecond float64 `json:"examplesPerSecond"`
	FPS               float64 `json:"fps"`
	// RepaintSeconds is the least time between two repaints for reports
	// while training, as the screen has adapted it to the machine.
	RepaintSeconds float64 `json:"repaintSeconds"`
	// Models are every model's figures: conv, linear, mlp.
	Models []TrainingModelState `json:"models"`
	// Filters are the conv net's first-layer filters as last reported.
	Filters *TrainingFilters `json:"filters"`
	// Timelapse is the frame of the time-lapse shown (−1: the live
	// filters) and how many frames there are.
	Timelapse  int            `json:"timelapse"`
	Frames     int            `json:"frames"`
	TestImage  int            `json:"testImage"`
	Prediction *TrainingGuess `json:"prediction,omitempty"` // the conv net's answer for the test image
	// Drawn is the conv net's answer for the drawing on the pad; nil when
	// the pad is blank.
	Drawn      *TrainingGuess `json:"drawn,omitempty"`
	Pretrained *TrainingGuess `json:"pretrained,omitempty"` // the pretrained net's answer for the drawing
	// Diverged says where training broke down, while it is paused after it.
	Diverged *lesson.TrainDivergence `json:"diverged,omitempty"`
	// Error is the refusal a field is showing, and Field that field.
	Field string `json:"field,omitempty"`
	Error string `json:"error,omitempty"`
}

// TrainingModelState is one model's figures.
type TrainingModelState struct {
	Name          string  `json:"name"`
	On            bool    `json:"on"`
	Params        int     `json:"params"`
	Steps         int     `json:"steps"`
	Examples      int     `json:"examples"`
	Loss          float64 `json:"loss"`
	TrainAccuracy float64 `json:"trainAccuracy"`
	TestAccuracy  float64 `json:"testAccuracy"`
	Pretrained    bool    `json:"pretrained"`
}

// TrainingFilters are first-layer filters as plain numbers: Weights is
// (F, C, K, K) flattened, index ((f·C + c)·K + y)·K + x. A value that is
// not finite (never reported after a divergence, whose weights are
// restored) is written as 0 and counted in NonFinite, since JSON has no NaN.
type TrainingFilters struct {
	Shape     [4]int    `json:"shape"`
	Weights   []float32 `json:"weights"`
	Bias      []float32 `json:"bias"`
	Examples  int       `json:"examples"`
	NonFinite int       `json:"nonFinite,omitempty"`
}

// TrainingLedgerRow is one line of the ledger as the state reports it.
type TrainingLedgerRow struct {
	Layer        string `json:"layer"`
	Output       string `json:"output"`
	Weight       string `json:"weight,omitempty"`
	Params       int    `json:"params"`
	MultiplyAdds int    `json:"multiplyAdds"`
}

// TrainingGuess is a net's answer: its three most probable classes, most
// probable first, and their probabilities.
type TrainingGuess struct {
	Label int       `json:"label"` // the true class; −1 for a drawing
	Top   []int     `json:"top"`
	Probs []float64 `json:"probs"`
}

// State returns the snapshot window.convlab.state() reports.
func (s *TrainingScreen) State() any {
	v := &s.view
	st := TrainingState{Tab: s.tab, Where: s.whereNow(), Settings: s.settings, Running: s.running, Training: v.Running,
		Examples: v.Examples, ExamplesPerSecond: v.ExamplesPerSecond, FPS: s.fps, RepaintSeconds: s.repaintEvery, Loss: math.NaN(),
		TrainAccuracy: -1, TestAccuracy: -1, Timelapse: s.lapse, Frames: len(v.Snapshots),
		TestImage: s.testImage, Diverged: v.Diverged, Ledger: []TrainingLedgerRow{}, Models: []TrainingModelState{}}
	if spec, err := s.settings.Spec(lesson.TrainConv); err == nil {
		st.Spec = spec
	}
	if rows, err := lesson.TrainLedger(s.settings); err == nil {
		for _, r := range rows {
			st.Ledger = append(st.Ledger, TrainingLedgerRow{Layer: r.Name, Output: trainShape(r.Output),
				Weight: trainShape(r.Weight), Params: r.Params, MultiplyAdds: r.MultiplyAdds})
		}
	}
	for _, m := range v.Models {
		st.Models = append(st.Models, TrainingModelState{Name: m.Name, On: m.On, Params: m.Params, Steps: m.Steps,
			Examples: m.Examples, Loss: finiteOr(m.Loss, -1), TrainAccuracy: m.TrainAccuracy, TestAccuracy: m.TestAccuracy,
			Pretrained: m.Pretrained})
		if m.Name == lesson.TrainConv {
			st.Steps, st.Loss, st.TrainAccuracy, st.TestAccuracy, st.TestExact = m.Steps, m.Loss, m.TrainAccuracy, m.TestAccuracy, m.TestExact
		}
	}
	st.Loss = finiteOr(st.Loss, -1)
	if f := v.Filters; f != nil {
		tf := &TrainingFilters{Shape: f.Shape, Examples: f.Examples}
		tf.Weights, tf.NonFinite = finiteCopy(f.Weights)
		var n int
		tf.Bias, n = finiteCopy(f.Bias)
		tf.NonFinite += n
		st.Filters = tf
	}
	if mp := v.Maps; mp != nil && mp.Index == s.testImage {
		st.Prediction = trainGuessOf(mp.Label, mp.Probs)
	}
	if d := v.Drawn; d != nil && len(d.Input.Values) > 0 {
		st.Drawn = trainGuessOf(-1, d.Conv)
		if len(d.Pretrained) > 0 {
			st.Pretrained = trainGuessOf(-1, d.Pretrained)
		}
	}
	if s.errField != "" {
		st.Field, st.Error = s.errField, s.errText
	}
	return st
}

// finiteOr returns v, or alt when v is NaN or infinite.
func finiteOr(v, alt float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return alt
	}
	return v
}

// finiteCopy copies vs, writing values that are not finite as 0, and
// counts them.
func finiteCopy(vs []float32) ([]float32, int) {
	out := make([]float32, len(vs))
	bad := 0
	for i, v := range vs {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			bad++
			continue
		}
		out[i] = v
	}
	return out, bad
}

// trainGuessOf returns the top three of probs.
func trainGuessOf(label int, probs []float32) *TrainingGuess {
	g := &TrainingGuess{Label: label}
	for _, c := range trainTop(probs, 3) {
		g.Top = append(g.Top, c)
		g.Probs = append(g.Probs, finiteOr(float64(probs[c]), 0))
	}
	return g
}

// trainTop returns the indices of the n largest values of p, largest
// first (ties: the lower index first; NaN counts as smallest).
func trainTop(p []float32, n int) []int {
	var top []int
	for len(top) < min(n, len(p)) {
		best := -1
		for i, v := range p {
			taken := false
			for _, t := range top {
				taken = taken || t == i
			}
			if taken {
				continue
			}
			if best < 0 || v > p[best] || (p[best] != p[best] && v == v) {
				best = i
			}
		}
		top = append(top, best)
	}
	return top
}

// trainShape writes a shape as "8 x 24 x 24"; "" for none.
func trainShape(sh []int) string {
	parts := make([]string, len(sh))
	for i, v := range sh {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, " x ")
}

// Encode returns the tab on show, the settings and the chosen test
// example, for the share link and the browser's storage (the weights are
// not kept: training starts afresh from the seed). The form is words
// joined by "~", which a link keeps as they are:
//
//	train~mnist~f8~k5~p2~c1~h16~adadelta~lr0.01~b20~m0.9~d5e-05~s1~on-clm~i0
func (s *TrainingScreen) Encode() string {
	st := s.settings
	a, h := st.Arch, st.Hyper
	on := ""
	for _, m := range []struct {
		on bool
		c  string
	}{{st.Models.Conv, "c"}, {st.Models.Linear, "l"}, {st.Models.MLP, "m"}} {
		if m.on {
			on += m.c
		}
	}
	conv2 := "0"
	if a.Conv2 {
		conv2 = "1"
	}
	f := func(v float32) string { return strconv.FormatFloat(float64(v), 'g', -1, 32) }
	return strings.Join([]string{s.tab, st.Data,
		"f" + strconv.Itoa(a.Filters), "k" + strconv.Itoa(a.Kernel), "p" + strconv.Itoa(a.Pad), "c" + conv2,
		"h" + strconv.Itoa(a.Hidden), h.Optimizer, "lr" + f(h.LR), "b" + strconv.Itoa(h.Batch),
		"m" + f(h.Momentum), "d" + f(h.Decay), "s" + strconv.FormatInt(h.Seed, 10), "on-" + on,
		"i" + strconv.Itoa(s.testImage)}, "~")
}

// Decode restores what Encode wrote; words left out keep their defaults.
// A malformed string, or settings the lesson cannot train, change nothing
// and the error says why.
func (s *TrainingScreen) Decode(str string) error {
	if len(str) > 400 {
		return fmt.Errorf("the training part of the link is %d characters long: it cannot be ConvLab's", len(str))
	}
	words := strings.Split(str, "~")
	if len(words) < 2 || trainTabIndex(words[0]) < 0 {
		return fmt.Errorf("the training part of the link should start with one of %s", strings.Join(TrainingTabs, ", "))
	}
	st := lesson.DefaultTrainSettings()
	st.Data = words[1]
	if st.Data == lesson.TrainColour {
		st.Hyper.Decay = trainDefaultDecay(st.Data)
	}
	image := 0
	for _, w := range words[2:] {
		if err := trainDecodeWord(w, &st, &image); err != nil {
			return fmt.Errorf("the training part of the link: %w", err)
		}
	}
	if err := st.Check(); err != nil {
		return fmt.Errorf("the training settings in the link cannot train: %w", err)
	}
	if image < 0 || image > 100000 {
		return fmt.Errorf("the training part of the link names test example %d", image)
	}
	s.tab, s.settings, s.testImage, s.errField, s.lapse = words[0], st, image, "", -1
	s.hold = trainHold{}
	s.syncPad()
	if s.started {
		s.started = false // the next Tick sends the restored settings
	}
	s.refresh()
	return nil
}

// trainDecodeWord reads one word of an encoded state into st (or image).
func trainDecodeWord(w string, st *lesson.TrainSettings, image *int) error {
	num := func(s string) (float32, error) {
		v, err := strconv.ParseFloat(s, 32)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%q is not a number", w)
		}
		return float32(v), nil
	}
	whole := func(s string) (int, error) {
		v, err := strconv.Atoi(s)
		if err != nil {
			return 0, fmt.Errorf("%q is not a whole number", w)
		}
		return v, nil
	}
	var err error
	a, h := &st.Arch, &st.Hyper
	switch {
	case w == "sgd" || w == "adam" || w == "adadelta":
		h.Optimizer = w
	case strings.HasPrefix(w, "on-"):
		m := strings.TrimPrefix(w, "on-")
		if strings.Trim(m, "clm") != "" {
			return fmt.Errorf("%q names models other than c, l and m", w)
		}
		st.Models = lesson.TrainModels{Conv: strings.Contains(m, "c"), Linear: strings.Contains(m, "l"), MLP: strings.Contains(m, "m")}
	case strings.HasPrefix(w, "lr"):
		h.LR, err = num(w[2:])
	case strings.HasPrefix(w, "f"):
		a.Filters, err = whole(w[1:])
	case strings.HasPrefix(w, "k"):
		a.Kernel, err = whole(w[1:])
	case strings.HasPrefix(w, "p"):
		a.Pad, err = whole(w[1:])
	case w == "c0" || w == "c1":
		a.Conv2 = w == "c1"
	case strings.HasPrefix(w, "h"):
		a.Hidden, err = whole(w[1:])
	case strings.HasPrefix(w, "b"):
		h.Batch, err = whole(w[1:])
	case strings.HasPrefix(w, "m"):
		h.Momentum, err = num(w[1:])
	case strings.HasPrefix(w, "d"):
		h.Decay, err = num(w[1:])
	case strings.HasPrefix(w, "s"):
		var n int
		n, err = whole(w[1:])
		h.Seed = int64(n)
	case strings.HasPrefix(w, "i"):
		*image, err = whole(w[1:])
	default:
		return fmt.Errorf("%q is not a setting of the training lesson", w)
	}
	return err
}
