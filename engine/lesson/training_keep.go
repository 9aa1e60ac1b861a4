package lesson

import (
	"errors"
	"fmt"
	"math"
	"time"

	"convlab/engine/nn"
	"convlab/engine/train"
)

// TrainSaveEvery is the most training time between two reports that carry
// the weights (TrainReport.Saved) while the session plays.
const TrainSaveEvery = 10 * time.Second

// TrainSaved is what a session needs to go on where it stopped: the
// settings, every model's weights and how far each has trained. It is
// plain JSON (the weights travel as base64), small enough for the
// browser's storage: the three models of the defaults hold 21,166 values,
// about 114 KB as JSON; the largest architecture the controls allow, on
// the colour set, 149,394 values, about 800 KB.
type TrainSaved struct {
	Settings TrainSettings `json:"settings"`
	// Examples counts the minibatch examples of every step taken, once
	// per step (TrainReport.Examples).
	Examples int               `json:"examples"`
	Models   []TrainSavedModel `json:"models"` // conv, linear, mlp
	// Timelapse is the conv net's filter time-lapse (see TrainSnapshot),
	// and TimelapseRatio the growth of the gap between its frames.
	Timelapse      []TrainSnapshot `json:"timelapse,omitempty"`
	TimelapseRatio float64         `json:"timelapseRatio,omitempty"`
}

// TrainSavedModel is one model's weights and training so far.
type TrainSavedModel struct {
	Name       string `json:"name"`    // TrainConv, TrainLinear or TrainMLP
	Weights    []byte `json:"weights"` // the net in nn's weights format (nn.Net.Marshal)
	Steps      int    `json:"steps"`
	Examples   int    `json:"examples"` // training examples seen
	Pretrained bool   `json:"pretrained,omitempty"`
	// Loss and Accuracy are the smoothed training loss and accuracy.
	Loss     float64 `json:"loss"`
	Accuracy float64 `json:"accuracy"`
	// Curve is the model's curve, a point every CurveEvery examples.
	Curve      []TrainPoint `json:"curve,omitempty"`
	CurveEvery int          `json:"curveEvery,omitempty"`
}

// Saved returns the session's settings and weights now.
func (t *TrainSession) Saved() *TrainSaved {
	sv := &TrainSaved{Settings: t.settings, Examples: t.examples, TimelapseRatio: t.snapRatio,
		Timelapse: append([]TrainSnapshot(nil), t.snapshots...)}
	for _, m := range t.models {
		st := m.stats()
		sv.Models = append(sv.Models, TrainSavedModel{Name: m.name, Weights: m.net.Marshal(), Steps: st.Steps,
			Examples: st.Examples, Pretrained: m.pretrained, Loss: st.Loss, Accuracy: st.Accuracy,
			Curve: append([]TrainPoint(nil), m.curve...), CurveEvery: m.curveEvery})
	}
	return sv
}

// restore carries out TrainOpRestore: it checks the whole of sv against
// the settings in force (the same data set and architecture) and against
// itself (weights that read, fit the architecture and are finite), and
// only then pauses, applies sv's settings as the settings command does and
// loads the weights as the pretrained weights are loaded. Anything wrong
// refuses it, changing nothing.
func (t *TrainSession) restore(sv *TrainSaved) error {
	loads, err := t.checkSaved(sv)
	if err != nil {
		return t.refuse(fmt.Errorf("your saved weights were not restored: %w", err))
	}
	t.running = false
	if err := t.setSettings(sv.Settings); err != nil {
		return err
	}
	if err := t.install(loads); err != nil {
		return t.refuse(fmt.Errorf("your saved weights were not restored: %w", err))
	}
	if len(sv.Timelapse) > 0 {
		t.snapshots, t.snapRatio = append([]TrainSnapshot(nil), sv.Timelapse...), sv.TimelapseRatio
		conv := t.models[0].stats()
		t.snapNext = conv.Examples + int(max(float64(conv.Examples)*(t.snapRatio-1), float64(sv.Settings.Hyper.Batch)))
	}
	t.examples = sv.Examples
	t.rateAt, t.rateExamples = t.clock(), t.examples
	t.savedVer, t.savedAt = t.ver, t.clock() // what is saved is what was restored
	t.say("Restored your trained weights: %s examples seen.", Thousands(sv.Examples))
	return nil
}

// checkSaved returns the loads sv asks for, or why it cannot be restored.
func (t *TrainSession) checkSaved(sv *TrainSaved) ([]trainLoad, error) {
	if sv == nil {
		return nil, errors.New("the restore command carries nothing")
	}
	s, now := sv.Settings, t.settings
	if err := s.Check(); err != nil {
		return nil, fmt.Errorf("their settings: %w", err)
	}
	if s.Data != now.Data {
		return nil, fmt.Errorf("they were trained on %s, and the lesson is set to %s", trainDataTitle(s.Data), trainDataTitle(now.Data))
	}
	if s.Arch != now.Arch {
		return nil, fmt.Errorf("they are for another architecture (%s), and the lesson is set to %s", archWords(s.Arch), archWords(now.Arch))
	}
	if sv.Examples < 0 {
		return nil, fmt.Errorf("they count %d examples seen", sv.Examples)
	}
	names := TrainModelNames()
	if len(sv.Models) != len(names) {
		return nil, fmt.Errorf("they hold %d models, not %d", len(sv.Models), len(names))
	}
	loads := make([]trainLoad, len(names))
	for i, name := range names {
		m := sv.Models[i]
		if m.Name != name {
			return nil, fmt.Errorf("model %d is %q, not %q", i+1, m.Name, name)
		}
		net, err := nn.Unmarshal(m.Weights)
		if err != nil {
			return nil, fmt.Errorf("those of %s cannot be read: %w", trainModelTitle(name), err)
		}
		if ok, err := netFits(s, name, net); err != nil || !ok {
			return nil, fmt.Errorf("those of %s are for another network than the settings build", trainModelTitle(name))
		}
		st := train.Stats{Steps: m.Steps, Examples: m.Examples, Loss: m.Loss, Accuracy: m.Accuracy}
		if m.Steps < 0 || m.Examples < 0 || math.IsNaN(m.Loss) || math.IsInf(m.Loss, 0) || m.Loss < 0 || !(m.Accuracy >= 0 && m.Accuracy <= 1) {
			return nil, fmt.Errorf("the training figures of %s are impossible (%d steps, %d examples, loss %v, accuracy %v)",
				trainModelTitle(name), m.Steps, m.Examples, m.Loss, m.Accuracy)
		}
		if err := checkCurve(m.Curve, m.CurveEvery); err != nil {
			return nil, fmt.Errorf("the curve of %s %w", trainModelTitle(name), err)
		}
		loads[i] = trainLoad{name: name, net: net, stats: st, pretrained: m.Pretrained,
			curve: append([]TrainPoint(nil), m.Curve...), curveEvery: m.CurveEvery}
	}
	if err := checkTimelapse(sv, loads[0].net); err != nil {
		return nil, fmt.Errorf("the time-lapse %w", err)
	}
	return loads, nil
}

// checkCurve says what is wrong with a saved curve, if anything: more
// than TrainCurveMax points, examples that go back, figures that are not
// finite or out of range, or no spacing.
func checkCurve(c []TrainPoint, every int) error {
	if len(c) == 0 {
		return nil
	}
	if len(c) > TrainCurveMax || every < TrainCurveFirst {
		return fmt.Errorf("has %d points, one every %d examples: at most %d, at least %d apart", len(c), every, TrainCurveMax, TrainCurveFirst)
	}
	for i, p := range c {
		if i > 0 && p.Examples < c[i-1].Examples || p.Examples < 0 {
			return fmt.Errorf("goes back from %d examples to %d", c[max(i-1, 0)].Examples, p.Examples)
		}
		if !finite32(p.Loss) || p.Loss < 0 || !(p.Train >= 0 && p.Train <= 1) || !(p.Test >= -1 && p.Test <= 1) {
			return fmt.Errorf("has an impossible point at %d examples (loss %v, accuracy %v, test %v)", p.Examples, p.Loss, p.Train, p.Test)
		}
	}
	return nil
}

// checkTimelapse says what is wrong with a saved time-lapse of conv's
// first-layer filters, if anything.
func checkTimelapse(sv *TrainSaved, conv *nn.Net) error {
	frames := sv.Timelapse
	if len(frames) == 0 {
		return nil
	}
	c := conv.FirstConv()
	if c == nil {
		return errors.New("is of a net without a conv layer")
	}
	if n := len(frames); n > TrainSnapshotsMax || !(sv.TimelapseRatio >= 1.25 && sv.TimelapseRatio < 1e6) {
		return fmt.Errorf("has %d frames, spaced by %v: at most %d, spaced by 1.25 or more", n, sv.TimelapseRatio, TrainSnapshotsMax)
	}
	for i, f := range frames {
		if len(f.Weights) != len(c.W.Data) {
			return fmt.Errorf("frame %d holds %d values; the filters have %d", i+1, len(f.Weights), len(c.W.Data))
		}
		if i > 0 && f.Examples < frames[i-1].Examples || f.Examples < 0 {
			return fmt.Errorf("frame %d goes back to %d examples", i+1, f.Examples)
		}
		for _, v := range f.Weights {
			if !finite32(v) {
				return fmt.Errorf("frame %d holds %v", i+1, v)
			}
		}
	}
	return nil
}

// finite32 reports whether v is neither NaN nor infinite.
func finite32(v float32) bool { return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) }

// archWords describes an architecture in a few words.
func archWords(a TrainArch) string {
	w := fmt.Sprintf("%d first-layer filters %dx%d, pad %d", a.Filters, a.Kernel, a.Kernel, a.Pad)
	if a.Conv2 {
		w += ", a second conv layer"
	} else {
		w += ", no second conv layer"
	}
	return w + fmt.Sprintf(", an MLP of %d hidden units", a.Hidden)
}
