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
}

// Saved returns the session's settings and weights now.
func (t *TrainSession) Saved() *TrainSaved {
	sv := &TrainSaved{Settings: t.settings, Examples: t.examples}
	for _, m := range t.models {
		st := m.stats()
		sv.Models = append(sv.Models, TrainSavedModel{Name: m.name, Weights: m.net.Marshal(), Steps: st.Steps,
			Examples: st.Examples, Pretrained: m.pretrained, Loss: st.Loss, Accuracy: st.Accuracy})
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
		loads[i] = trainLoad{name: name, net: net, stats: st, pretrained: m.Pretrained}
	}
	return loads, nil
}

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
