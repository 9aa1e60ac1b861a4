package ui

import (
	"image"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	good := []struct {
		in   string
		want float32
	}{
		{"1", 1}, {"-0.5", -0.5}, {" 2 ", 2}, {".25", 0.25}, {"2e-3", 0.002},
		{"+3", 3}, {"1,5", 1.5}, {"−4", -4}, {"1000000", 1e6}, {"-1e6", -1e6},
	}
	for _, c := range good {
		got, err := ParseNumber(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	bad := []struct{ in, msg string }{
		{"abc", "not a number"},
		{"", "empty"},
		{"   ", "empty"},
		{"NaN", "finite"},
		{"nan", "finite"},
		{"Inf", "finite"},
		{"-infinity", "finite"},
		{"1e999", "too large"},
		{"1e7", "too large"},
		{"0x10", "decimal"},
		{"1_000", "decimal"},
		{"1.2.3", "not a number"},
		{"1,5,6", "not a number"},
	}
	for _, c := range bad {
		got, err := ParseNumber(c.in)
		if err == nil {
			t.Errorf("ParseNumber(%q) = %v, want an error", c.in, got)
			continue
		}
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("ParseNumber(%q) error %q does not say %q", c.in, err, c.msg)
		}
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1", "-0.5", "abc", "1e999", "NaN", "", "1,5", "−2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseNumber(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) || math.Abs(float64(v)) > MaxValue {
			t.Fatalf("ParseNumber(%q) accepted %v", s, v)
		}
	})
}

func TestWheelNotches(t *testing.T) {
	cases := []struct {
		dy   float64
		mode int
		want int
	}{
		{-100, 0, 1}, {100, 0, -1}, {-300, 0, 3}, {-3, 1, 1}, {6, 1, -2},
		{-4, 0, 1},    // a touchpad nudge still counts
		{-5000, 0, 5}, // a flick is capped
		{0, 0, 0}, {1, 2, -3},
	}
	for _, c := range cases {
		if got := WheelNotches(c.dy, c.mode); got != c.want {
			t.Errorf("WheelNotches(%v, %d) = %d, want %d", c.dy, c.mode, got, c.want)
		}
	}
}

func TestFit(t *testing.T) {
	cases := []struct {
		w, h    float64
		scale   float64
		layoutH int
		offX    float64
	}{
		{1280, 720, 1, 720, 0},
		{1280, 800, 1, 800, 0},
		{1024, 768, 0.8, 960, 0},
		{2560, 1440, 2, 720, 0},
		{1920, 720, 1, 720, 320},
	}
	for _, c := range cases {
		f := Fit(c.w, c.h)
		if f.Scale != c.scale || f.H != c.layoutH || f.OffX != c.offX {
			t.Errorf("Fit(%v, %v) = %+v, want scale %v, H %d, OffX %v", c.w, c.h, f, c.scale, c.layoutH, c.offX)
		}
		// The layout fills the window's width or height exactly.
		_, _, lw, lh := f.CSS(f.Rect())
		if lw > c.w+1e-9 || lh > c.h+1e-9 {
			t.Errorf("Fit(%v, %v): layout %vx%v overflows the window", c.w, c.h, lw, lh)
		}
	}
	if f := Fit(1024, 768); float64(Control)*f.Scale < 44 {
		t.Errorf("at 1024x768 a control is %v CSS px, want >= 44", float64(Control)*f.Scale)
	}
	f := Fit(0, 0)
	if f.Scale != 1 {
		t.Errorf("Fit(0,0).Scale = %v", f.Scale)
	}
	cx, cy, _, _ := f.CSS(image.Rect(10, 20, 30, 40))
	x, y := f.Unit(cx, cy)
	if x != 10 || y != 20 {
		t.Errorf("Unit(CSS(r)) = %v,%v, want 10,20", x, y)
	}
}

func TestGridAndRow(t *testing.T) {
	g := Grid(image.Pt(10, 20), 2, 3, 5, 1)
	// (i, j) -> rectangle, row-major:
	//   (10,20) (16,20) (22,20)
	//   (10,26) (16,26) (22,26)
	want := []image.Point{{10, 20}, {16, 20}, {22, 20}, {10, 26}, {16, 26}, {22, 26}}
	for k, p := range want {
		if g[k].Min != p || g[k].Dx() != 5 || g[k].Dy() != 5 {
			t.Errorf("Grid cell %d = %v, want 5x5 at %v", k, g[k], p)
		}
	}
	r := Row(0, 0, 10, 2, 4, 6)
	if r[0] != image.Rect(0, 0, 4, 10) || r[1] != image.Rect(6, 0, 12, 10) {
		t.Errorf("Row = %v", r)
	}
	if got := Inset(image.Rect(0, 0, 10, 10), 2); got != image.Rect(2, 2, 8, 8) {
		t.Errorf("Inset = %v", got)
	}
	if got := Inset(image.Rect(0, 0, 2, 2), 2); !got.Empty() {
		t.Errorf("Inset of a small rect = %v, want empty", got)
	}
}

func TestHitAndNames(t *testing.T) {
	ws := []Widget{
		{Name: "under", Rect: image.Rect(0, 0, 100, 100)},
		{Name: "over", Rect: image.Rect(10, 10, 20, 20)},
	}
	if i := Hit(ws, image.Pt(15, 15)); i != 1 {
		t.Errorf("Hit on overlap = %d, want the later widget 1", i)
	}
	if i := Hit(ws, image.Pt(50, 50)); i != 0 {
		t.Errorf("Hit = %d, want 0", i)
	}
	if i := Hit(ws, image.Pt(500, 50)); i != -1 {
		t.Errorf("Hit outside = %d, want -1", i)
	}
	if err := CheckNames(ws); err != nil {
		t.Error(err)
	}
	ws = append(ws, Widget{Name: "over"})
	if err := CheckNames(ws); err == nil || !strings.Contains(err.Error(), `"over"`) {
		t.Errorf("CheckNames with a duplicate = %v", err)
	}
}

func TestSliderAndDrag(t *testing.T) {
	cases := []struct{ v, min, max, step, want float64 }{
		{0.26, 0, 1, 0.1, 0.3}, {-5, 0, 1, 0.1, 0}, {7, 0, 1, 0.1, 1},
		{math.NaN(), 2, 9, 1, 2}, {5.5, 5, 9, 1, 6}, {3.3, 0, 10, 0, 3.3},
	}
	for _, c := range cases {
		if got := SnapSlider(c.v, c.min, c.max, c.step); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("SnapSlider(%v, %v, %v, %v) = %v, want %v", c.v, c.min, c.max, c.step, got, c.want)
		}
	}
	if got := DragSteps(-2 * DragPixels); got != 2 {
		t.Errorf("dragging up two steps = %d, want 2", got)
	}
	if got := DragSteps(3 * DragPixels); got != -3 {
		t.Errorf("dragging down three steps = %d, want -3", got)
	}
}

func TestTooltips(t *testing.T) {
	var tt Tooltips
	if tt.Showing() != "" {
		t.Fatal("zero Tooltips shows something")
	}
	if w := tt.Wait(); w >= 0 {
		t.Errorf("zero Tooltips waits %v s to show a tooltip", w)
	}
	tt.Event(Event{Type: PointerMove, Target: "step"})
	if w := tt.Wait(); w != TooltipDelay {
		t.Errorf("pointer just arrived: the tooltip shows in %v s, want %v", w, TooltipDelay)
	}
	tt.Tick(TooltipDelay / 2)
	if tt.Showing() != "" {
		t.Errorf("tooltip shown before the delay")
	}
	if w := tt.Wait(); w != TooltipDelay/2 {
		t.Errorf("half way: the tooltip shows in %v s, want %v", w, TooltipDelay/2)
	}
	tt.Tick(TooltipDelay)
	if tt.Showing() != "step" {
		t.Errorf("tooltip after resting = %q, want step", tt.Showing())
	}
	if w := tt.Wait(); w >= 0 {
		t.Errorf("tooltip showing, yet it waits %v s more", w)
	}
	tt.Event(Event{Type: Click, Target: "step"})
	if tt.Showing() != "" {
		t.Errorf("tooltip still shown after a click")
	}
	if w := tt.Wait(); w >= 0 {
		t.Errorf("after a click the tooltip waits %v s to show, want never until the pointer leaves", w)
	}
	tt.Event(Event{Type: PointerLeave, Target: "step"})
	tt.Event(Event{Type: Focus, Target: "back"})
	if tt.Showing() != "back" {
		t.Errorf("focus tooltip = %q, want back", tt.Showing())
	}
	tt.Event(Event{Type: Blur, Target: "back"})
	if tt.Showing() != "" {
		t.Errorf("tooltip after blur = %q", tt.Showing())
	}
}

// The page (web/ui.js and wasm/events.go) names kinds and events by these
// strings: each must be distinct and read back as itself.
func TestKindAndEventNames(t *testing.T) {
	kinds := map[string]Kind{}
	for k := Button; k <= File; k++ {
		n := k.String()
		if n == "unknown" || kinds[n] != 0 || (k != Button && n == Button.String()) {
			t.Errorf("kind %d is named %q, like another", k, n)
		}
		kinds[n] = k
	}
	if File.String() != "file" || Area.String() != "area" || (File+1).String() != "unknown" {
		t.Errorf("File is %q, Area %q, past File %q", File, Area, File+1)
	}
	for e := Click; e <= FileChosen; e++ {
		got, ok := ParseEventType(e.String())
		if !ok || got != e {
			t.Errorf("event %d is named %q, which reads back as %v, %v", e, e, got, ok)
		}
	}
	if e, ok := ParseEventType("file"); !ok || e != FileChosen {
		t.Errorf(`ParseEventType("file") = %v, %v`, e, ok)
	}
	if _, ok := ParseEventType("files"); ok || (FileChosen+1).String() != "unknown" {
		t.Errorf(`"files" reads as an event, or there is an event past FileChosen`)
	}
}

// A file chosen or dropped is forgotten by the tooltips like a click: the
// student acted, the hint goes.
func TestFileChosenEvent(t *testing.T) {
	var tt Tooltips
	tt.Event(Event{Type: Focus, Target: "upload"})
	if tt.Showing() != "upload" {
		t.Fatalf("focus tooltip = %q", tt.Showing())
	}
	tt.Event(Event{Type: FileChosen, Target: "upload", Text: "cat.png", Value: 3, Data: []byte{1, 2, 3}})
	if tt.Showing() != "" {
		t.Errorf("the tooltip %q stays after a file was chosen", tt.Showing())
	}
}

// TestWrap: with one unit per rune, lines hold at most w runes; a longer
// word gets a line of its own; line breaks stay; an empty paragraph is an
// empty line.
func TestWrap(t *testing.T) {
	runes := func(s string) float64 { return float64(len([]rune(s))) }
	tests := []struct {
		s    string
		w    float64
		want []string
	}{
		{"the quick brown fox", 9, []string{"the quick", "brown fox"}},
		{"the quick brown fox", 8, []string{"the", "quick", "brown", "fox"}},
		{"a convolutional net", 5, []string{"a", "convolutional", "net"}},
		{"W − K + 1\n\nend", 20, []string{"W − K + 1", "", "end"}},
		{"  spaced   out  ", 20, []string{"spaced out"}},
	}
	for _, tc := range tests {
		if got := Wrap(tc.s, tc.w, runes); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Wrap(%q, %g) = %q, want %q", tc.s, tc.w, got, tc.want)
		}
	}
}
