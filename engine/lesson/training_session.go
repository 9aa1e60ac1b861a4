package lesson

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"convlab/engine/data"
	"convlab/engine/nn"
	"convlab/engine/tensor"
	"convlab/engine/train"
)

// Operations a TrainCommand names.
const (
	TrainOpPlay       = "play"       // train continuously (in Run's slices)
	TrainOpPause      = "pause"      // stop training
	TrainOpStep       = "step"       // pause, then one minibatch for every model that trains
	TrainOpReset      = "reset"      // pause, and start every model afresh from the seed
	TrainOpSettings   = "settings"   // change the settings (Settings)
	TrainOpTestImage  = "test-image" // choose the test example whose maps are shown (Index)
	TrainOpPretrained = "pretrained" // pause, and load the shipped pretrained weights into the conv net
	TrainOpPredict    = "predict"    // answer for the student's drawing (Input; none clears it)
	TrainOpFix        = "fix"        // after a divergence, apply the offered hyperparameters
	TrainOpRestore    = "restore"    // pause, apply the saved settings and load the saved weights (Saved)
)

// TrainCommand is one thing the page asks of a session, as plain JSON.
type TrainCommand struct {
	Op       string         `json:"op"`
	Settings *TrainSettings `json:"settings,omitempty"` // TrainOpSettings
	Index    int            `json:"index,omitempty"`    // TrainOpTestImage
	Input    *TrainInput    `json:"input,omitempty"`    // TrainOpPredict
	Saved    *TrainSaved    `json:"saved,omitempty"`    // TrainOpRestore
}

// TrainInput is a picture from the page: the drawing pad's, kept in
// whole 255ths as the pad keeps it.
type TrainInput struct {
	C      int    `json:"c"`
	H      int    `json:"h"`
	W      int    `json:"w"`
	Pixels []byte `json:"pixels"` // (C, H, W), 0..255; channel c, row y, column x at (c·H+y)·W+x
}

// TrainInputFromPad returns the pad's picture as a TrainInput.
func TrainInputFromPad(p *Pad) TrainInput {
	in := TrainInput{C: p.C, H: p.H, W: p.W, Pixels: make([]byte, len(p.Pix))}
	for i, v := range p.Pix {
		in.Pixels[i] = toByte(v)
	}
	return in
}

// trainBigEvery is the least time between two sendings of the big report
// items (maps, gallery, confusion, templates, drawing) while training.
const trainBigEvery = 500 * time.Millisecond

// TrainSession is the training lesson's engine: the three models, their
// trainers, the rolling evaluation, the filter time-lapse and the report
// of what changed. The page drives it with commands (Do) and gives it time
// (Run); Report says what changed. It runs in a Web Worker or, failing
// that, inside the page's frames: see TrainHost.
//
// The three models train in lockstep: each step takes one minibatch for
// every model that is on (TrainSettings.Models), and the models draw the
// same examples in the same order (their trainers share the seed), so
// their curves compare like with like. The linear classifier and the MLP
// cost a few percent of the conv net's time.
type TrainSession struct {
	data     *TrainData
	clock    func() time.Time
	settings TrainSettings
	models   []*trainModel // conv, linear, mlp
	trainSrc *train.SetSource
	testSrc  *train.SetSource

	running   bool
	diverged  *TrainDivergence
	messages  []string
	examples  int // steps · batch
	testImage int
	gallery   []int // test examples the gallery shows

	drawn     *TrainInput
	drawnGen  int
	pretrains map[string]*nn.Net // loaded pretrained nets, by data set

	snapshots []TrainSnapshot
	snapNext  int     // conv examples at which the next snapshot is due
	snapRatio float64 // growth of the gap between snapshots
	snapSent  int
	snapReset bool

	rateAt       time.Time // start of the rate's measuring window
	rateExamples int
	rate         float64

	// Saving: ver counts the changes of the models' weights (a step, a
	// build, a load); savedVer is ver when a report last carried a
	// TrainSaved, savedAt the time. restores counts restore commands.
	ver, savedVer int
	savedAt       time.Time
	restores      int

	seq        int
	lastBig    time.Time
	sent       trainSent
	sentImages map[int]bool // test examples whose pictures were reported
	imagesOf   *data.Set    // the test set they belong to
}

// trainSent records the versions of the big items last reported; the
// zero value has sent nothing.
type trainSent struct {
	filters, gallery, confusion, linear, mlp int
	maps                                     [2]int
	drawn                                    [4]int
}

// NewTrainSession returns a paused session with settings s, whose time is
// told by clock (time.Now in the page; tests pass a fake).
func NewTrainSession(d *TrainData, s TrainSettings, clock func() time.Time) (*TrainSession, error) {
	if d == nil {
		return nil, errors.New("training: no data")
	}
	if clock == nil {
		clock = time.Now
	}
	t := &TrainSession{data: d, clock: clock, pretrains: map[string]*nn.Net{}}
	if err := t.build(s); err != nil {
		return nil, err
	}
	t.savedVer, t.savedAt = t.ver, clock() // the seed's weights need no saving
	return t, nil
}

// build checks s and makes every model afresh from its seed, replacing
// the old ones only if all of it works.
func (t *TrainSession) build(s TrainSettings) error {
	if err := s.Check(); err != nil {
		return err
	}
	trainSrc, testSrc, err := t.data.TrainSources(s.Data)
	if err != nil {
		return err
	}
	var models []*trainModel
	for _, name := range TrainModelNames() {
		m, err := newTrainModel(name, s, trainSrc, testSrc)
		if err != nil {
			return err
		}
		m.tr.Clock = t.clock
		models = append(models, m)
	}
	t.settings, t.models, t.trainSrc, t.testSrc = s, models, trainSrc, testSrc
	t.ver++
	t.afresh()
	return nil
}

// afresh forgets the history that belonged to the old models.
func (t *TrainSession) afresh() {
	t.examples, t.diverged = 0, nil
	if t.testImage >= t.testSrc.Len() {
		t.testImage = 0
	}
	t.gallery = galleryIndices(t.testSrc, TrainGalleryPerClass)
	t.snapshots, t.snapSent, t.snapReset, t.snapRatio = nil, 0, true, 1.25
	t.snapshot()
	t.snapNext = t.settings.Hyper.Batch
	t.sent, t.lastBig = trainSent{}, time.Time{} // the next report sends every big item
	if t.sentImages == nil || t.testSrc.Set != t.imagesOf {
		t.sentImages, t.imagesOf = map[int]bool{}, t.testSrc.Set
	}
	t.rateAt, t.rateExamples = t.clock(), 0
}

// galleryIndices returns the first n test examples of each class, class by class.
func galleryIndices(src *train.SetSource, n int) []int {
	var out []int
	for c := range src.Classes() {
		found := 0
		for i, l := range src.Set.Labels {
			if int(l) == c && found < n {
				out = append(out, i)
				found++
			}
		}
	}
	return out
}

// Settings returns the settings in force.
func (t *TrainSession) Settings() TrainSettings { return t.settings }

// Running reports whether the session is playing.
func (t *TrainSession) Running() bool { return t.running }

// Diverged returns what the last divergence reported, or nil.
func (t *TrainSession) Diverged() *TrainDivergence { return t.diverged }

// Net returns the named model's net (TrainConv, TrainLinear, TrainMLP), or
// nil. It belongs to the session: read it between calls, change nothing.
func (t *TrainSession) Net(model string) *nn.Net {
	if m := t.model(model); m != nil {
		return m.net
	}
	return nil
}

func (t *TrainSession) model(name string) *trainModel {
	for _, m := range t.models {
		if m.name == name {
			return m
		}
	}
	return nil
}

// say adds a message for the next report.
func (t *TrainSession) say(format string, args ...any) {
	t.messages = append(t.messages, fmt.Sprintf(format, args...))
}

// refuse reports err as a message and returns it.
func (t *TrainSession) refuse(err error) error {
	t.say("%s", err.Error())
	return err
}

// errTrainNoModel refuses play and step when every model is off.
var errTrainNoModel = errors.New("no model is set to train: turn on the conv net, the linear classifier or the MLP")

// Do carries out one command. A command that cannot be done is refused:
// nothing changes, the error says why, and the next report repeats it.
func (t *TrainSession) Do(c TrainCommand) error {
	switch c.Op {
	case TrainOpPlay:
		if !t.anyOn() {
			return t.refuse(errTrainNoModel)
		}
		if !t.running {
			t.running, t.diverged = true, nil
			t.rateAt, t.rateExamples = t.clock(), t.examples
			if t.ver == t.savedVer {
				t.savedAt = t.rateAt // TrainSaveEvery counts training time
			}
		}
	case TrainOpPause:
		t.running = false
	case TrainOpStep:
		t.running = false
		if !t.anyOn() {
			return t.refuse(errTrainNoModel)
		}
		t.diverged = nil
		t.round()
	case TrainOpReset:
		t.running = false
		if err := t.build(t.settings); err != nil {
			return t.refuse(err)
		}
	case TrainOpSettings:
		if c.Settings == nil {
			return t.refuse(errors.New("the settings command carries no settings"))
		}
		return t.setSettings(*c.Settings)
	case TrainOpTestImage:
		if c.Index < 0 || c.Index >= t.testSrc.Len() {
			return t.refuse(fmt.Errorf("test image %d: choose 0 to %d", c.Index, t.testSrc.Len()-1))
		}
		t.testImage = c.Index
	case TrainOpPretrained:
		return t.loadPretrained()
	case TrainOpRestore:
		t.restores++
		return t.restore(c.Saved)
	case TrainOpPredict:
		if c.Input == nil {
			t.drawn = nil
			t.drawnGen++
			return nil
		}
		if _, err := t.netInput(*c.Input); err != nil {
			return t.refuse(err)
		}
		in := *c.Input
		in.Pixels = append([]byte(nil), in.Pixels...)
		t.drawn = &in
		t.drawnGen++
	case TrainOpFix:
		if t.diverged == nil || t.diverged.Fix == nil {
			return t.refuse(errors.New("there is no fix to apply: training has not diverged"))
		}
		s := t.settings
		s.Hyper = *t.diverged.Fix
		text := t.diverged.FixText
		if err := t.setSettings(s); err != nil {
			return err
		}
		t.say("Changed %s; press play to go on from the restored weights.", text)
	default:
		return t.refuse(fmt.Errorf("unknown command %q", c.Op))
	}
	return nil
}

func (t *TrainSession) anyOn() bool {
	m := t.settings.Models
	return m.Conv || m.Linear || m.MLP
}

// setSettings applies s: a change of data set, architecture or seed
// starts every model afresh (keeping the session playing or paused); a
// change of the other hyperparameters or of which models train takes
// effect at the next step.
func (t *TrainSession) setSettings(s TrainSettings) error {
	if err := s.Check(); err != nil {
		return t.refuse(err)
	}
	old := t.settings
	if s.Data != old.Data || s.Arch != old.Arch || s.Hyper.Seed != old.Hyper.Seed {
		if err := t.build(s); err != nil {
			return t.refuse(err)
		}
		if !t.anyOn() {
			t.running = false
		}
		return nil
	}
	t.settings = s
	for _, m := range t.models {
		m.tr.Hyper = s.Hyper.Hyper()
	}
	t.diverged = nil
	if !t.anyOn() {
		t.running = false
	}
	return nil
}

// Busy reports whether Run has work: training while playing, or, when
// paused, test examples still to be answered at the current weights.
func (t *TrainSession) Busy() bool {
	if t.running {
		return true
	}
	for _, m := range t.models {
		if m.stale > 0 {
			return true
		}
	}
	return false
}

// Run works for about budget by the session's clock and reports whether
// work remains (Busy). While playing it takes steps, each followed by a
// few test answers (one per TrainTestShare training examples); paused, it
// answers the test examples not yet answered at the current weights,
// trainEvalBatch at a time, so that the test accuracy becomes exact. It
// checks the clock after every step or batch of answers and stops at the
// first check at or past the deadline, so a slice overruns by at most one
// step.
func (t *TrainSession) Run(budget time.Duration) bool {
	deadline := t.clock().Add(budget)
	for {
		switch {
		case t.running:
			t.round()
		case t.Busy():
			for _, m := range t.models {
				if m.stale > 0 {
					m.evaluate(trainEvalBatch, true)
					break
				}
			}
		default:
			return false
		}
		if !t.clock().Before(deadline) {
			return t.Busy()
		}
	}
}

// round takes one step for every model that trains. A divergence pauses
// the session, says where it happened and puts every model back to its
// last good weights.
func (t *TrainSession) round() {
	h := t.settings.Hyper
	t.ver++
	for _, m := range t.models {
		if !t.settings.Models.On(m.name) {
			continue
		}
		if err := m.tr.Step(); err != nil {
			t.running = false
			m.changed() // the weights were restored
			var d *train.DivergenceError
			if errors.As(err, &d) {
				// The other models took the same rate: they go back
				// to their last good weights too.
				for _, o := range t.models {
					if o != m && t.settings.Models.On(o.name) && o.tr.Restore() > 0 {
						o.changed()
					}
				}
				t.diverged = divergence(m.name, d, h)
				t.say("%s", t.diverged.Message)
			} else {
				t.say("%s: %v", trainModelTitle(m.name), err)
			}
			return
		}
		m.changed()
		m.evaluate((h.Batch+TrainTestShare-1)/TrainTestShare, false)
		m.point()
	}
	t.examples += h.Batch
	if conv := t.model(TrainConv); t.settings.Models.Conv && conv.stats().Examples >= t.snapNext {
		t.snapshot()
		gap := max(float64(conv.stats().Examples)*(t.snapRatio-1), float64(h.Batch))
		t.snapNext = conv.stats().Examples + int(gap)
	}
}

// trainModelTitle names a model in a sentence.
func trainModelTitle(name string) string {
	switch name {
	case TrainConv:
		return "the conv net"
	case TrainLinear:
		return "the linear classifier"
	case TrainMLP:
		return "the MLP"
	}
	return name
}

// divergence describes a divergence of the named model and the fix to offer.
func divergence(model string, d *train.DivergenceError, h TrainHyper) *TrainDivergence {
	v := TrainDivergence{Model: model, Step: d.Step, Layer: d.Layer, LayerName: d.LayerName, What: d.What,
		Value: strconv.FormatFloat(float64(d.Value), 'g', -1, 32), Restored: d.Restored}
	title := trainModelTitle(model)
	v.Message = strings.ToUpper(title[:1]) + title[1:] + " " + trimTrainPrefix(d.Error())
	fix := h
	switch {
	case h.Optimizer != train.Adadelta && h.LR > 0:
		fix.LR = h.LR / 10
		v.FixText = "learning rate " + FormatNumber(h.LR) + " → " + FormatNumber(fix.LR)
	case h.Decay > 0:
		fix.Decay = h.Decay / 10
		v.FixText = "weight decay " + FormatNumber(h.Decay) + " → " + FormatNumber(fix.Decay)
	}
	if v.FixText != "" {
		v.Fix = &fix
	}
	return &v
}

// trimTrainPrefix turns the trainer's "training diverged at step 7: ..."
// into "diverged at step 7: ...".
func trimTrainPrefix(s string) string { return strings.TrimPrefix(s, "training ") }

// snapshot adds the conv net's first-layer filters to the time-lapse,
// dropping every other frame (and spacing later ones further) when full.
func (t *TrainSession) snapshot() {
	conv := t.model(TrainConv)
	c := conv.net.FirstConv()
	if c == nil {
		return
	}
	t.snapshots = append(t.snapshots, TrainSnapshot{Examples: conv.stats().Examples, Weights: append(Float32s(nil), c.W.Data...)})
	limit := min(TrainSnapshotsMax, max(2, TrainSnapshotFloats/len(c.W.Data)))
	if len(t.snapshots) > limit {
		kept := t.snapshots[:0]
		for i := 0; i < len(t.snapshots); i += 2 {
			kept = append(kept, t.snapshots[i])
		}
		t.snapshots = kept
		t.snapRatio = (t.snapRatio) * (t.snapRatio)
		t.snapReset, t.snapSent = true, 0
	}
}

// loadPretrained loads the shipped weights of the current data set into
// the conv net, setting the architecture to theirs.
func (t *TrainSession) loadPretrained() error {
	net, err := t.pretrained(t.settings.Data)
	if err != nil {
		return t.refuse(err)
	}
	s := t.settings
	def := DefaultTrainSettings().Arch
	s.Arch.Filters, s.Arch.Kernel, s.Arch.Pad, s.Arch.Conv2 = def.Filters, def.Kernel, def.Pad, def.Conv2
	if ok, err := netFits(s, TrainConv, net); err != nil {
		return t.refuse(err)
	} else if !ok {
		return t.refuse(fmt.Errorf("the pretrained weights for %s are for another network than the lesson's reference net", s.Data))
	}
	t.running = false
	if s.Arch != t.settings.Arch {
		if err := t.build(s); err != nil {
			return t.refuse(err)
		}
	}
	if err := t.install([]trainLoad{{name: TrainConv, net: net.Clone(), pretrained: true}}); err != nil {
		return t.refuse(err)
	}
	t.say("Loaded the pretrained weights of the reference net for %s; its test accuracy is being measured.", trainDataTitle(s.Data))
	return nil
}

// netFits reports whether net is the named model as settings s build it.
func netFits(s TrainSettings, model string, net *nn.Net) (bool, error) {
	spec, err := s.Spec(model)
	if err != nil {
		return false, err
	}
	want, err := nn.Build(spec, nil)
	if err != nil {
		return false, err
	}
	return reflect.DeepEqual(want.Spec, net.Spec), nil
}

// trainLoad is a net to put in place of one of the session's models, with
// the statistics of its training so far.
type trainLoad struct {
	name       string
	net        *nn.Net
	stats      train.Stats
	pretrained bool
	curve      []TrainPoint // the curve so far (see trainModel), nil for none
	curveEvery int
}

// install puts each load's net in place of its model (the settings in
// force must build them: see netFits), only if all of them can be, and
// makes the next report tell everything about them afresh; the time-lapse
// starts again from the loaded filters.
func (t *TrainSession) install(loads []trainLoad) error {
	models := make([]*trainModel, len(loads))
	for i, l := range loads {
		m, err := newTrainModelNet(l.name, l.net, t.settings, t.trainSrc, t.testSrc)
		if err == nil {
			err = m.tr.Resume(l.stats)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", trainModelTitle(l.name), err)
		}
		m.tr.Clock, m.pretrained = t.clock, l.pretrained
		if len(l.curve) > 0 {
			m.curve, m.curveEvery = l.curve, l.curveEvery
			m.curveNext = l.curve[len(l.curve)-1].Examples + l.curveEvery
		}
		models[i] = m
	}
	for _, m := range models {
		for i, old := range t.models {
			if old.name == m.name {
				t.models[i] = m
			}
		}
	}
	t.ver++
	t.diverged = nil
	t.snapshots, t.snapSent, t.snapReset = nil, 0, true
	t.snapshot()
	t.snapNext = t.models[0].stats().Examples + t.settings.Hyper.Batch
	t.sent.filters, t.sent.gallery, t.sent.confusion, t.sent.maps, t.sent.drawn = 0, 0, 0, [2]int{}, [4]int{}
	t.lastBig = time.Time{}
	return nil
}

// trainDataTitle names a data set in a sentence.
func trainDataTitle(name string) string {
	if name == TrainColour {
		return "the colour patterns"
	}
	return "the MNIST digits"
}

// pretrained returns the shipped pretrained net of the named data set,
// reading it on first use.
func (t *TrainSession) pretrained(set string) (*nn.Net, error) {
	if n, ok := t.pretrains[set]; ok {
		return n, nil
	}
	b := t.data.Pretrained[set]
	if len(b) == 0 {
		return nil, fmt.Errorf("no pretrained weights ship for %s", trainDataTitle(set))
	}
	n, err := nn.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("the pretrained weights for %s cannot be read: %w", trainDataTitle(set), err)
	}
	if in, _ := trainShape(set); n.Spec.Input != in {
		return nil, fmt.Errorf("the pretrained weights for %s take %s inputs, the lesson gives %s",
			trainDataTitle(set), tensor.ShapeString(n.Spec.Input[:]), tensor.ShapeString(in[:]))
	}
	t.pretrains[set] = n
	return n, nil
}

// netInput turns a picture from the page into what the models take:
// (C, TrainCrop, TrainCrop), centre-cropped as test examples are, pixels
// p/255 − 0.5.
func (t *TrainSession) netInput(in TrainInput) (*tensor.Tensor, error) {
	sh := t.testSrc.Shape()
	switch {
	case in.C != sh[0]:
		return nil, fmt.Errorf("the drawing has %d channels; %s have %d", in.C, trainDataTitle(t.settings.Data), sh[0])
	case in.H < sh[1] || in.W < sh[2] || in.H > 256 || in.W > 256:
		return nil, fmt.Errorf("the drawing is %dx%d; it must be %dx%d to 256x256", in.H, in.W, sh[1], sh[2])
	case len(in.Pixels) != in.C*in.H*in.W:
		return nil, fmt.Errorf("the drawing has %d pixels, not %d x %d x %d", len(in.Pixels), in.C, in.H, in.W)
	}
	x := tensor.New(sh[0], sh[1], sh[2])
	dy, dx := (in.H-sh[1])/2, (in.W-sh[2])/2
	for c := range sh[0] {
		for y := range sh[1] {
			for xx := range sh[2] {
				p := in.Pixels[(c*in.H+y+dy)*in.W+xx+dx]
				x.Data[(c*sh[1]+y)*sh[2]+xx] = float32(p)*(1.0/255) - 0.5
			}
		}
	}
	return x, nil
}

// updateRate measures examples per second over windows of at least a
// second while playing.
func (t *TrainSession) updateRate() {
	if !t.running {
		return
	}
	now := t.clock()
	if dt := now.Sub(t.rateAt); dt >= time.Second {
		t.rate = float64(t.examples-t.rateExamples) / dt.Seconds()
		t.rateAt, t.rateExamples = now, t.examples
	}
}

// Report returns what changed since the last report: the state, new curve
// points and snapshots, the first-layer filters when they changed, and the
// big items (maps, gallery, confusion, templates, drawing) when they
// changed, at most every trainBigEvery while playing (except the answers
// for a new drawing, which come at once).
func (t *TrainSession) Report() *TrainReport {
	t.updateRate()
	t.seq++
	r := &TrainReport{Seq: t.seq, Settings: t.settings, Running: t.running, Diverged: t.diverged,
		Messages: t.messages, Examples: t.examples, ExamplesPerSecond: t.rate,
		TestImage: t.testImage, TestSize: t.testSrc.Len(), Classes: t.testSrc.Set.Classes,
		ImagesReset: len(t.sentImages) == 0}
	t.messages = nil
	r.Restores = t.restores
	if now := t.clock(); t.ver != t.savedVer && (!t.running || now.Sub(t.savedAt) >= TrainSaveEvery) {
		r.Saved = t.Saved()
		t.savedVer, t.savedAt = t.ver, now
	}
	for _, m := range t.models {
		st := m.stats()
		acc, count, exact := m.testAccuracy()
		mr := TrainModelReport{Name: m.name, On: t.settings.Models.On(m.name), Params: m.net.NumParams(),
			Pretrained: m.pretrained, Steps: st.Steps, Examples: st.Examples, Loss: st.Loss,
			TrainAccuracy: st.Accuracy, TestAccuracy: acc, TestCount: count, TestExact: exact}
		if m.curveReset {
			mr.CurveReset, m.curveSent = true, 0
		}
		mr.Curve = append([]TrainPoint(nil), m.curve[m.curveSent:]...)
		m.curveSent, m.curveReset = len(m.curve), false
		r.Models = append(r.Models, mr)
	}
	r.SnapshotsReset = t.snapReset
	r.Snapshots = append([]TrainSnapshot(nil), t.snapshots[t.snapSent:]...)
	t.snapSent, t.snapReset = len(t.snapshots), false

	conv := t.models[0]
	if v := conv.gen + 1; t.sent.filters != v {
		if c := conv.net.FirstConv(); c != nil {
			r.Filters = &TrainFilters{Shape: [4]int(c.W.Shape), Weights: append(Float32s(nil), c.W.Data...),
				Bias: append(Float32s(nil), c.B.Data...), Examples: conv.stats().Examples}
		}
		t.sent.filters = v
	}
	now := t.clock()
	drawn := [4]int{t.drawnGen + 1, conv.gen, t.models[1].gen, t.models[2].gen}
	if t.running && now.Sub(t.lastBig) < trainBigEvery {
		if t.sent.drawn[0] != drawn[0] { // a new drawing is answered at once
			r.Drawn, t.sent.drawn = t.drawnReport(), drawn
		}
		return r
	}
	big := false
	if v := [2]int{conv.gen + 1, t.testImage}; t.sent.maps != v {
		r.Maps, t.sent.maps, big = t.maps(), v, true
	}
	if v := conv.gen + 1; t.sent.gallery != v || t.sent.confusion != conv.evals+1 {
		r.Gallery, r.Confusion = t.galleryReport(), conv.confusion()
		t.sent.gallery, t.sent.confusion, big = v, conv.evals+1, true
	}
	for i, sent := range []*int{&t.sent.linear, &t.sent.mlp} {
		m := t.models[i+1]
		if *sent != m.gen+1 {
			r.Templates = append(r.Templates, templates(m))
			*sent, big = m.gen+1, true
		}
	}
	if t.sent.drawn != drawn {
		r.Drawn, t.sent.drawn, big = t.drawnReport(), drawn, true
	}
	if big {
		t.lastBig = now
	}
	t.addImages(r)
	return r
}

// addImages adds to r the pictures of the test examples it mentions that
// were not reported before.
func (t *TrainSession) addImages(r *TrainReport) {
	add := func(i int) {
		if t.sentImages[i] {
			return
		}
		t.sentImages[i] = true
		set := t.testSrc.Set
		n := set.C * set.H * set.W
		r.Images = append(r.Images, TrainTestImage{Index: i, Label: int(set.Labels[i]), Shape: [3]int{set.C, set.H, set.W},
			Pixels: append([]byte(nil), set.Pixels[i*n:(i+1)*n]...)})
	}
	if r.Maps != nil {
		add(r.Maps.Index)
	}
	if r.Gallery != nil {
		for _, g := range r.Gallery.Items {
			add(g.Index)
		}
		for _, g := range r.Gallery.Mistakes {
			add(g.Index)
		}
	}
}

// maps runs the chosen test example through the conv net.
func (t *TrainSession) maps() *TrainMaps {
	sh := t.testSrc.Shape()
	x := tensor.New(sh[0], sh[1], sh[2])
	label := t.testSrc.Example(t.testImage, x.Data, nil)
	layers, probs := activations(t.models[0].net, x)
	return &TrainMaps{Index: t.testImage, Label: label, Input: inputMap(x), Layers: layers, Probs: probs}
}

// inputMap describes an input picture as a TrainMap.
func inputMap(x *tensor.Tensor) TrainMap {
	return TrainMap{Layer: "input", Shape: append([]int(nil), x.Shape...), Values: append(Float32s(nil), x.Data...)}
}

// activations runs x (C, H, W) through net and returns every layer's output
// and the class probabilities.
func activations(net *nn.Net, x *tensor.Tensor) ([]TrainMap, Float32s) {
	acts := net.Activations(x)
	maps := make([]TrainMap, len(acts))
	for i, a := range acts {
		maps[i] = TrainMap{Layer: a.Layer, Shape: a.Out.Shape, Values: Float32s(a.Out.Data)}
	}
	return maps, probabilities(acts[len(acts)-1].Out.Data)
}

// probabilities returns the softmax of scores.
func probabilities(scores []float32) Float32s {
	p := make(Float32s, len(scores))
	nn.Softmax(scores, p, len(scores))
	return p
}

// predict returns net's class probabilities for x (C, H, W).
func predict(net *nn.Net, x *tensor.Tensor) Float32s {
	batch := &tensor.Tensor{Shape: append([]int{1}, x.Shape...), Data: x.Data}
	return append(Float32s(nil), net.Predict(batch).Data...)
}

// galleryReport answers the gallery's test examples with the conv net now.
func (t *TrainSession) galleryReport() *TrainGallery {
	conv := t.models[0]
	sh := t.testSrc.Shape()
	x := tensor.New(len(t.gallery), sh[0], sh[1], sh[2])
	per := sh[0] * sh[1] * sh[2]
	labels := make([]int, len(t.gallery))
	for e, i := range t.gallery {
		labels[e] = t.testSrc.Example(i, x.Data[e*per:(e+1)*per], nil)
	}
	probs := conv.net.Predict(x)
	k := conv.net.Classes()
	g := &TrainGallery{Items: make([]TrainGuess, len(t.gallery)), Mistakes: append([]TrainGuess{}, conv.mistakes...)}
	for e, i := range t.gallery {
		g.Items[e] = guess(i, labels[e], probs.Data[e*k:(e+1)*k], conv.stats().Examples)
	}
	return g
}

// templates returns the rows of a linear or MLP model's first weight
// matrix, each shaped as the input.
func templates(m *trainModel) TrainTemplates {
	first := m.net.Layers[0].(*nn.Linear)
	in := m.net.Spec.Input
	t := TrainTemplates{Model: m.name, Shape: [4]int{first.W.Shape[0], in[0], in[1], in[2]},
		Weights: append(Float32s(nil), first.W.Data...)}
	if m.name == TrainMLP {
		t.Out = append(Float32s(nil), m.net.Layers[len(m.net.Layers)-1].(*nn.Linear).W.Data...)
	}
	return t
}

// drawnReport answers the student's drawing with every model.
func (t *TrainSession) drawnReport() *TrainDrawn {
	if t.drawn == nil {
		return &TrainDrawn{Input: TrainMap{Layer: "input"}}
	}
	x, err := t.netInput(*t.drawn)
	if err != nil { // the data set changed under the drawing
		return &TrainDrawn{Input: TrainMap{Layer: "input"}}
	}
	d := &TrainDrawn{Input: inputMap(x)}
	d.Maps, d.Conv = activations(t.models[0].net, x)
	d.Linear = predict(t.models[1].net, x)
	d.MLP = predict(t.models[2].net, x)
	if p, err := t.pretrained(t.settings.Data); err == nil {
		d.Pretrained = predict(p, x)
	}
	return d
}
