package lesson

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
)

// Float32s is a list of float32 values that encodes in JSON as one base64
// string of their little-endian IEEE-754 bits: about a third the size of
// decimal numbers, exact, and able to carry NaN and infinities.
type Float32s []float32

// MarshalJSON encodes the values as a base64 string.
func (f Float32s) MarshalJSON() ([]byte, error) {
	raw := make([]byte, 4*len(f))
	for i, v := range f {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	out := make([]byte, 0, base64.StdEncoding.EncodedLen(len(raw))+2)
	out = append(out, '"')
	out = base64.StdEncoding.AppendEncode(out, raw)
	return append(out, '"'), nil
}

// UnmarshalJSON decodes a base64 string of little-endian float32 bits
// (or null, for no values).
func (f *Float32s) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = nil
		return nil
	}
	// encoding/json has checked that b is valid JSON; a string of base64
	// characters needs no unquoting, so take its bytes as they are.
	var s []byte
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		s = b[1 : len(b)-1]
	} else {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return fmt.Errorf("float32 values: want a base64 string: %w", err)
		}
		s = []byte(str)
	}
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Decode(raw, s)
	if err != nil {
		return fmt.Errorf("float32 values: %w", err)
	}
	raw = raw[:n]
	if len(raw)%4 != 0 {
		return fmt.Errorf("float32 values: %d bytes is not a whole number of values", len(raw))
	}
	out := make(Float32s, len(raw)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	*f = out
	return nil
}

// TrainModelReport is one model's statistics.
type TrainModelReport struct {
	Name       string `json:"name"`       // TrainConv, TrainLinear or TrainMLP
	On         bool   `json:"on"`         // trains when the session plays or steps
	Params     int    `json:"params"`     // trainable values
	Pretrained bool   `json:"pretrained"` // the weights were loaded from a pretrained file
	Steps      int    `json:"steps"`
	Examples   int    `json:"examples"` // training examples seen
	// Loss and TrainAccuracy are smoothed over the last 50 steps.
	Loss          float64 `json:"loss"`
	TrainAccuracy float64 `json:"trainAccuracy"`
	// TestAccuracy is measured on held-out test examples, a few after every
	// step, walking round the test set. While training it is the fraction
	// right among the last TrainTestWindow answers; once the whole test set
	// has been answered at the current weights (as it soon is when paused)
	// it is exact, over the whole set, and TestExact is true. −1 before any test.
	TestAccuracy float64 `json:"testAccuracy"`
	TestCount    int     `json:"testCount"` // answers TestAccuracy is over
	TestExact    bool    `json:"testExact"`
	// Curve holds the curve points recorded since the last report; with
	// CurveReset it is the whole curve, replacing what came before.
	Curve      []TrainPoint `json:"curve,omitempty"`
	CurveReset bool         `json:"curveReset,omitempty"`
}

// TrainFilters are the conv net's first-layer filters.
type TrainFilters struct {
	Shape    [4]int   `json:"shape"`    // (F, C, K, K)
	Weights  Float32s `json:"weights"`  // (F, C, K, K)
	Bias     Float32s `json:"bias"`     // (F)
	Examples int      `json:"examples"` // training examples seen when they were read
}

// TrainSnapshot is the first-layer filters at one moment of training, a
// frame of the time-lapse. The first is taken at initialisation; later
// ones ever more sparsely (every 25% more examples), and when there are
// more than the time-lapse holds, every other one is dropped.
type TrainSnapshot struct {
	Examples int      `json:"examples"`
	Weights  Float32s `json:"weights"` // (F, C, K, K) as TrainFilters.Shape
}

// TrainMap is what one layer computed for one example, or the input itself.
type TrainMap struct {
	Layer  string   `json:"layer"` // e.g. "conv 5x5 x8, pad 2", or "input"
	Shape  []int    `json:"shape"` // (C, H, W) or (D)
	Values Float32s `json:"values"`
}

// TrainMaps are the conv net's activations for the chosen test example.
type TrainMaps struct {
	Index  int        `json:"index"` // into the test set
	Label  int        `json:"label"`
	Input  TrainMap   `json:"input"`  // (C, TrainCrop, TrainCrop) as the net sees it: p/255 − 0.5
	Layers []TrainMap `json:"layers"` // one per layer; the last holds the class scores
	Probs  Float32s   `json:"probs"`  // (K)
}

// TrainGallery is the conv net's answers for a fixed choice of test
// examples (the first TrainGalleryPerClass of each class) and its latest
// wrong answers.
type TrainGallery struct {
	Items    []TrainGuess `json:"items"`
	Mistakes []TrainGuess `json:"mistakes"` // newest last
}

// TrainGalleryPerClass is how many test examples of each class the
// gallery shows.
const TrainGalleryPerClass = 2

// TrainTemplates are the whole-image templates of the linear classifier
// (one per class) or of the MLP (one per hidden unit): the rows of the
// first layer's weight matrix, each reshaped to the input's (C, H, W).
type TrainTemplates struct {
	Model   string   `json:"model"`   // TrainLinear or TrainMLP
	Shape   [4]int   `json:"shape"`   // (units, C, H, W)
	Weights Float32s `json:"weights"` // (units, C, H, W)
	// Out is the MLP's second layer (K, Hidden): how much each class
	// score draws on each hidden template. Nil for the linear classifier.
	Out Float32s `json:"out,omitempty"`
}

// TrainDrawn is every model's answer for the student's drawing.
type TrainDrawn struct {
	Input  TrainMap   `json:"input"`  // (C, TrainCrop, TrainCrop) as the nets see it; no values: no drawing
	Conv   Float32s   `json:"conv"`   // (K) the conv net's probabilities
	Maps   []TrainMap `json:"maps"`   // the conv net's activations, one per layer
	Linear Float32s   `json:"linear"` // (K)
	MLP    Float32s   `json:"mlp"`    // (K)
	// Pretrained holds the probabilities of the shipped pretrained net for
	// the data set, if one ships.
	Pretrained Float32s `json:"pretrained,omitempty"`
}

// TrainDivergence says where training broke down and offers the fix.
type TrainDivergence struct {
	Model     string `json:"model"`     // which model diverged
	Step      int    `json:"step"`      // the step (1-based) that failed
	Layer     int    `json:"layer"`     // 1-based layer of that model; 0 if unknown
	LayerName string `json:"layerName"` // e.g. "conv 5x5 x8, pad 2"
	What      string `json:"what"`      // "loss", "gradient of W", "W", ...
	Value     string `json:"value"`     // "NaN", "+Inf" or "-Inf"
	Restored  int    `json:"restored"`  // the weights are those from the start of this step
	Message   string `json:"message"`   // all of the above in a sentence
	// Fix is the hyperparameters the one-click fix (TrainOpFix) sets, and
	// FixText says what it changes, e.g. "learning rate 1 → 0.1"; nil and
	// empty when there is nothing to offer.
	Fix     *TrainHyper `json:"fix,omitempty"`
	FixText string      `json:"fixText,omitempty"`
}

// TrainTestImage is a test example's picture, sent once so the page can
// draw it wherever it appears (gallery, mistakes, the chosen example).
type TrainTestImage struct {
	Index  int    `json:"index"`
	Label  int    `json:"label"`
	Shape  [3]int `json:"shape"`  // (C, H, W) of the whole picture, before cropping
	Pixels []byte `json:"pixels"` // (C, H, W), 0..255
}

// TrainHostInfo describes the loop that runs the session.
type TrainHostInfo struct {
	Where       string  `json:"where"`       // "worker" (a Web Worker) or "page" (inside the page's frames)
	SliceMs     float64 `json:"sliceMs"`     // the work slice between yields
	YieldMicros float64 `json:"yieldMicros"` // mean time a yield to the event loop takes
}

// TrainReport is what a session tells the page: the state that is small
// every time, and the big items only when they changed (nil otherwise).
// Reports are deltas: apply them in order with Merge (into a TrainView).
type TrainReport struct {
	Seq int `json:"seq"` // counts reports from 1
	// Settings are those in force: a refused change leaves them as they
	// were (and a message says why), so controls should show these.
	Settings TrainSettings `json:"settings"`
	Running  bool          `json:"running"`
	// Messages are what happened since the last report, in words: refusals,
	// divergence, loading; oldest first.
	Messages []string `json:"messages,omitempty"`
	// Diverged is set while the session is paused after a divergence.
	Diverged *TrainDivergence `json:"diverged,omitempty"`
	// Models are conv, linear and mlp, in that order.
	Models []TrainModelReport `json:"models"`
	// Examples counts the minibatch examples of every step taken, once per
	// step however many models train; ExamplesPerSecond is their rate over
	// the last second or more of playing, measured by the wall clock.
	Examples          int      `json:"examples"`
	ExamplesPerSecond float64  `json:"examplesPerSecond"`
	TestImage         int      `json:"testImage"` // the test example whose maps are shown
	TestSize          int      `json:"testSize"`  // test examples in the data set
	Classes           []string `json:"classes"`   // the data set's class names, by label
	// Images holds the pictures of test examples the reports mention
	// (gallery, mistakes, the chosen example) that were not sent before;
	// with ImagesReset (another data set) the earlier ones are void.
	Images      []TrainTestImage `json:"images,omitempty"`
	ImagesReset bool             `json:"imagesReset,omitempty"`
	// Snapshots holds the time-lapse frames taken since the last report;
	// with SnapshotsReset, the whole time-lapse.
	Snapshots      []TrainSnapshot `json:"snapshots,omitempty"`
	SnapshotsReset bool            `json:"snapshotsReset,omitempty"`

	Filters   *TrainFilters    `json:"filters,omitempty"`
	Maps      *TrainMaps       `json:"maps,omitempty"`
	Gallery   *TrainGallery    `json:"gallery,omitempty"`
	Confusion [][]int          `json:"confusion,omitempty"` // (K, K) of the conv net: [true][predicted]
	Templates []TrainTemplates `json:"templates,omitempty"` // those that changed
	Drawn     *TrainDrawn      `json:"drawn,omitempty"`
	Host      *TrainHostInfo   `json:"host,omitempty"`
	// Saved is every model's weights, when they changed since the last
	// report that carried them and training has stopped (a pause, a step,
	// a divergence, a reset, a load) or has gone on for TrainSaveEvery.
	Saved *TrainSaved `json:"saved,omitempty"`
	// Restores counts the restore commands the session has handled,
	// taken or refused: a Saved in a report that has not seen the page's
	// restore may be the seed's weights, made before the restore arrived.
	Restores int `json:"restores,omitempty"`
}

// trainMessagesMax bounds the messages a merged report keeps.
const trainMessagesMax = 16

// Merge folds next, the report that came after r, into r, so that r says
// everything both said: the latest state, every curve point and snapshot,
// every message (the last trainMessagesMax) and the latest big items.
// A view of the whole session is the merge of every report from the first.
func (r *TrainReport) Merge(next *TrainReport) {
	r.Seq, r.Settings, r.Running, r.Diverged = next.Seq, next.Settings, next.Running, next.Diverged
	r.Examples, r.ExamplesPerSecond, r.TestImage, r.TestSize = next.Examples, next.ExamplesPerSecond, next.TestImage, next.TestSize
	r.Classes = next.Classes
	r.Messages = append(r.Messages, next.Messages...)
	if next.ImagesReset {
		r.Images, r.ImagesReset = nil, true
	}
	r.Images = append(r.Images, next.Images...)
	if n := len(r.Messages); n > trainMessagesMax {
		r.Messages = append(r.Messages[:0], r.Messages[n-trainMessagesMax:]...)
	}
	old := r.Models
	r.Models = make([]TrainModelReport, len(next.Models))
	for i, m := range next.Models {
		var curve []TrainPoint
		reset := m.CurveReset
		if i < len(old) && old[i].Name == m.Name && !m.CurveReset {
			curve, reset = old[i].Curve, old[i].CurveReset
		}
		r.Models[i] = m
		r.Models[i].Curve = append(append([]TrainPoint(nil), curve...), m.Curve...)
		r.Models[i].CurveReset = reset
	}
	if next.SnapshotsReset {
		r.Snapshots, r.SnapshotsReset = nil, true
	}
	r.Snapshots = append(r.Snapshots, next.Snapshots...)
	if next.Filters != nil {
		r.Filters = next.Filters
	}
	if next.Maps != nil {
		r.Maps = next.Maps
	}
	if next.Gallery != nil {
		r.Gallery = next.Gallery
	}
	if next.Confusion != nil {
		r.Confusion = next.Confusion
	}
	for _, t := range next.Templates {
		replaced := false
		for i := range r.Templates {
			if r.Templates[i].Model == t.Model {
				r.Templates[i], replaced = t, true
			}
		}
		if !replaced {
			r.Templates = append(r.Templates, t)
		}
	}
	if next.Drawn != nil {
		r.Drawn = next.Drawn
	}
	if next.Host != nil {
		r.Host = next.Host
	}
	if next.Restores != r.Restores {
		r.Saved = nil // saved before the restore: void
	}
	if next.Saved != nil {
		r.Saved = next.Saved
	}
	r.Restores = next.Restores
}

// TrainView is the whole of a session as the page knows it: every report
// so far merged in order. Its zero value knows nothing yet (Seq 0).
type TrainView struct {
	TrainReport
}

// Apply merges the next report into the view.
func (v *TrainView) Apply(r *TrainReport) {
	v.Merge(r)
	v.Messages = nil // a view keeps the state; messages are news, read from each report
}

// Model returns the named model's statistics and whole curve, and whether
// the view has heard of it.
func (v *TrainView) Model(name string) (TrainModelReport, bool) {
	for _, m := range v.Models {
		if m.Name == name {
			return m, true
		}
	}
	return TrainModelReport{}, false
}

// Image returns the picture of test example i, if the view has it.
func (v *TrainView) Image(i int) (TrainTestImage, bool) {
	for _, im := range v.Images {
		if im.Index == i {
			return im, true
		}
	}
	return TrainTestImage{}, false
}

// Template returns the named model's templates, if the view has them.
func (v *TrainView) Template(model string) (TrainTemplates, bool) {
	for _, t := range v.Templates {
		if t.Model == model {
			return t, true
		}
	}
	return TrainTemplates{}, false
}
