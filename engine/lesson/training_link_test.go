package lesson

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestFloat32sJSON: values travel bit for bit, NaN and infinities included,
// as base64 of little-endian float32 bits.
func TestFloat32sJSON(t *testing.T) {
	in := Float32s{0, 1, -2.5, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), math.SmallestNonzeroFloat32}
	b, err := json.Marshal(struct{ V Float32s }{in})
	if err != nil {
		t.Fatal(err)
	}
	// 1 is 0x3f800000: bytes 00 00 80 3f after the zero's four.
	if !strings.HasPrefix(string(b), `{"V":"AAAAAAAAgD8`) {
		t.Fatalf("encoded %s", b)
	}
	var out struct{ V Float32s }
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if math.Float32bits(in[i]) != math.Float32bits(out.V[i]) {
			t.Fatalf("value %d: %v came back as %v", i, in[i], out.V[i])
		}
	}
	for _, bad := range []string{`{"V":"AAA"}`, `{"V":"AAAAAAA="}`, `{"V":[1,2]}`, `{"V":"!!!!"}`} {
		if err := json.Unmarshal([]byte(bad), &out); err == nil {
			t.Errorf("%s decoded", bad)
		}
	}
	if err := json.Unmarshal([]byte(`{"V":null}`), &out); err != nil || out.V != nil {
		t.Fatalf("null: %v %v", out.V, err)
	}
}

// TestTrainMerge: merging reports one by one into a view, or first into
// one report and then into a view, gives the same view; curves grow by
// their appended points and restart at a reset.
func TestTrainMerge(t *testing.T) {
	sess, _ := newTrainTestSession(t, DefaultTrainSettings(), 6*time.Millisecond)
	var reports []*TrainReport
	mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
	for i := range 12 {
		sess.Run(30 * time.Millisecond)
		if i == 6 {
			mustDo(t, sess, TrainCommand{Op: TrainOpReset})
			mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
		}
		reports = append(reports, sess.Report())
	}
	var one TrainView
	for _, r := range reports {
		one.Apply(roundTrip(t, r))
	}
	var merged TrainReport
	for _, r := range reports {
		merged.Merge(roundTrip(t, r))
	}
	var two TrainView
	two.Apply(&merged)
	if !reflect.DeepEqual(one, two) {
		t.Fatal("merging first and applying once differs from applying each report")
	}
	conv, _ := one.Model(TrainConv)
	want := sess.model(TrainConv).curve
	if !reflect.DeepEqual(conv.Curve, want) || len(want) == 0 {
		t.Fatalf("view curve %v, session curve %v", conv.Curve, want)
	}
	if len(one.Snapshots) != len(sess.snapshots) || one.Snapshots[0].Examples != 0 {
		t.Fatalf("view has %d frames, session %d", len(one.Snapshots), len(sess.snapshots))
	}
	if one.Filters == nil || one.Maps == nil || one.Gallery == nil || len(one.Templates) != 2 || one.Drawn == nil {
		t.Fatal("the view lacks a big item")
	}
	if one.Messages != nil {
		t.Fatal("a view keeps messages")
	}
	if _, ok := one.Template(TrainMLP); !ok {
		t.Fatal("no MLP templates in the view")
	}
	// The view holds the picture of every test example it mentions, once.
	checkImages := func(v *TrainView, c, side int) {
		t.Helper()
		mentioned := []int{v.Maps.Index}
		for _, g := range append(v.Gallery.Items, v.Gallery.Mistakes...) {
			mentioned = append(mentioned, g.Index)
		}
		for _, i := range mentioned {
			im, ok := v.Image(i)
			if !ok || im.Shape != [3]int{c, side, side} || len(im.Pixels) != c*side*side || im.Label != int(sess.testSrc.Set.Labels[i]) {
				t.Fatalf("picture of test example %d: %v %v", i, ok, im.Shape)
			}
		}
		seen := map[int]bool{}
		for _, im := range v.Images {
			if seen[im.Index] {
				t.Fatalf("test example %d sent twice", im.Index)
			}
			seen[im.Index] = true
		}
	}
	checkImages(&one, 1, 28)
	if len(one.Classes) != 10 || one.Classes[3] != "3" {
		t.Fatalf("classes %q", one.Classes)
	}
	s := DefaultTrainSettings()
	s.Data = TrainColour
	mustDo(t, sess, TrainCommand{Op: TrainOpSettings, Settings: &s})
	one.Apply(roundTrip(t, sess.Report()))
	checkImages(&one, 3, 32)
	if len(one.Classes) != 6 || one.Classes[4] != "red-green" {
		t.Fatalf("colour classes %q", one.Classes)
	}
}

func roundTrip(t testing.TB, r *TrainReport) *TrainReport {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	out := new(TrainReport)
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTrainCurveThinning: a curve never holds more than TrainCurveMax
// points; when full it keeps every other point and records half as often,
// so its points stay evenly spread.
func TestTrainCurveThinning(t *testing.T) {
	s := DefaultTrainSettings()
	s.Models = TrainModels{Linear: true}
	s.Hyper.Batch = 100
	sess, _ := newTrainTestSession(t, s, time.Millisecond)
	m := sess.model(TrainLinear)
	mustDo(t, sess, TrainCommand{Op: TrainOpPlay})
	for range 300 { // 30,000 examples: points every 100 would be 300
		sess.round()
	}
	if len(m.curve) > TrainCurveMax || len(m.curve) < TrainCurveMax/2 || m.curveEvery != 2*TrainCurveFirst {
		t.Fatalf("%d points, every %d examples", len(m.curve), m.curveEvery)
	}
	for i := 1; i < len(m.curve); i++ {
		gap := m.curve[i].Examples - m.curve[i-1].Examples
		if gap != 100 && gap != 200 {
			t.Fatalf("points %d and %d are %d examples apart", i-1, i, gap)
		}
	}
	r := sess.Report()
	if !r.Models[1].CurveReset || len(r.Models[1].Curve) != len(m.curve) {
		t.Fatal("a thinned curve is not sent whole")
	}
}

// TestLocalTrainLink: commands and reports go through JSON; reports come
// ten a second at most while training, at once after a command, and not
// at all when nothing changed.
func TestLocalTrainLink(t *testing.T) {
	clock := newFakeClock(10 * time.Millisecond)
	link, err := NewLocalTrainLink(trainTestData(t, 300, 60), clock.read)
	if err != nil {
		t.Fatal(err)
	}
	if link.Where() != "page" {
		t.Fatalf("where %q", link.Where())
	}
	var view TrainView
	poll := func(budget time.Duration) []*TrainReport {
		rs := link.Poll(budget, nil)
		for _, r := range rs {
			view.Apply(r)
		}
		return rs
	}
	// Idle: the first poll answers the test set (busy), then nothing.
	for range 100 {
		poll(20 * time.Millisecond)
	}
	if rs := poll(20 * time.Millisecond); len(rs) != 0 {
		t.Fatalf("%d reports while idle", len(rs))
	}
	if view.Seq == 0 || view.Models[0].TestCount != 60 || !view.Models[0].TestExact {
		t.Fatalf("idle view: seq %d, %+v", view.Seq, view.Models[0])
	}
	s := DefaultTrainSettings()
	s.Hyper.LR = 0.5
	link.Send(TrainCommand{Op: TrainOpSettings, Settings: &s})
	link.Send(TrainCommand{Op: TrainOpPlay})
	// An answer comes within a few polls (after trainAckEvery at most).
	answer := func() []*TrainReport {
		var rs []*TrainReport
		for i := 0; i < 10 && len(rs) == 0; i++ {
			rs = poll(time.Millisecond)
		}
		return rs
	}
	rs := answer()
	if len(rs) != 1 || !rs[0].Running || rs[0].Settings.Hyper.LR != 0.5 || rs[0].Host.Where != "page" {
		t.Fatalf("after play: %d reports", len(rs))
	}
	// While training, reports come at most every 100 ms of the clock.
	start := clock.now
	n := 0
	for clock.now.Sub(start) < time.Second {
		n += len(poll(30 * time.Millisecond))
	}
	if n < 5 || n > 11 {
		t.Fatalf("%d reports in a second of training", n)
	}
	link.Send(TrainCommand{Op: "fly"})
	rs = answer()
	if len(rs) != 1 || len(rs[0].Messages) != 1 || !strings.Contains(rs[0].Messages[0], `unknown command "fly"`) {
		t.Fatalf("unknown command: %+v", rs)
	}
	link.Host().Receive([]byte(`{"op": 3}`))
	rs = answer()
	if len(rs) != 1 || !strings.Contains(rs[0].Messages[0], "could not be read") {
		t.Fatalf("malformed command: %+v", rs)
	}
	if view.ExamplesPerSecond <= 0 || view.Examples == 0 {
		t.Fatalf("view: %v examples/s, %d examples", view.ExamplesPerSecond, view.Examples)
	}
}
