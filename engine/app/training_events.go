package app

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"convlab/engine/lesson"
	"convlab/engine/train"
	"convlab/engine/ui"
)

// trainInk is one ink of the colour pad.
type trainInk struct {
	name  string
	label string
	rgb   [3]float32
}

// trainInks are the colour pad's inks: light and dark for edges, and the
// two colour-opponent pairs the colour set is made of.
var trainInks = []trainInk{
	{"black", "Black ink", [3]float32{0, 0, 0}},
	{"white", "White ink", [3]float32{1, 1, 1}},
	{"red", "Red ink", [3]float32{0.85, 0.15, 0.15}},
	{"green", "Green ink", [3]float32{0.15, 0.65, 0.2}},
	{"blue", "Blue ink", [3]float32{0.15, 0.3, 0.9}},
	{"yellow", "Yellow ink", [3]float32{0.95, 0.85, 0.1}},
}

// Handle acts on one event aimed at the screen's widgets.
func (s *TrainingScreen) Handle(ev ui.Event, say *ui.Announcer) bool {
	if s.say == nil {
		s.say = say
	}
	used, changed := s.handle(ev, say)
	if changed {
		s.refresh()
	}
	return used
}

// handle reports whether the event was used and whether the screen changed.
func (s *TrainingScreen) handle(ev ui.Event, say *ui.Announcer) (used, changed bool) {
	name := ev.Target
	switch ev.Type {
	case ui.Click:
		return s.click(name, say)
	case ui.Commit:
		return s.commit(name, ev.Text, say)
	case ui.Cancel:
		if s.errField == name {
			s.errField = ""
			return true, true
		}
		return true, false
	case ui.Wheel:
		return s.wheel(name, ev.Delta, say)
	case ui.Change:
		if name == "timelapse" {
			s.setLapse(int(math.Round(ev.Value)), say)
			s.replaying = false
			return true, true
		}
	case ui.PointerDown, ui.PointerMove, ui.PointerUp, ui.PointerLeave:
		if name == "pad" {
			return s.padEvent(ev, say)
		}
	}
	return false, false
}

// click acts on a click of a button, toggle, choice or cell.
func (s *TrainingScreen) click(name string, say *ui.Announcer) (used, changed bool) {
	st := s.settings
	switch {
	case name == "play":
		if s.running {
			s.send(lesson.TrainCommand{Op: lesson.TrainOpPause})
			s.running = false
			say.Say(fmt.Sprintf("Paused after %s examples.", fcCount(s.view.Examples)))
		} else {
			if !st.Models.Conv && !st.Models.Linear && !st.Models.MLP {
				say.Say("No model is set to train: turn one on in Compare.")
				return true, false
			}
			s.send(lesson.TrainCommand{Op: lesson.TrainOpPlay})
			s.running = true
			s.lapse, s.replaying = -1, false
			say.Say("Training " + trainModelsWords(st.Models) + " on " + trainDataWords(st.Data) + ".")
		}
		s.hold.running = s.now + trainHoldFor
		return true, true
	case name == "step-once":
		s.send(lesson.TrainCommand{Op: lesson.TrainOpStep})
		s.running, s.hold.running = false, s.now+trainHoldFor
		s.lapse, s.replaying = -1, false
		say.Say(fmt.Sprintf("One step: %d examples.", st.Hyper.Batch))
		return true, true
	case name == "reset":
		s.send(lesson.TrainCommand{Op: lesson.TrainOpReset})
		s.running, s.hold.running = false, s.now+trainHoldFor
		s.lapse, s.replaying = -1, false
		say.Say("Reset: every model starts afresh from seed " + strconv.FormatInt(st.Hyper.Seed, 10) + ".")
		return true, true
	case name == "fix-lr":
		d := s.view.Diverged
		if d == nil || d.Fix == nil {
			return true, false
		}
		s.send(lesson.TrainCommand{Op: lesson.TrainOpFix})
		s.settings.Hyper = *d.Fix
		s.hold.settings = s.now + trainHoldFor
		s.view.Diverged = nil // the session clears it; its next report confirms
		s.errField = ""
		say.Say("Set " + trainFixWhat(d) + ". Press play to go on from the restored weights.")
		return true, true
	case name == "load-pretrained":
		s.send(lesson.TrainCommand{Op: lesson.TrainOpPretrained})
		s.running, s.hold.running = false, s.now+trainHoldFor
		s.lapse, s.replaying = -1, false
		say.Say("Loading the pretrained weights into the live conv net…")
		return true, true
	case name == "test-image-prev" || name == "test-image-next":
		n := max(s.view.TestSize, 1)
		d := 1
		if name == "test-image-prev" {
			d = n - 1
		}
		s.chooseTestImage((s.testImage+d)%n, say)
		return true, true
	case name == "timelapse-play":
		s.replaying = !s.replaying
		if s.replaying {
			if s.lapse < 0 || s.lapse >= len(s.view.Snapshots)-1 {
				s.lapse = 0
			}
			s.replayAt = s.now
			say.Say("Replaying how the filters changed since initialisation.")
		} else {
			say.Say("Time-lapse stopped at " + s.lapseWords() + ".")
		}
		return true, true
	case name == "pad-clear":
		s.pad.Clear()
		s.padVer++
		s.padNew = false
		s.send(lesson.TrainCommand{Op: lesson.TrainOpPredict})
		say.Say("The pad is clear.")
		return true, true
	case name == "conv2":
		st.Arch.Conv2 = !st.Arch.Conv2
		return true, s.change(st, map[bool]string{true: "Second conv block on.", false: "Second conv block off."}[st.Arch.Conv2], say)
	}
	if t, ok := strings.CutPrefix(name, "tab-"); ok && trainTabIndex(t) >= 0 {
		s.showTab(t, say)
		return true, false
	}
	if d, ok := strings.CutPrefix(name, "data-"); ok {
		if d == st.Data {
			return true, false
		}
		st.Data = d
		st.Hyper.Decay = trainDefaultDecay(d)
		return true, s.change(st, fmt.Sprintf("Training on %s; weight decay set to %s, this data set's default.",
			trainDataWords(d), lesson.FormatNumber(st.Hyper.Decay)), say)
	}
	if o, ok := strings.CutPrefix(name, "opt-"); ok {
		if o == st.Hyper.Optimizer {
			return true, false
		}
		st.Hyper.Optimizer = o
		words := "Optimizer Adadelta: it adapts its own step sizes."
		if lr, ok := trainDefaultLR[o]; ok {
			st.Hyper.LR = lr
			words = fmt.Sprintf("Optimizer %s, learning rate %s.", trainOptimizerName(o), lesson.FormatNumber(lr))
		}
		return true, s.change(st, words, say)
	}
	if k, ok := strings.CutPrefix(name, "kernel-"); ok {
		kv, err := strconv.Atoi(k)
		if err != nil || kv == st.Arch.Kernel {
			return true, false
		}
		st.Arch.Kernel = kv
		words := fmt.Sprintf("First-layer filters of %dx%d.", kv, kv)
		if st.Check() != nil {
			// Keep the maps' size where the old padding cannot work.
			st.Arch.Pad = (kv - 1) / 2
			words = fmt.Sprintf("First-layer filters of %dx%d, padding %d to keep the maps %d x %d.", kv, kv, st.Arch.Pad, lesson.TrainCrop, lesson.TrainCrop)
		}
		return true, s.change(st, words, say)
	}
	if p, ok := strings.CutPrefix(name, "pad-"); ok {
		pv, err := strconv.Atoi(p)
		if err != nil || pv == st.Arch.Pad {
			return true, false
		}
		st.Arch.Pad = pv
		return true, s.change(st, fmt.Sprintf("First-layer padding %d.", pv), say)
	}
	if m, ok := strings.CutPrefix(name, "train-"); ok {
		on := !st.Models.On(m)
		switch m {
		case lesson.TrainConv:
			st.Models.Conv = on
		case lesson.TrainLinear:
			st.Models.Linear = on
		case lesson.TrainMLP:
			st.Models.MLP = on
		default:
			return false, false
		}
		words := trainTitle(trainModelWords(m)) + map[bool]string{true: " trains.", false: " stops training; it keeps its weights."}[on]
		return true, s.change(st, words, say)
	}
	if g, ok := strings.CutPrefix(name, "gallery-"); ok {
		i, err := strconv.Atoi(g)
		if idx := s.galleryIndex(i); err == nil && idx >= 0 {
			s.chooseTestImage(idx, say)
			s.tab = "inside"
			return true, true
		}
		return true, false
	}
	if k, ok := strings.CutPrefix(name, "ink-"); ok {
		for i, ink := range trainInks {
			if ink.name == k && s.pad.C == 3 {
				s.ink = i
				_ = s.pad.SetInk(ink.rgb[:]...)
				say.Say(ink.label + ".")
				return true, true
			}
		}
	}
	return false, false
}

// trainDefaultLR are the learning rates an optimizer starts with when it is
// chosen (Adadelta has none).
var trainDefaultLR = map[string]float32{train.SGD: 0.01, train.Adam: 0.001}

// trainDefaultDecay returns a data set's weight decay: the ConvNetJS
// demo's for the digits; for the colour patterns a stronger one, under
// which the first-layer filters settle into clean edge and colour-opponent
// detectors.
func trainDefaultDecay(set string) float32 {
	if set == lesson.TrainColour {
		return 0.01
	}
	return lesson.DefaultTrainSettings().Hyper.Decay
}

// trainOptimizerName writes an optimizer's name as people do.
func trainOptimizerName(o string) string {
	switch o {
	case train.SGD:
		return "SGD"
	case train.Adam:
		return "Adam"
	}
	return "Adadelta"
}

// trainModelsWords names the models that train.
func trainModelsWords(m lesson.TrainModels) string {
	var on []string
	for _, name := range lesson.TrainModelNames() {
		if m.On(name) {
			on = append(on, trainModelWords(name))
		}
	}
	switch len(on) {
	case 0:
		return "nothing"
	case 1:
		return on[0]
	}
	return strings.Join(on[:len(on)-1], ", ") + " and " + on[len(on)-1]
}

// change sends new settings if the lesson can train with them and says
// what changed; otherwise it says why not and changes nothing. It reports
// whether the settings changed.
func (s *TrainingScreen) change(next lesson.TrainSettings, words string, say *ui.Announcer) bool {
	if err := next.Check(); err != nil {
		say.Say("Not changed: " + err.Error() + ".")
		return false
	}
	old := s.settings
	restart := next.Data != old.Data || next.Arch != old.Arch || next.Hyper.Seed != old.Hyper.Seed
	s.settings = next
	s.hold.settings = s.now + trainHoldFor
	s.errField = ""
	set := next
	s.send(lesson.TrainCommand{Op: lesson.TrainOpSettings, Settings: &set})
	if restart {
		s.lapse, s.replaying = -1, false
		words += " Every model starts afresh from the seed."
	}
	s.syncPad()
	say.Say(strings.TrimSpace(words))
	return true
}

// chooseTestImage asks for test example i's maps.
func (s *TrainingScreen) chooseTestImage(i int, say *ui.Announcer) {
	s.testImage = i
	s.hold.testImage = s.now + trainHoldFor
	if s.errField == "test-image" {
		s.errField = ""
	}
	s.send(lesson.TrainCommand{Op: lesson.TrainOpTestImage, Index: i})
	say.Say(fmt.Sprintf("Test example %d.", i))
}

// trainField is a number field of a setting: its range, whether it takes
// whole numbers only, its name in a sentence, and how to read and set it.
type trainField struct {
	lo, hi float64
	whole  bool
	what   string
	get    func(*lesson.TrainSettings) float64
	set    func(*lesson.TrainSettings, float64)
}

// trainFields are the settings' number fields, by widget name.
var trainFields = map[string]trainField{
	"lr": {0, 1e6, false, "learning rate",
		func(s *lesson.TrainSettings) float64 { return float64(s.Hyper.LR) },
		func(s *lesson.TrainSettings, v float64) { s.Hyper.LR = float32(v) }},
	"momentum": {0, 0.999, false, "momentum",
		func(s *lesson.TrainSettings) float64 { return float64(s.Hyper.Momentum) },
		func(s *lesson.TrainSettings, v float64) { s.Hyper.Momentum = float32(v) }},
	"decay": {0, 1, false, "weight decay",
		func(s *lesson.TrainSettings) float64 { return float64(s.Hyper.Decay) },
		func(s *lesson.TrainSettings, v float64) { s.Hyper.Decay = float32(v) }},
	"batch": {1, lesson.TrainMaxBatch, true, "batch size",
		func(s *lesson.TrainSettings) float64 { return float64(s.Hyper.Batch) },
		func(s *lesson.TrainSettings, v float64) { s.Hyper.Batch = int(v) }},
	"seed": {0, 1e6, true, "seed",
		func(s *lesson.TrainSettings) float64 { return float64(s.Hyper.Seed) },
		func(s *lesson.TrainSettings, v float64) { s.Hyper.Seed = int64(v) }},
	"filters": {lesson.TrainMinFilters, lesson.TrainMaxFilters, true, "number of first-layer filters",
		func(s *lesson.TrainSettings) float64 { return float64(s.Arch.Filters) },
		func(s *lesson.TrainSettings, v float64) { s.Arch.Filters = int(v) }},
	"hidden": {lesson.TrainMinHidden, lesson.TrainMaxHidden, true, "number of hidden units",
		func(s *lesson.TrainSettings) float64 { return float64(s.Arch.Hidden) },
		func(s *lesson.TrainSettings, v float64) { s.Arch.Hidden = int(v) }},
}

// fieldValue returns the value field name shows.
func (s *TrainingScreen) fieldValue(name string) float64 {
	if name == "test-image" {
		return float64(s.testImage)
	}
	if f, ok := trainFields[name]; ok {
		return f.get(&s.settings)
	}
	return 0
}

// withField returns the settings with field name set to v and words
// saying so, or why v cannot be taken.
func (s *TrainingScreen) withField(name string, v float64) (lesson.TrainSettings, string, error) {
	st := s.settings
	lim, ok := trainFields[name]
	if !ok {
		return st, "", fmt.Errorf("%s is not a setting", name)
	}
	text := lesson.FormatNumber(float32(v))
	switch {
	case lim.whole && v != math.Trunc(v):
		return st, "", fmt.Errorf("the %s is a whole number, not %s", lim.what, text)
	case name == "lr" && v <= 0:
		return st, "", fmt.Errorf("a learning rate of %s never moves the weights: type a positive number such as 0.01", text)
	case name == "momentum" && v >= 1:
		return st, "", fmt.Errorf("momentum %s would keep every step forever: type 0 to 0.99", text)
	case v < lim.lo || v > lim.hi:
		return st, "", fmt.Errorf("the %s must be %s to %s, not %s", lim.what, lesson.FormatNumber(float32(lim.lo)), lesson.FormatNumber(float32(lim.hi)), text)
	case name == "lr" && st.Hyper.Optimizer == train.Adadelta:
		return st, "", fmt.Errorf("Adadelta has no learning rate: choose SGD or Adam first")
	}
	lim.set(&st, v)
	return st, trainTitle(lim.what) + " " + text + ".", nil
}

// refuse shows text in field name as refused and says why.
func (s *TrainingScreen) refuse(name, text string, err error, say *ui.Announcer) {
	s.errField, s.errText = name, text
	say.Say(trainTitle(err.Error()) + ". The " + trainFieldWhat(name) + " stays " + trainFieldText(s.fieldValue(name)) + ".")
}

func trainFieldWhat(name string) string {
	if name == "test-image" {
		return "test example"
	}
	return trainFields[name].what
}

func trainFieldText(v float64) string { return lesson.FormatNumber(float32(v)) }

// commit takes a number typed into a field.
func (s *TrainingScreen) commit(name, text string, say *ui.Announcer) (used, changed bool) {
	if _, ok := trainFields[name]; !ok && name != "test-image" {
		return false, false
	}
	f32, err := ui.ParseNumber(text)
	if err != nil {
		s.refuse(name, text, err, say)
		return true, true
	}
	v := float64(f32)
	if name == "test-image" {
		n := s.view.TestSize
		if v != math.Trunc(v) || v < 0 || (n > 0 && v >= float64(n)) {
			s.refuse(name, text, fmt.Errorf("test examples are numbered 0 to %d", max(n-1, 0)), say)
			return true, true
		}
		s.chooseTestImage(int(v), say)
		return true, true
	}
	st, words, err := s.withField(name, v)
	if err == nil {
		err = st.Check()
	}
	if err != nil {
		s.refuse(name, text, err, say)
		return true, true
	}
	if st == s.settings {
		s.errField = ""
		return true, true
	}
	s.change(st, words, say)
	return true, true
}

// wheel nudges a number field: learning rate and weight decay along 1, 2,
// 5, 10, …; momentum by 0.05; the whole numbers by one a notch.
func (s *TrainingScreen) wheel(name string, delta int, say *ui.Announcer) (used, changed bool) {
	if _, ok := trainFields[name]; !ok && name != "test-image" {
		return false, false
	}
	v := s.fieldValue(name)
	switch name {
	case "lr", "decay":
		for i := 0; i < abs(delta); i++ {
			v = trainNice(v, delta > 0)
		}
	case "momentum":
		v = math.Round((v+0.05*float64(delta))*100) / 100
		v = min(max(v, 0), 0.95)
	case "test-image":
		n := max(s.view.TestSize, 1)
		s.chooseTestImage(((int(v)+delta)%n+n)%n, say)
		return true, true
	default:
		lim := trainFields[name]
		v = min(max(v+float64(delta), lim.lo), lim.hi)
	}
	st, words, err := s.withField(name, v)
	if err == nil {
		err = st.Check()
	}
	if err != nil {
		say.Say(trainTitle(err.Error()) + ".")
		return true, false
	}
	if st != s.settings {
		s.change(st, words, say)
	}
	return true, true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// trainNice returns the next value of the 1, 2, 5 series above (or below)
// v; below the smallest it gives 0, and from 0 up it starts at 1e-5.
func trainNice(v float64, up bool) float64 {
	if v <= 0 {
		if up {
			return 1e-5
		}
		return 0
	}
	e := math.Floor(math.Log10(v))
	p := math.Pow(10, e)
	series := []float64{1, 2, 5, 10}
	if up {
		for _, m := range series {
			if c := m * p; c > v*(1+1e-6) {
				return trainRound(c)
			}
		}
		return trainRound(10 * p)
	}
	for i := len(series) - 1; i >= 0; i-- {
		if c := series[i] * p; c < v*(1-1e-6) {
			return trainRound(c)
		}
	}
	if c := 5 * p / 10; c >= 1e-5 {
		return trainRound(c)
	}
	return 0
}

// trainRound rounds v to six significant digits, so float noise from the
// powers of ten does not show.
func trainRound(v float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return f
}

// setLapse shows frame i of the time-lapse; i past the last frame follows
// training live.
func (s *TrainingScreen) setLapse(i int, say *ui.Announcer) {
	n := len(s.view.Snapshots)
	if i < 0 {
		i = 0
	}
	if i >= n {
		s.lapse = -1
	} else {
		s.lapse = i
	}
	say.Say("Filters " + s.lapseWords() + ".")
}

// lapseWords says which moment the filters shown are from.
func (s *TrainingScreen) lapseWords() string {
	snaps := s.view.Snapshots
	if s.lapse < 0 || s.lapse >= len(snaps) {
		if f := s.view.Filters; f != nil {
			return "live, after " + fcCount(f.Examples) + " examples"
		}
		return "live"
	}
	if snaps[s.lapse].Examples == 0 {
		return fmt.Sprintf("at initialisation (frame 1 of %d)", len(snaps))
	}
	return fmt.Sprintf("after %s examples (frame %d of %d)", fcCount(snaps[s.lapse].Examples), s.lapse+1, len(snaps))
}

// trainReplayFrame is how long, in seconds, the replay shows each frame.
const trainReplayFrame = 0.25

// tickReplay advances the time-lapse replay and reports whether the frame
// shown changed.
func (s *TrainingScreen) tickReplay(dt float64) bool {
	if !s.replaying {
		return false
	}
	n := len(s.view.Snapshots)
	if s.now-s.replayAt < trainReplayFrame {
		return false
	}
	s.replayAt = s.now
	if s.lapse < 0 || s.lapse+1 >= n {
		s.replaying, s.lapse = false, -1
		return true
	}
	s.lapse++
	return true
}

// newPad makes the pad for the data set in use: grey 28 x 28 for the
// digits (white ink on black, as MNIST writes them), colour 32 x 32 for
// the colour patterns.
func (s *TrainingScreen) newPad() {
	var p *lesson.Pad
	if s.settings.Data == lesson.TrainColour {
		p, _ = lesson.NewPad(3, 32, 32)
		s.ink = 0
		_ = p.SetInk(trainInks[0].rgb[:]...)
		_ = p.SetRadius(2)
	} else {
		p, _ = lesson.NewPad(1, 28, 28)
		_ = p.SetRadius(1.2)
	}
	s.pad = p
	s.padNew = false
	s.padVer++
}

// syncPad remakes the pad when the data set changed under it.
func (s *TrainingScreen) syncPad() {
	c := 1
	if s.settings.Data == lesson.TrainColour {
		c = 3
	}
	if s.pad == nil || s.pad.C != c {
		s.newPad()
	}
}

// sendDrawing sends the pad's picture for the nets to answer.
func (s *TrainingScreen) sendDrawing() {
	in := lesson.TrainInputFromPad(s.pad)
	s.send(lesson.TrainCommand{Op: lesson.TrainOpPredict, Input: &in})
	s.padSent, s.padNew = s.now, false
}

// padEvent draws on the pad: press, move and release become a stroke in
// pad pixels; the nets are asked while drawing and when the stroke ends.
func (s *TrainingScreen) padEvent(ev ui.Event, say *ui.Announcer) (used, changed bool) {
	r := s.lay.example
	if r.Empty() {
		return false, false
	}
	pad := s.pad
	x := float32(ev.X / s.sc / float64(r.Dx()) * float64(pad.W))
	y := float32(ev.Y / s.sc / float64(r.Dy()) * float64(pad.H))
	switch ev.Type {
	case ui.PointerDown:
		pad.Down(x, y)
	case ui.PointerMove:
		if !pad.Drawing() {
			return true, false
		}
		pad.Move(x, y)
	case ui.PointerUp, ui.PointerLeave:
		if !pad.Drawing() {
			return true, false
		}
		pad.Up()
		s.padVer++
		s.sendDrawing()
		say.Say("Drawn: the nets' answers follow.")
		return true, true
	}
	s.padNew = true
	s.padVer++
	return true, true
}
