package app

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"convlab/engine/data"
	"convlab/engine/lesson"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// beyondDigit is a stand-in digit: a vertical bar.
func beyondDigit() (*tensor.Tensor, error) {
	x := tensor.New(1, 28, 28)
	for y := 4; y < 24; y++ {
		for i := 12; i < 16; i++ {
			x.Data[y*28+i] = 1
		}
	}
	return x, nil
}

// beyondApp returns an app showing lesson 5 laid out for a w x h window.
func beyondApp(t testing.TB, w, h float64) (*App, *BeyondScreen) {
	t.Helper()
	s := NewBeyondScreen(BeyondConfig{Pictures: data.PicturesAt(32)[:3], Seed: 1, Digit: beyondDigit})
	ss := placeholders()
	ss[4] = s
	a := New(ss)
	a.Show(4)
	a.Resize(w, h)
	return a, s
}

// beyondSizes are the windows every tab must fit: a 1024x768 projector,
// a 1280x800 laptop.
var beyondSizes = [][2]float64{{1024, 768}, {1280, 800}}

// checkBeyondLayout checks the page as it is now (see checkPage).
func checkBeyondLayout(t *testing.T, a *App, s *BeyondScreen, what string) {
	t.Helper()
	checkPage(t, a, s.Marks(), s.dropped, true, what)
}

// beyondDo sends an event and fails if the screen did not use it.
func beyondDo(t *testing.T, a *App, ev ui.Event) {
	t.Helper()
	if ev.Target != "" {
		if _, ok := ui.Find(a.Widgets(), ev.Target); !ok {
			t.Fatalf("no widget %q", ev.Target)
		}
	}
	before := a.Encode()
	_, n := a.Announcer().Last()
	a.Handle(ev)
	if _, m := a.Announcer().Last(); m == n && a.Encode() == before {
		t.Fatalf("%s on %s did nothing", ev.Type, ev.Target)
	}
}

func beyondClick(t *testing.T, a *App, name string) {
	t.Helper()
	beyondDo(t, a, ui.Event{Type: ui.Click, Target: name})
}

func beyondState(t *testing.T, s *BeyondScreen) BeyondScreenState {
	t.Helper()
	b, err := json.Marshal(s.State())
	if err != nil {
		t.Fatal(err)
	}
	var st BeyondScreenState
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestBeyondLayout lays out every tab, in its states, at both sizes.
func TestBeyondLayout(t *testing.T) {
	for _, size := range beyondSizes {
		a, s := beyondApp(t, size[0], size[1])
		at := fmt.Sprintf("%vx%v", size[0], size[1])
		check := func(what string) { t.Helper(); checkBeyondLayout(t, a, s, at+" "+what) }
		check("receptive")
		beyondClick(t, a, "field-add-3") // 3x3 stride 2: 15 → 8
		beyondClick(t, a, "field-add-4") // pool: 8 → 4
		check("receptive, downsampled")
		beyondClick(t, a, "field-add-0")
		beyondClick(t, a, "field-add-1")
		beyondClick(t, a, "field-add-2") // the stack is full: 6 layers
		check("receptive, full")
		for len(s.m.Field.Layers()) > 0 {
			beyondClick(t, a, "field-remove")
		}
		check("receptive, empty")
		beyondClick(t, a, "tab-1x1")
		check("1x1")
		beyondClick(t, a, "mix-preset-opponent")
		beyondDo(t, a, ui.Event{Type: ui.Commit, Target: "mix-w-0-0", Text: "−123.456"})
		check("1x1, opponent")
		beyondClick(t, a, "tab-pool")
		check("pool")
		beyondClick(t, a, "pool-max-1-0")
		check("pool, chosen")
		beyondClick(t, a, "pool-side-6")
		beyondClick(t, a, "pool-stride-1")
		beyondClick(t, a, "pool-max-4-4")
		check("pool, 6x6 overlapping")
		beyondClick(t, a, "pool-size-3")
		beyondClick(t, a, "pool-stride-2")
		check("pool, no output")
		beyondClick(t, a, "tab-lenet")
		check("lenet")
		beyondClick(t, a, "net-preset-no-padding")
		check("lenet, no padding")
		beyondDo(t, a, ui.Event{Type: ui.Commit, Target: "net-3-kernel", Text: "13"})
		check("lenet, broken")
		beyondClick(t, a, "tab-batchnorm")
		check("batchnorm")
		beyondClick(t, a, "norm-test")
		beyondClick(t, a, "norm-train-20")
		check("batchnorm, test mode")
	}
}

// TestBeyondDeck walks the tabs with the deck keys, into the lesson from
// the one before and out at the end.
func TestBeyondDeck(t *testing.T) {
	a, s := beyondApp(t, 1280, 800)
	a.Show(3)
	a.Next()
	if a.Index() != 4 || s.Tab() != "receptive" {
		t.Fatalf("→ from lesson 4 shows lesson %d, tab %q", a.Index()+1, s.Tab())
	}
	for _, want := range BeyondTabs[1:] {
		a.Handle(ui.Event{Type: ui.Key, Key: "ArrowRight"})
		if s.Tab() != want {
			t.Fatalf("→ shows %q, want %q", s.Tab(), want)
		}
		if msg, _ := a.Announcer().Last(); msg == "" {
			t.Errorf("the %s tab opened silently", want)
		}
	}
	a.Handle(ui.Event{Type: ui.Key, Key: "PageDown"})
	if a.Index() != 4 || s.Tab() != "batchnorm" {
		t.Errorf("past the last tab: lesson %d, tab %q", a.Index()+1, s.Tab())
	}
	for range BeyondTabs[1:] {
		a.Handle(ui.Event{Type: ui.Key, Key: "PageUp"})
	}
	if s.Tab() != "receptive" || a.Index() != 4 {
		t.Fatalf("back at the first tab: %q", s.Tab())
	}
	a.Handle(ui.Event{Type: ui.Key, Key: "ArrowLeft"})
	if a.Index() != 3 {
		t.Errorf("← from the first tab shows lesson %d, want 4", a.Index()+1)
	}
	if st := beyondState(t, s); st.Net.Built == 0 || len(st.Net.Ran) != 10 {
		t.Errorf("the LeNet tab was opened but its net was not run: %+v", st.Net)
	}
}

func TestBeyondReceptiveEvents(t *testing.T) {
	a, s := beyondApp(t, 1024, 768)
	// Pooling does not fit 15x15: its button is greyed out and says why.
	w, _ := ui.Find(a.Widgets(), "field-add-4")
	if !w.Disabled || !strings.Contains(w.Tooltip, "7.5 is not a whole number") {
		t.Errorf("the pooling button on 15x15: disabled %v, %q", w.Disabled, w.Tooltip)
	}
	a.Handle(ui.Event{Type: ui.Click, Target: "field-add-4"})
	if msg, _ := a.Announcer().Last(); !strings.Contains(msg, "7.5 is not a whole number") || len(s.m.Field.Layers()) != 3 {
		t.Errorf("adding pooling anyway: %q, %d layers", msg, len(s.m.Field.Layers()))
	}
	beyondClick(t, a, "field-add-3")
	st := beyondState(t, s)
	if fmt.Sprint(st.Receptive.Sides) != "[15 15 15 15 8]" || fmt.Sprint(st.Receptive.Seen) != "[1 3 5 7 9]" {
		t.Errorf("after a stride-2 layer: sides %v, seen %v", st.Receptive.Sides, st.Receptive.Seen)
	}
	// Click unit (1, 6) of the 8x8 output: the click lands in its cell.
	area := s.areas["field-pick"]
	pick, _ := ui.Find(a.Widgets(), "field-pick")
	c := float64(area.grid.Dx()) / 8
	sc := a.Frame().Scale
	x := (float64(area.grid.Min.X-pick.Rect.Min.X) + 6.5*c) * sc
	y := (float64(area.grid.Min.Y-pick.Rect.Min.Y) + 1.5*c) * sc
	beyondDo(t, a, ui.Event{Type: ui.Click, Target: "field-pick", X: x, Y: y})
	st = beyondState(t, s)
	// Unit (1, 6) after stride 2 (pad 1) reads layer-3 rows 1..3, columns
	// 11..13; three 3x3 layers with padding 1 widen that by 3 each side.
	if st.Receptive.Unit != [2]int{1, 6} || st.Receptive.Field != [4]int{8, -2, 17, 7} {
		t.Errorf("unit %v, field %v; want (1, 6) and x 8..16, y −2..6", st.Receptive.Unit, st.Receptive.Field)
	}
	if msg, _ := a.Announcer().Last(); !strings.Contains(msg, "rows −2–6, cols 8–16 (2 in padding)") {
		t.Errorf("the unit's words: %q", msg)
	}
	beyondClick(t, a, "field-reset")
	if st := beyondState(t, s); len(st.Receptive.Layers) != 3 || st.Receptive.Unit != [2]int{7, 7} {
		t.Errorf("after reset: %v, unit %v", st.Receptive.Layers, st.Receptive.Unit)
	}
}

func TestBeyondMixEvents(t *testing.T) {
	a, s := beyondApp(t, 1280, 800)
	beyondClick(t, a, "tab-1x1")
	m := s.m.Mix
	beyondDo(t, a, ui.Event{Type: ui.Commit, Target: "mix-w-0-0", Text: "abc"})
	if w, _ := ui.Find(a.Widgets(), "mix-w-0-0"); !w.Error || m.Weight(0, 0) != 0.299 {
		t.Errorf("abc: error shown %v, weight %v", w.Error, m.Weight(0, 0))
	}
	if msg, _ := a.Announcer().Last(); !strings.Contains(msg, "abc") || !strings.Contains(msg, "stays 0.299") {
		t.Errorf("the refusal says %q", msg)
	}
	beyondDo(t, a, ui.Event{Type: ui.Commit, Target: "mix-w-0-0", Text: "1"})
	if w, _ := ui.Find(a.Widgets(), "mix-w-0-0"); w.Error || m.Weight(0, 0) != 1 || m.Preset() != "" {
		t.Errorf("1: error %v, weight %v, preset %q", w.Error, m.Weight(0, 0), m.Preset())
	}
	beyondDo(t, a, ui.Event{Type: ui.Wheel, Target: "mix-b-2", Delta: 2})
	a.Handle(ui.Event{Type: ui.PointerDown, Target: "mix-w-1-2", Y: 20})
	beyondDo(t, a, ui.Event{Type: ui.PointerMove, Target: "mix-w-1-2", Y: 4}) // 16 px up: two steps
	a.Handle(ui.Event{Type: ui.PointerUp, Target: "mix-w-1-2", Y: 4})
	if m.Bias(2) != 0.2 || m.Weight(1, 2) != 0.314 {
		t.Errorf("wheel and drag: bias %v, weight %v", m.Bias(2), m.Weight(1, 2))
	}
	// A drag whose release the page missed ends when the pointer leaves:
	// hovering the cell again later changes nothing.
	a.Handle(ui.Event{Type: ui.PointerDown, Target: "mix-w-1-2", Y: 20})
	a.Handle(ui.Event{Type: ui.PointerLeave, Target: "mix-w-1-2"})
	a.Handle(ui.Event{Type: ui.PointerMove, Target: "mix-w-1-2", Y: 0})
	if m.Weight(1, 2) != 0.314 {
		t.Errorf("a hover after a lost drag moved the weight to %v", m.Weight(1, 2))
	}
	// Probe a pixel by clicking the output picture: pixel (3, 30).
	in := s.areas["mix-output"]
	sc := a.Frame().Scale
	c := float64(in.grid.Dx()) / 32
	beyondDo(t, a, ui.Event{Type: ui.Click, Target: "mix-output", X: 30.5 * c * sc, Y: 3.5 * c * sc})
	st := beyondState(t, s)
	x := m.Input()
	want := 1*x.At(0, 3, 30) + 0.587*x.At(1, 3, 30) + 0.114*x.At(2, 3, 30) // out 0 with its red weight set to 1
	if st.Mix.Probe != [2]int{3, 30} || st.Mix.Out[0] != m.Output().At(0, 3, 30) || fmt.Sprintf("%.5f", st.Mix.Out[0]) != fmt.Sprintf("%.5f", want) {
		t.Errorf("probe %v out %v, want (3, 30) and %v", st.Mix.Probe, st.Mix.Out, want)
	}
	beyondClick(t, a, "mix-pic-2")
	beyondClick(t, a, "mix-preset-swap-red-and-blue")
	st = beyondState(t, s)
	if st.Mix.Preset != "swap red and blue" || st.Mix.Picture != m.Pictures()[2].Name || st.Mix.Weights[0][2] != 1 {
		t.Errorf("preset %q, picture %q, weights %v", st.Mix.Preset, st.Mix.Picture, st.Mix.Weights)
	}
}

func TestBeyondPoolEvents(t *testing.T) {
	a, s := beyondApp(t, 1280, 800)
	beyondClick(t, a, "tab-pool")
	beyondClick(t, a, "pool-avg-0-1")
	st := beyondState(t, s)
	if st.Pool.Selected == nil || *st.Pool.Selected != [2]int{0, 1} || st.Pool.Winners[1] != [2]int{1, 3} {
		t.Fatalf("chosen %v, winners %v", st.Pool.Selected, st.Pool.Winners)
	}
	if msg, _ := a.Announcer().Last(); msg != "Output (0, 1): max(2, 4, 7, 8) = 8, from input (1, 3); average (2 + 4 + 7 + 8)/4 = 5.25." {
		t.Errorf("the output's words: %q", msg)
	}
	// Type a 9 over the 4: the top-right output becomes 9, won by (0, 3).
	beyondDo(t, a, ui.Event{Type: ui.Commit, Target: "pool-in-0-3", Text: "9"})
	st = beyondState(t, s)
	if st.Pool.Max[0][1] != 9 || st.Pool.Winners[1] != [2]int{0, 3} || st.Pool.Avg[0][1] != 6.5 {
		t.Errorf("after 9: max %v, winner %v, avg %v", st.Pool.Max, st.Pool.Winners[1], st.Pool.Avg)
	}
	beyondDo(t, a, ui.Event{Type: ui.Commit, Target: "pool-in-0-3", Text: "nine"})
	if w, _ := ui.Find(a.Widgets(), "pool-in-0-3"); !w.Error || s.m.Pool.Value(0, 3) != 9 {
		t.Errorf("nine: error %v, value %v", w.Error, s.m.Pool.Value(0, 3))
	}
	beyondDo(t, a, ui.Event{Type: ui.Wheel, Target: "pool-in-0-3", Delta: -1})
	if s.m.Pool.Value(0, 3) != 8 {
		t.Errorf("wheel down from 9 gives %v", s.m.Pool.Value(0, 3))
	}
	beyondClick(t, a, "pool-size-3")
	st = beyondState(t, s)
	if !strings.Contains(st.Pool.Error, "(4 − 3 + 0)/2 + 1 = 1.5") || st.Pool.Max != nil {
		t.Errorf("3x3 stride 2 on 4x4: %q", st.Pool.Error)
	}
	if _, ok := ui.Find(a.Widgets(), "pool-max-0-0"); ok {
		t.Error("an output with no output shape is still clickable")
	}
	beyondClick(t, a, "pool-example")
	if st = beyondState(t, s); fmt.Sprint(st.Pool.Max) != "[[6 8] [3 4]]" {
		t.Errorf("the lecture's example again: %v", st.Pool.Max)
	}
	beyondClick(t, a, "pool-max-1-1")
	a.Handle(ui.Event{Type: ui.Key, Key: "Escape"})
	if beyondState(t, s).Pool.Selected != nil {
		t.Error("Escape left the output chosen")
	}
}

func TestBeyondNetEvents(t *testing.T) {
	a, s := beyondApp(t, 1280, 800)
	beyondClick(t, a, "tab-lenet")
	st := beyondState(t, s)
	if st.Net.Preset != "lecture" || st.Net.Params != 1256080 || st.Net.Rows[7].Weight != "500 x 2450" || len(st.Net.Ran) != 10 || st.Net.Ran[5] != "50 x 7 x 7" {
		t.Fatalf("the lecture's table: %+v", st.Net)
	}
	beyondClick(t, a, "net-preset-no-padding")
	if st = beyondState(t, s); st.Net.Rows[7].Params != 400500 || st.Net.Params != 431080 {
		t.Errorf("no padding: fc1 %d, total %d", st.Net.Rows[7].Params, st.Net.Params)
	}
	beyondDo(t, a, ui.Event{Type: ui.Commit, Target: "net-3-kernel", Text: "13"})
	st = beyondState(t, s)
	if st.Net.Failing != 3 || !strings.HasPrefix(st.Net.Error, "layer 4 (conv 13x13 x50)") || len(st.Net.Ran) != 0 {
		t.Errorf("kernel 13: failing %d, %q, ran %v", st.Net.Failing, st.Net.Error, st.Net.Ran)
	}
	if msg, _ := a.Announcer().Last(); !strings.Contains(msg, "Layer 4 (conv 13x13 x50)") {
		t.Errorf("kernel 13 says %q", msg)
	}
	beyondDo(t, a, ui.Event{Type: ui.Commit, Target: "net-3-kernel", Text: "2.5"})
	if w, _ := ui.Find(a.Widgets(), "net-3-kernel"); !w.Error || w.Text != "13" {
		t.Errorf("2.5: error %v, text %q", w.Error, w.Text)
	}
	beyondDo(t, a, ui.Event{Type: ui.Wheel, Target: "net-3-kernel", Delta: -8})
	st = beyondState(t, s)
	if st.Net.Error != "" || st.Net.Rows[3].Weight != "50 x 20 x 5 x 5" {
		t.Errorf("wheeled back to 5: %q, %v", st.Net.Error, st.Net.Rows[3])
	}
	beyondDo(t, a, ui.Event{Type: ui.Commit, Target: "net-0-filters", Text: "6"})
	if st = beyondState(t, s); st.Net.Rows[3].Params != 7550 || st.Net.Rows[0].Output != "6 x 24 x 24" {
		t.Errorf("6 filters: conv2 %+v", st.Net.Rows[3])
	}
}

func TestBeyondNormEvents(t *testing.T) {
	a, s := beyondApp(t, 1280, 800)
	beyondClick(t, a, "tab-batchnorm")
	beyondDo(t, a, ui.Event{Type: ui.Commit, Target: "norm-gamma-0", Text: "2"})
	beyondDo(t, a, ui.Event{Type: ui.Commit, Target: "norm-beta-0", Text: "−1"})
	st := beyondState(t, s)
	// Training mode: channel 0 of the output has mean β = −1 and variance
	// about γ² = 4.
	var sum, sq float64
	for _, ex := range st.Norm.Y {
		for _, v := range ex[0] {
			sum += float64(v)
			sq += float64(v) * float64(v)
		}
	}
	mean, vari := sum/12, sq/12-(sum/12)*(sum/12)
	if fmt.Sprintf("%.3f %.2f", mean, vari) != "-1.000 4.00" {
		t.Errorf("channel 0 after γ 2, β −1: mean %v, variance %v", mean, vari)
	}
	beyondDo(t, a, ui.Event{Type: ui.Commit, Target: "norm-beta-0", Text: ""})
	if w, _ := ui.Find(a.Widgets(), "norm-beta-0"); !w.Error || s.m.Norm.Beta(0) != -1 {
		t.Errorf("an empty β: error %v, β %v", w.Error, s.m.Norm.Beta(0))
	}
	beyondClick(t, a, "norm-test")
	beyondClick(t, a, "norm-train-20")
	st = beyondState(t, s)
	if !st.Norm.Test || st.Norm.Steps != 20 || st.Norm.RunMean[0] < 5 || st.Norm.FoldDiff > 1e-5 {
		t.Errorf("after 20 batches: %+v", st.Norm)
	}
	beyondClick(t, a, "norm-reset")
	if st = beyondState(t, s); st.Norm.Steps != 0 || st.Norm.RunMean[0] != 0 || st.Norm.RunVar[0] != 1 {
		t.Errorf("after a reset: %+v", st.Norm)
	}
}

func TestBeyondPersist(t *testing.T) {
	a, s := beyondApp(t, 1280, 800)
	beyondClick(t, a, "field-add-3")
	beyondClick(t, a, "tab-pool")
	beyondClick(t, a, "pool-side-6")
	beyondClick(t, a, "tab-batchnorm")
	beyondClick(t, a, "norm-train-1")
	link := a.Encode()
	b, s2 := beyondApp(t, 1280, 800)
	b.Show(0)
	if err := b.Decode(link); err != nil {
		t.Fatal(err)
	}
	if b.Index() != 4 || s2.Tab() != "batchnorm" || b.Encode() != link {
		t.Errorf("restored: lesson %d, tab %q\n%s\n%s", b.Index()+1, s2.Tab(), link, b.Encode())
	}
	j1, _ := json.Marshal(s.State())
	j2, _ := json.Marshal(s2.State())
	if string(j1) != string(j2) {
		t.Errorf("states differ after a round trip:\n%s\n%s", j1, j2)
	}
	// A bad part is refused and changes nothing.
	for _, bad := range []string{"t=nowhere", "pv=1,2&t=pool", "l=q"} {
		if err := s2.Decode(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
		if s2.Tab() != "batchnorm" || b.Encode() != link {
			t.Fatalf("decoding %q changed the lesson", bad)
		}
	}
	if err := s2.Decode("t=lenet"); err != nil || s2.Tab() != "lenet" || lesson.Index(s2.Info().ID) != 4 {
		t.Errorf("only a tab: %v, %q", err, s2.Tab())
	}
}
