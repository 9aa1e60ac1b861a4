package lesson

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"convlab/engine/ui"
)

// drawGrid writes an n x n grid from at(y, x) as a picture, "." for 0.
func drawGrid(n int, at func(y, x int) string) string {
	var b strings.Builder
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if x > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(at(y, x))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// cellText writes a value as a picture cell: "." for zero.
func cellText(v float32) string {
	if v == 0 {
		return "."
	}
	return FormatNumber(v)
}

// slidingInput draws channel c of the model's input.
func slidingInput(m *Sliding, c int) string {
	return drawGrid(m.Size(), func(y, x int) string { return cellText(m.Input(c, y, x)) })
}

// slidingOutput draws output map o, "_" where the value is hidden.
func slidingOutput(m *Sliding, o int) string {
	h, _ := m.OutputSize()
	return drawGrid(h, func(i, j int) string {
		v, shown := m.Output(o, i, j)
		if !shown {
			return "_"
		}
		return cellText(v)
	})
}

func sameGrid(t *testing.T, what, got, want string) {
	t.Helper()
	norm := func(s string) string {
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
			lines = append(lines, strings.Join(strings.Fields(l), " "))
		}
		return strings.Join(lines, "\n")
	}
	if norm(got) != norm(want) {
		t.Errorf("%s:\n got\n%s\nwant\n%s", what, norm(got), norm(want))
	}
}

// revealAll steps to the end.
func revealAll(t *testing.T, m *Sliding) {
	t.Helper()
	for m.Step() != AtEnd {
	}
}

func TestSlidingDefault(t *testing.T) {
	m := NewSliding(1)
	if m.Size() != 7 || m.Kernel() != 3 || m.Padding() != 1 || m.Stride() != 1 || m.ChannelsMode() {
		t.Fatalf("default shape N %d K %d P %d S %d channels %v", m.Size(), m.Kernel(), m.Padding(), m.Stride(), m.ChannelsMode())
	}
	sameGrid(t, "default input", slidingInput(m, 0), `
		. . . . . . .
		. 1 1 1 1 1 .
		. . . . . 1 .
		. . . . 1 . .
		. . . . 1 . .
		. . . 1 . . .
		. . . . . . .`)
	sameGrid(t, "default filter", drawGrid(3, func(u, v int) string { return cellText(m.Weight(0, 0, u, v)) }), `
		−1 . 1
		−2 . 2
		−1 . 1`)
	if h, err := m.OutputSize(); h != 7 || err != nil {
		t.Fatalf("output size %d, %v; want 7", h, err)
	}
	sameGrid(t, "nothing computed yet", slidingOutput(m, 0), strings.Repeat("_ _ _ _ _ _ _\n", 7))
	revealAll(t, m)
	// Worked by hand: (0,0) = 1·1 (the 1 at input (1,1) under weight (2,2));
	// (1,4) = −2·1 + 2·1 + 1·1 = 1; (3,3) = 2·1 + 1·1 = 3. The rest follow
	// the same way: positive left of a stroke, negative right of it.
	sameGrid(t, "default output", slidingOutput(m, 0), `
		1 1 . . . −1 −1
		2 2 . . 1 −2 −3
		1 1 . 1 2 −2 −3
		. . . 3 1 −3 −1
		. . 1 3 −1 −3 .
		. . 2 1 −2 −1 .
		. . 1 . −1 . .`)
	if got, want := m.Formula(), "(7 − 3 + 2·1)/1 + 1 = 7"; got != want {
		t.Errorf("formula %q, want %q", got, want)
	}
	if got, want := m.ShapeText(), "1 x 7 x 7 -> 1 x 7 x 7"; got != want {
		t.Errorf("shape %q, want %q", got, want)
	}
}

// stepPicture draws, on the padded input, the step at which each window's
// top-left corner is visited ("." for none), stepping through filter 0.
func stepPicture(t *testing.T, m *Sliding) string {
	t.Helper()
	at := map[[2]int]int{}
	for step := 0; ; step++ {
		if mv := m.Step(); mv != Moved {
			if mv != AtEnd || step != m.Steps() {
				t.Fatalf("step %d: %v, want at end after %d steps", step, mv, m.Steps())
			}
			break
		}
		o, i, j, ok := m.Position()
		if h, _ := m.OutputSize(); !ok || (o*h+i)*h+j != step {
			t.Fatalf("step %d at (%d,%d,%d), out of output order", step, o, i, j)
		}
		w, _ := m.Window()
		if w.Row != i*m.Stride() || w.Col != j*m.Stride() || w.K != m.Kernel() {
			t.Fatalf("step %d: window at (%d,%d) size %d, want (%d,%d) size %d", step, w.Row, w.Col, w.K, i*m.Stride(), j*m.Stride(), m.Kernel())
		}
		if o == 0 {
			at[[2]int{w.Row, w.Col}] = step
		}
	}
	return drawGrid(m.PaddedSize(), func(y, x int) string {
		if s, ok := at[[2]int{y, x}]; ok {
			return fmt.Sprint(s)
		}
		return "."
	})
}

func TestSlidingSteppingOrder(t *testing.T) {
	tests := []struct {
		name       string
		n, k, p, s int
		out        int
		want       string // step index at each window's top-left, on the padded input
	}{
		{"7x7 K3 P1 S1", 7, 3, 1, 1, 7, `
			0  1  2  3  4  5  6  .  .
			7  8  9  10 11 12 13 .  .
			14 15 16 17 18 19 20 .  .
			21 22 23 24 25 26 27 .  .
			28 29 30 31 32 33 34 .  .
			35 36 37 38 39 40 41 .  .
			42 43 44 45 46 47 48 .  .
			.  .  .  .  .  .  .  .  .
			.  .  .  .  .  .  .  .  .`},
		{"7x7 K3 P1 S2: 4x4", 7, 3, 1, 2, 4, `
			0  .  1  .  2  .  3  .  .
			.  .  .  .  .  .  .  .  .
			4  .  5  .  6  .  7  .  .
			.  .  .  .  .  .  .  .  .
			8  .  9  .  10 .  11 .  .
			.  .  .  .  .  .  .  .  .
			12 .  13 .  14 .  15 .  .
			.  .  .  .  .  .  .  .  .
			.  .  .  .  .  .  .  .  .`},
		{"7x7 K3 P0 S2: 3x3", 7, 3, 0, 2, 3, `
			0 . 1 . 2 . .
			. . . . . . .
			3 . 4 . 5 . .
			. . . . . . .
			6 . 7 . 8 . .
			. . . . . . .
			. . . . . . .`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewSliding(1)
			for _, err := range []error{m.SetSize(tt.n), m.SetKernel(tt.k), m.SetPadding(tt.p), m.SetStride(tt.s)} {
				if err != nil {
					t.Fatal(err)
				}
			}
			if h, err := m.OutputSize(); h != tt.out || err != nil {
				t.Fatalf("output size %d, %v; want %d", h, err, tt.out)
			}
			if !m.AtStart() || m.StepIndex() != -1 {
				t.Fatalf("not at start before stepping")
			}
			sameGrid(t, "window order", stepPicture(t, m), tt.want)
			if !m.AtEnd() || m.StepIndex() != tt.out*tt.out-1 {
				t.Errorf("after every step: AtEnd %v, step %d", m.AtEnd(), m.StepIndex())
			}
		})
	}
}

func TestSlidingWindowPadding(t *testing.T) {
	m := NewSliding(1)
	if _, ok := m.Window(); ok {
		t.Fatal("a window before the first step")
	}
	m.Step() // output (0,0): the window's top row and left column are padding
	w, ok := m.Window()
	if !ok || w.Row != 0 || w.Col != 0 {
		t.Fatalf("window %+v, want at (0,0)", w)
	}
	sameGrid(t, "padding in the first window", drawGrid(3, func(u, v int) string {
		if w.Padding(u, v) {
			return "p"
		}
		return cellText(w.Values[u*3+v])
	}), `
		p p p
		p . .
		p . 1`)
	for py := 0; py < m.PaddedSize(); py++ {
		for px := 0; px < m.PaddedSize(); px++ {
			want := py == 0 || px == 0 || py == 8 || px == 8
			if m.IsPadding(py, px) != want {
				t.Errorf("IsPadding(%d,%d) = %v", py, px, !want)
			}
		}
	}
}

func TestSlidingArithmeticHandWorked(t *testing.T) {
	m := NewSliding(1)
	if err := m.SetBias(0, "1"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		i, j int
		line string
	}{
		// Window rows 2..4, columns 2..4 of the 7: a 1 at (3,4) and (4,4).
		{3, 3, "0·(−1) + 0·0 + 0·1 + 0·(−2) + 0·0 + 1·2 + 0·(−1) + 0·0 + 1·1 = 3, + bias 1 = 4"},
		// Top-left corner: padding row and column, the 1 at input (1,1).
		{0, 0, "0·(−1) + 0·0 + 0·1 + 0·(−2) + 0·0 + 0·2 + 0·(−1) + 0·0 + 1·1 = 1, + bias 1 = 2"},
		// Right of the stroke's end: (1,5) = 1 under −2, (2,5) = 1 under −1.
		{1, 6, "0·(−1) + 0·0 + 0·1 + 1·(−2) + 0·0 + 0·2 + 1·(−1) + 0·0 + 0·1 = −3, + bias 1 = −2"},
	}
	for _, tt := range tests {
		if _, err := m.JumpTo(0, tt.i, tt.j); err != nil {
			t.Fatal(err)
		}
		d, ok := m.Arithmetic()
		if !ok || d.Line() != tt.line {
			t.Errorf("output (%d,%d):\n got %s\nwant %s", tt.i, tt.j, d.Line(), tt.line)
		}
		if v, shown := m.Output(0, tt.i, tt.j); !shown || v != d.Value {
			t.Errorf("output (%d,%d) shows %v (%v), arithmetic ends in %v", tt.i, tt.j, v, shown, d.Value)
		}
	}
	m.JumpTo(0, 3, 3)
	if got, want := m.Caption().Text, "Output (3,3): dot product of the 3x3 window with the filter, plus bias."; got != want {
		t.Errorf("caption %q, want %q", got, want)
	}
}

func TestSlidingStepBackJumpReset(t *testing.T) {
	m := NewSliding(1)
	if mv := m.Back(); mv != AtStart {
		t.Errorf("Back at start: %v", mv)
	}
	m.Step()
	m.Step()
	m.Step()
	if mv := m.Back(); mv != Moved {
		t.Errorf("Back: %v", mv)
	}
	if o, i, j, _ := m.Position(); o != 0 || i != 0 || j != 1 {
		t.Errorf("after three steps and one back: (%d,%d,%d), want (0,0,1)", o, i, j)
	}
	sameGrid(t, "values stay after Back", slidingOutput(m, 0), `
		1 1 . _ _ _ _
		_ _ _ _ _ _ _
		_ _ _ _ _ _ _
		_ _ _ _ _ _ _
		_ _ _ _ _ _ _
		_ _ _ _ _ _ _
		_ _ _ _ _ _ _`)
	if mv, err := m.JumpTo(0, 4, 2); mv != Moved || err != nil {
		t.Fatalf("JumpTo: %v, %v", mv, err)
	}
	if m.StepIndex() != 30 {
		t.Errorf("JumpTo(0,4,2): step %d, want 30", m.StepIndex())
	}
	m.Step()
	sameGrid(t, "a jump reveals its cell only", slidingOutput(m, 0), `
		1 1 . _ _ _ _
		_ _ _ _ _ _ _
		_ _ _ _ _ _ _
		_ _ _ _ _ _ _
		_ _ 1 3 _ _ _
		_ _ _ _ _ _ _
		_ _ _ _ _ _ _`)
	if _, err := m.JumpTo(0, 7, 0); err == nil || m.LastMessage().Target != "output" {
		t.Errorf("JumpTo off the grid: %v, message %+v", err, m.LastMessage())
	}
	m.Reset()
	if !m.AtStart() || m.StepIndex() != -1 {
		t.Error("Reset did not return to the start")
	}
	sameGrid(t, "Reset hides every value", slidingOutput(m, 0), strings.Repeat("_ _ _ _ _ _ _\n", 7))
	revealAll(t, m)
	if mv := m.Step(); mv != AtEnd || !m.AtEnd() {
		t.Errorf("Step at the last cell: %v", mv)
	}
	if mv := m.Back(); mv != Moved || m.AtEnd() {
		t.Errorf("Back from the last cell: %v, AtEnd %v", mv, m.AtEnd())
	}
	// A clicker: PageDown past the end and PageUp before the start say no.
	if !m.Next() || m.Next() || m.StepIndex() != 48 {
		t.Errorf("Next at the end: step %d", m.StepIndex())
	}
	m.Reset()
	if m.Prev() || !m.Next() || !m.Prev() || m.Prev() {
		t.Errorf("Prev at the start: step %d", m.StepIndex())
	}
}

func TestSlidingPlay(t *testing.T) {
	m := NewSliding(1)
	m.SetSpeed(4)
	if m.Tick(1) {
		t.Error("moved without playing")
	}
	m.Play()
	for range 3 {
		m.Tick(1.0 / 16) // 3/16 s at 4 steps/s: 0.75 steps
	}
	if m.StepIndex() != -1 {
		t.Errorf("after 3/16 s at 4 steps/s: step %d, want none", m.StepIndex())
	}
	m.Tick(1.0 / 16) // 1/4 s in all: one step
	if m.StepIndex() != 0 {
		t.Errorf("after 1/4 s: step %d, want 0", m.StepIndex())
	}
	m.Pause()
	m.Tick(10)
	if m.StepIndex() != 0 {
		t.Errorf("moved while paused: step %d", m.StepIndex())
	}
	m.Play()
	m.Tick(100) // far more than the 48 steps left: stops at the end
	if !m.AtEnd() || m.Playing() {
		t.Errorf("after a long tick: AtEnd %v, playing %v", m.AtEnd(), m.Playing())
	}
	m.Play() // at the end: starts over
	if m.StepIndex() != -1 || !m.Playing() {
		t.Errorf("Play at the end: step %d, playing %v", m.StepIndex(), m.Playing())
	}
	for _, sp := range []struct{ in, want float64 }{{0, MinPlaySpeed}, {1000, MaxPlaySpeed}, {math.NaN(), MaxPlaySpeed}, {3, 3}} {
		m.SetSpeed(sp.in)
		if m.Speed() != sp.want {
			t.Errorf("SetSpeed(%v): %v, want %v", sp.in, m.Speed(), sp.want)
		}
	}
}

func TestSlidingFeeds(t *testing.T) {
	feedPicture := func(m *Sliding, y, x int) string {
		if !m.Select(0, y, x) {
			t.Fatalf("Select(0,%d,%d) refused", y, x)
		}
		fed := map[Cell]bool{}
		for _, c := range m.Feeds(y, x) {
			fed[c] = true
		}
		h, _ := m.OutputSize()
		return drawGrid(h, func(i, j int) string {
			if fed[OutputAt(0, i, j)] != m.Fed(0, i, j) {
				t.Errorf("Feeds and Fed disagree at (%d,%d)", i, j)
			}
			if m.Fed(0, i, j) {
				return "#"
			}
			return "."
		})
	}
	m := NewSliding(1)
	sameGrid(t, "the corner input feeds four outputs", feedPicture(m, 0, 0), `
		# # . . . . .
		# # . . . . .
		. . . . . . .
		. . . . . . .
		. . . . . . .
		. . . . . . .
		. . . . . . .`)
	sameGrid(t, "a middle input feeds nine", feedPicture(m, 3, 4), `
		. . . . . . .
		. . . . . . .
		. . . # # # .
		. . . # # # .
		. . . # # # .
		. . . . . . .
		. . . . . . .`)
	sameGrid(t, "a padding cell feeds the edge", feedPicture(m, -1, 3), `
		. . # # # . .
		. . . . . . .
		. . . . . . .
		. . . . . . .
		. . . . . . .
		. . . . . . .
		. . . . . . .`)
	m.SetPadding(0)
	m.SetStride(2)
	sameGrid(t, "stride 2 without padding", feedPicture(m, 2, 4), `
		. # #
		. # #
		. . .`)
	if m.Select(0, -1, 0) || m.Feeds(-1, 0) != nil {
		t.Error("a cell outside the unpadded input was selected")
	}
	m.SetChannels(true)
	m.Select(2, 0, 0)
	if got := m.Feeds(0, 0); !reflect.DeepEqual(got, []Cell{OutputAt(0, 0, 0), OutputAt(1, 0, 0)}) {
		t.Errorf("channels mode: input (2,0,0) feeds %v, want output (0,0,0) and (1,0,0)", got)
	}
}

func TestSlidingEdits(t *testing.T) {
	m := NewSliding(1)
	m.Step()
	m.Step()
	if err := m.SetWeight(0, 0, 2, 2, "−0.5"); err != nil {
		t.Fatal(err)
	}
	if m.Weight(0, 0, 2, 2) != -0.5 {
		t.Errorf("weight (2,2) = %v, want −0.5", m.Weight(0, 0, 2, 2))
	}
	// Output (0,0) was 1·1; now 1·(−0.5). Only the two stepped cells show.
	sameGrid(t, "an edit recomputes at once and keeps what is shown", slidingOutput(m, 0), `
		−0.5 −0.5 _ _ _ _ _
		_ _ _ _ _ _ _
		_ _ _ _ _ _ _
		_ _ _ _ _ _ _
		_ _ _ _ _ _ _
		_ _ _ _ _ _ _
		_ _ _ _ _ _ _`)
	if m.StepIndex() != 1 {
		t.Errorf("an edit moved the filter to step %d", m.StepIndex())
	}
	for _, bad := range []string{"abc", "1e999", "NaN", "", "Inf"} {
		for _, edit := range []struct {
			target string
			do     func() error
			now    func() float32
		}{
			{"weight-0-2", func() error { return m.SetWeight(0, 0, 0, 2, bad) }, func() float32 { return m.Weight(0, 0, 0, 2) }},
			{"input-3-4", func() error { return m.SetInput(0, 3, 4, bad) }, func() float32 { return m.Input(0, 3, 4) }},
			{"bias", func() error { return m.SetBias(0, bad) }, func() float32 { return m.Bias(0) }},
		} {
			before := edit.now()
			err := edit.do()
			msg := m.LastMessage()
			if err == nil || edit.now() != before || !msg.Error || msg.Target != edit.target || msg.Text != err.Error() {
				t.Errorf("%s = %q: err %v, value %v -> %v, message %+v", edit.target, bad, err, before, edit.now(), msg)
			}
		}
	}
	if err := m.SetInput(0, 3, 4, " 2,5 "); err != nil || m.Input(0, 3, 4) != 2.5 {
		t.Errorf("input \" 2,5 \": %v, %v", err, m.Input(0, 3, 4))
	}
	if m.LastMessage() != (Message{}) {
		t.Errorf("a good edit left the message %+v", m.LastMessage())
	}
	if err := m.SetInput(0, 7, 0, "1"); err == nil {
		t.Error("set an input off the grid")
	}
	if err := m.Set(OutputAt(0, 0, 0), "1"); err == nil {
		t.Error("typed into an output")
	}
}

func TestSlidingNudge(t *testing.T) {
	m := NewSliding(1)
	tests := []struct {
		cell  Cell
		steps float64
		want  float32
	}{
		{WeightAt(0, 0, 0, 1), 3, 0.3},   // 0 + 3·0.1
		{WeightAt(0, 0, 0, 1), -1, 0.2},  // tenths stay tenths
		{WeightAt(0, 0, 0, 0), -2, -1.2}, // −1 − 0.2
		{BiasOf(0), 1, 0.1},
		{InputAt(0, 0, 0), 2, 2}, // inputs move by whole numbers
		{InputAt(0, 1, 1), -1, 0},
		{InputAt(0, 0, 6), 5e6, ui.MaxValue}, // clamped
		{InputAt(0, 0, 5), -5e6, -ui.MaxValue},
	}
	for _, tt := range tests {
		if err := m.Nudge(tt.cell, tt.steps); err != nil {
			t.Fatal(err)
		}
		p, _ := m.value(tt.cell)
		if *p != tt.want {
			t.Errorf("nudge %s by %v: %v, want %v", m.Name(tt.cell), tt.steps, *p, tt.want)
		}
	}
	if err := m.Nudge(OutputAt(0, 0, 0), 1); err == nil {
		t.Error("nudged an output")
	}
	if err := m.Nudge(BiasOf(0), math.NaN()); err == nil || m.Bias(0) != 0.1 {
		t.Errorf("nudge by NaN: %v, bias %v", err, m.Bias(0))
	}
}

func TestSlidingPresetsAndPatterns(t *testing.T) {
	m := NewSliding(1)
	if err := m.SetPreset(0, "box blur"); err != nil {
		t.Fatal(err)
	}
	sameGrid(t, "box blur", drawGrid(3, func(u, v int) string { return cellText(m.Weight(0, 0, u, v)) }), `
		0.111 0.111 0.111
		0.111 0.111 0.111
		0.111 0.111 0.111`)
	if err := m.SetPreset(0, "emboss"); err == nil || m.LastMessage().Target != "preset" {
		t.Errorf("unknown preset: %v", err)
	}
	if err := m.SetPreset(1, "identity"); err == nil {
		t.Error("preset for a second filter in the single-channel mode")
	}
	m.SetPreset(0, "random")
	for u := 0; u < 3; u++ {
		for v := 0; v < 3; v++ {
			if w := m.Weight(0, 0, u, v); w < -1 || w > 1 || FormatNumber(w) != FormatNumber(float32(math.Round(float64(w)*10)/10)) {
				t.Errorf("random weight %v is not a tenth in [−1, 1]", w)
			}
		}
	}
	if err := m.SetSize(5); err != nil {
		t.Fatal(err)
	}
	patterns := map[string]string{
		"digit": `
			. . . . .
			. 1 1 1 .
			. . . 1 .
			. . 1 . .
			. . . . .`,
		"vertical edge": `
			. . 1 1 1
			. . 1 1 1
			. . 1 1 1
			. . 1 1 1
			. . 1 1 1`,
		"horizontal edge": `
			. . . . .
			. . . . .
			1 1 1 1 1
			1 1 1 1 1
			1 1 1 1 1`,
		"checkerboard": `
			. 1 . 1 .
			1 . 1 . 1
			. 1 . 1 .
			1 . 1 . 1
			. 1 . 1 .`,
		"clear": strings.Repeat(". . . . .\n", 5),
	}
	for name, want := range patterns {
		if err := m.SetPattern(name); err != nil {
			t.Fatal(err)
		}
		sameGrid(t, name, slidingInput(m, 0), want)
	}
	m.SetSize(9)
	m.SetPattern("digit")
	sameGrid(t, "digit at 9x9", slidingInput(m, 0), `
		. . . . . . . . .
		. 1 1 1 1 1 1 1 .
		. . . . . . . 1 .
		. . . . . . 1 . .
		. . . . . . 1 . .
		. . . . . 1 . . .
		. . . . . 1 . . .
		. . . . 1 . . . .
		. . . . . . . . .`)
	m.SetPattern("random")
	for y := 0; y < 9; y++ {
		for x := 0; x < 9; x++ {
			if v := m.Input(0, y, x); v != float32(int(v)) || v < 0 || v > 3 {
				t.Fatalf("random input %v is not a whole number from 0 to 3", v)
			}
		}
	}
	if err := m.SetPattern("stripes"); err == nil || m.LastMessage().Target != "pattern" {
		t.Errorf("unknown pattern: %v", err)
	}
}

// TestSlidingRandomIsSeeded checks that random presets and patterns are a
// function of the seed and differ from draw to draw.
func TestSlidingRandomIsSeeded(t *testing.T) {
	a, b := NewSliding(42), NewSliding(42)
	for _, m := range []*Sliding{a, b} {
		m.SetPattern("random")
		m.SetPreset(0, "random")
	}
	if a.Encode() != b.Encode() {
		t.Error("the same seed gave different random values")
	}
	before := a.Encode()
	a.SetPattern("random")
	if a.Encode() == before {
		t.Error("a second random pattern repeated the first")
	}
}

func TestSlidingShapeControls(t *testing.T) {
	m := NewSliding(1)
	m.Step()
	if err := m.SetKernel(5); err != nil {
		t.Fatal(err)
	}
	sameGrid(t, "Sobel x grown to 5x5 keeps its centre", drawGrid(5, func(u, v int) string { return cellText(m.Weight(0, 0, u, v)) }), `
		. .  . . .
		. −1 . 1 .
		. −2 . 2 .
		. −1 . 1 .
		. .  . . .`)
	if m.StepIndex() != -1 {
		t.Error("a kernel change kept the stepping")
	}
	if h, _ := m.OutputSize(); h != 5 {
		t.Errorf("7x7, K 5, P 1: output %d, want 5", h)
	}
	m.SetKernel(3)
	if got := fmt.Sprint(m.State().Weights[0][0]); got != "[[-1 0 1] [-2 0 2] [-1 0 1]]" {
		t.Errorf("5x5 back to 3x3: %s", got)
	}
	m.SetKernel(1)
	if m.Weight(0, 0, 0, 0) != 0 {
		t.Errorf("Sobel x's centre is 0, got %v", m.Weight(0, 0, 0, 0))
	}
	m.SetKernel(3)
	m.SetInput(0, 6, 6, "9")
	m.SetSize(5)
	m.SetSize(8)
	sameGrid(t, "crop to 5x5, then extend to 8x8", slidingInput(m, 0), `
		. . . . . . . .
		. 1 1 1 1 . . .
		. . . . . . . .
		. . . . 1 . . .
		. . . . 1 . . .
		. . . . . . . .
		. . . . . . . .
		. . . . . . . .`)
	for _, err := range []error{m.SetKernel(2), m.SetKernel(7), m.SetPadding(3), m.SetStride(0), m.SetSize(4), m.SetSize(10)} {
		if err == nil {
			t.Error("an out-of-range shape setting was taken")
		}
	}
	if m.Size() != 8 || m.Kernel() != 3 || m.Padding() != 1 || m.Stride() != 1 {
		t.Errorf("refused settings changed the shape: N %d K %d P %d S %d", m.Size(), m.Kernel(), m.Padding(), m.Stride())
	}
	m.SetSize(7)
	m.SetPadding(0)
	if got, want := m.Formula(), "W − K + 1: 7 − 3 + 1 = 5"; got != want {
		t.Errorf("formula %q, want %q", got, want)
	}
	if got, want := m.FormulaSymbols(), "W − K + 1"; got != want {
		t.Errorf("symbols %q, want %q", got, want)
	}
	revealAll(t, m)
	if c := m.Caption(); !strings.Contains(c.Text, "Output: 5x5: feature maps shrink, W − K + 1.") || !reflect.DeepEqual(c.Slides, []int{15, 16, 35, 36}) {
		t.Errorf("caption at the end without padding: %+v", c)
	}
}

func TestSlidingImpossibleShape(t *testing.T) {
	m := NewSliding(1)
	m.SetSize(6)
	m.SetPadding(0)
	m.SetStride(2)
	h, err := m.OutputSize()
	if err == nil || h != 0 || m.Steps() != 0 {
		t.Fatalf("6x6, K 3, P 0, S 2: output %d, %v; want none", h, err)
	}
	if got, want := m.Formula(), "(6 − 3 + 2·0)/2 + 1 = 2.5"; got != want {
		t.Errorf("formula %q, want %q", got, want)
	}
	wantFixes := []Fix{{"stride", 1, 4}, {"stride", 3, 2}, {"size", 5, 2}, {"size", 7, 3}, {"size", 9, 4}}
	if got := m.Fixes(); !reflect.DeepEqual(got, wantFixes) {
		t.Errorf("fixes %v, want %v", got, wantFixes)
	}
	if got, want := m.Suggestion(), "Try: use stride 1 (4x4 output), use stride 3 (2x2 output), use input size 5 (2x2 output), use input size 7 (3x3 output) or use input size 9 (4x4 output)."; got != want {
		t.Errorf("suggestion:\n got %s\nwant %s", got, want)
	}
	st := m.State()
	if st.Outputs != nil || st.OutputSize != 0 || !strings.Contains(st.OutputError, "2.5 is not a whole number") {
		t.Errorf("state of an impossible shape: outputs %v, size %d, error %q", st.Outputs, st.OutputSize, st.OutputError)
	}
	if got := m.ShapeText(); got != "1 x 6 x 6 -> no output" {
		t.Errorf("shape %q", got)
	}
	if mv := m.Step(); mv != NoOutput || !m.AtEnd() || !m.AtStart() {
		t.Errorf("Step without output: %v", mv)
	}
	if c := m.Caption(); !strings.HasPrefix(c.Text, "No output: (6 − 3 + 0)/2 + 1 = 2.5 is not a whole number") {
		t.Errorf("caption %q", c.Text)
	}
	m.SetInput(0, 0, 0, "1") // edits still work without output
	if m.Input(0, 0, 0) != 1 {
		t.Error("edit refused without output")
	}
	if err := m.Apply(m.Fixes()[0]); err != nil {
		t.Fatal(err)
	}
	if h, err := m.OutputSize(); h != 4 || err != nil {
		t.Errorf("after the first fix: %d, %v; want 4", h, err)
	}
	// Padding fixes come first, nearest values first within each setting:
	// 7x7, K 3, P 0, S 3 gives (4)/3 + 1; padding 1 gives 6/3 + 1 = 3.
	m.SetSize(7)
	m.SetPadding(0)
	m.SetStride(3)
	want := []Fix{{"padding", 1, 3}, {"stride", 2, 3}, {"stride", 1, 5}, {"kernel", 1, 3}, {"size", 6, 2}, {"size", 9, 3}}
	if got := m.Fixes(); !reflect.DeepEqual(got, want) {
		t.Errorf("fixes %v, want %v", got, want)
	}
}

func TestSlidingChannels(t *testing.T) {
	m := NewSliding(1)
	m.SetChannels(true)
	if m.Channels() != 3 || m.Filters() != 2 {
		t.Fatalf("channels mode: %d channels, %d filters", m.Channels(), m.Filters())
	}
	for _, tt := range []struct{ got, want string }{
		{m.ShapeText(), "3 x 7 x 7 -> 2 x 7 x 7"},
		{m.WeightShapeText(), "2 x 3 x 3 x 3"},
		{m.BiasShapeText(), "2"},
	} {
		if tt.got != tt.want {
			t.Errorf("shape %q, want %q", tt.got, tt.want)
		}
	}
	sameGrid(t, "channel 1: half the digit", slidingInput(m, 1), `
		. . . . . . .
		. 0.5 0.5 0.5 0.5 0.5 .
		. . . . . 0.5 .
		. . . . 0.5 . .
		. . . . 0.5 . .
		. . . 0.5 . . .
		. . . . . . .`)
	sameGrid(t, "channel 2: the digit mirrored", slidingInput(m, 2), `
		. . . . . . .
		. 1 1 1 1 1 .
		. 1 . . . . .
		. . 1 . . . .
		. . 1 . . . .
		. . . 1 . . .
		. . . . . . .`)
	sameGrid(t, "filter 1 is Sobel y on channel 2", drawGrid(3, func(u, v int) string { return cellText(m.Weight(1, 2, u, v)) }), `
		−1 −2 −1
		.  .  .
		1  2  1`)
	m.SetBias(1, "0.5")
	m.SetWeight(0, 1, 1, 1, "3")
	if name := m.Name(WeightAt(0, 1, 1, 1)); name != "weight-0-1-1-1" {
		t.Errorf("weight name %q", name)
	}
	// Per-channel partial sums add up to every output of both filters.
	revealAll(t, m)
	for o := 0; o < 2; o++ {
		for i := 0; i < 7; i++ {
			for j := 0; j < 7; j++ {
				m.JumpTo(o, i, j)
				d, _ := m.Arithmetic()
				sum := d.Partial[0] + d.Partial[1] + d.Partial[2] + d.Bias
				v, _ := m.Output(o, i, j)
				if math.Abs(float64(sum-v)) > 1e-5 || d.Value != v || len(d.Terms) != 27 {
					t.Fatalf("output (%d,%d,%d) = %v; partial sums %v + bias %v", o, i, j, v, d.Partial, d.Bias)
				}
			}
		}
	}
	// Hand-worked: filter 1 (Sobel y, bias 0.5) at (0,1): the window covers
	// input rows −1..1, columns 0..2; row 1 under weights 1 2 1.
	// Channel 0: 0·1 + 1·2 + 1·1 = 3; channel 1: 0.5·(2+1) = 1.5;
	// channel 2 (mirrored, row 1 = . 1 1 1 1 1 .): 0·1 + 1·2 + 1·1 = 3.
	m.JumpTo(1, 0, 1)
	d, _ := m.Arithmetic()
	if got, want := d.Reason(), "the 27 products sum to 3 + 1.5 + 3 = 7.5 over the three channels, plus bias 0.5 is 8"; got != want {
		t.Errorf("reason:\n got %s\nwant %s", got, want)
	}
	if c := m.Caption(); c.Text != "Filter 1, output (0,1): dot product of the 3x3x3 chunk with filter 1 (a 27-dimensional dot product), plus bias." {
		t.Errorf("caption %q", c.Text)
	}
	m.SetChannels(false)
	if m.Channels() != 1 || m.Filters() != 1 || m.Bias(0) != 0 || m.Weight(0, 0, 1, 1) != 0 || m.Input(0, 1, 1) != 1 {
		t.Errorf("back to one channel: %s, bias %v", m.ShapeText(), m.Bias(0))
	}
}

func TestSlidingPredict(t *testing.T) {
	m := NewSliding(1)
	m.SetBias(0, "1")
	m.JumpTo(0, 3, 2)
	// Next is (3,3): 3 + bias 1 = 4.
	v, err := m.Predict("4")
	if err != nil || !v.Right || v.Text != "Right: the sum of the nine products is 3, plus bias 1 is 4." {
		t.Errorf("Predict 4: %+v, %v", v, err)
	}
	if o, i, j, _ := m.Position(); o != 0 || i != 3 || j != 3 {
		t.Errorf("after a prediction the filter is at (%d,%d,%d), want (0,3,3)", o, i, j)
	}
	if _, shown := m.Output(0, 3, 3); !shown {
		t.Error("the predicted cell is not shown")
	}
	// Next is (3,4): 1 + bias 1 = 2; 1 is the sum without the bias.
	v, _ = m.Predict("1")
	if v.Right || v.Text != "Not quite: you said 1, but the sum of the nine products is 1, plus bias 1 is 2. That is the sum before adding the bias." {
		t.Errorf("Predict 1: %+v", v)
	}
	if msg := m.LastMessage(); msg.Target != "predict" || msg.Error || msg.Text != v.Text {
		t.Errorf("message %+v", msg)
	}
	if _, err := m.Predict("abc"); err == nil || m.StepIndex() != 25 || !m.LastMessage().Error {
		t.Errorf("Predict abc: %v, step %d", err, m.StepIndex())
	}
	m.SetPreset(0, "box blur")
	m.SetBias(0, "0")
	m.JumpTo(0, 1, 0)
	// Next is (1,1): window rows 0..2, columns 0..2 holds 1 1 (row 1) = 2/9.
	if v, _ := m.Predict("0.222"); !v.Right {
		t.Errorf("Predict 0.222 for 2/9: %+v", v)
	}
	revealAll(t, m)
	if _, err := m.Predict("0"); err == nil {
		t.Error("predicted past the end")
	}
}

func TestSlidingPredictMode(t *testing.T) {
	m := NewSliding(1)
	m.SetPredictMode(true)
	if mv := m.Step(); mv != Asked || !m.Asking() {
		t.Fatalf("Step in predict mode: %v", mv)
	}
	if _, shown := m.Output(0, 0, 0); shown {
		t.Error("the asked cell is shown")
	}
	if w := m.Written(); w[len(w)-1] != "+ bias 0 = ?" || w[len(w)-2] != "= ?" {
		t.Errorf("written while asking: %q", w)
	}
	if st := m.State(); !st.Asking || st.Outputs[0][0][0] != nil || !strings.HasSuffix(st.Arithmetic, "= ?, + bias 0 = ?") {
		t.Errorf("state while asking: asking %v, output %v, arithmetic %q", st.Asking, st.Outputs[0][0][0], st.Arithmetic)
	}
	if !strings.HasPrefix(m.Caption().Text, "Output (0,0): predict the dot product") {
		t.Errorf("caption %q", m.Caption().Text)
	}
	if v, err := m.Predict("1"); err != nil || !v.Right || m.Asking() {
		t.Errorf("Predict while asking: %+v, %v", v, err)
	}
	if m.StepIndex() != 0 {
		t.Errorf("Predict while asking moved to step %d", m.StepIndex())
	}
	if mv := m.Step(); mv != Asked {
		t.Errorf("second Step: %v", mv)
	}
	if mv := m.Step(); mv != Shown || m.Asking() || m.StepIndex() != 1 {
		t.Errorf("Step to give up: %v, step %d", mv, m.StepIndex())
	}
	m.Back()
	if mv := m.Step(); mv != Moved {
		t.Errorf("stepping onto a shown cell asked again: %v", mv)
	}
	m.Step()
	m.SetPredictMode(false)
	if m.Asking() {
		t.Error("turning predict mode off left a question")
	}
}

func TestSlidingPredictSize(t *testing.T) {
	m := NewSliding(1)
	tests := []struct {
		setup func()
		guess string
		right bool
		text  string
	}{
		{func() {}, "7", true, "Right: (7 − 3 + 2·1)/1 + 1 = 7, so the output is 7x7."},
		{func() {}, "7 x 7", true, "Right: (7 − 3 + 2·1)/1 + 1 = 7, so the output is 7x7."},
		{func() { m.SetPadding(0) }, "7", false, "Not quite: W − K + 1: 7 − 3 + 1 = 5, so the output is 5x5, not 7x7."},
		{func() { m.SetStride(2) }, "3×3", true, "Right: (7 − 3 + 2·0)/2 + 1 = 3, so the output is 3x3."},
		{func() { m.SetSize(6) }, "none", true, "Right: there is no output, because (6 − 3 + 0)/2 + 1 = 2.5 is not a whole number: change padding or stride."},
		{func() {}, "2", false, "Not quite: there is no output, because (6 − 3 + 0)/2 + 1 = 2.5 is not a whole number: change padding or stride. " +
			"Try: use stride 1 (4x4 output), use stride 3 (2x2 output), use input size 5 (2x2 output), use input size 7 (3x3 output) or use input size 9 (4x4 output)."},
		{func() { m.SetSize(7) }, "none", false, "Not quite: this setting has an output: (7 − 3 + 2·0)/2 + 1 = 3, so the output is 3x3."},
	}
	for _, tt := range tests {
		tt.setup()
		v, err := m.PredictSize(tt.guess)
		if err != nil || v.Right != tt.right || v.Text != tt.text {
			t.Errorf("PredictSize(%q): %+v, %v\nwant %v %q", tt.guess, v, err, tt.right, tt.text)
		}
		if msg := m.LastMessage(); msg.Target != "predict-size" || msg.Text != v.Text {
			t.Errorf("message %+v", msg)
		}
	}
	for _, bad := range []string{"", "abc", "3x4", "0", "2.5"} {
		if _, err := m.PredictSize(bad); err == nil || !m.LastMessage().Error {
			t.Errorf("PredictSize(%q) was taken", bad)
		}
	}
}

func TestSlidingCaptions(t *testing.T) {
	m := NewSliding(1)
	if c := m.Caption(); c.Text != "Input: 7x7 with a ring of zero padding; filter: 3x3. Step to slide it over all spatial locations, computing dot products." ||
		!reflect.DeepEqual(c.Slides, []int{13, 31, 37}) {
		t.Errorf("opening caption %+v", c)
	}
	revealAll(t, m)
	if c := m.Caption(); !strings.HasSuffix(c.Text, "Output: 7x7: the zero padding keeps the size.") || !reflect.DeepEqual(c.Slides, []int{15, 16, 37}) {
		t.Errorf("closing caption %+v", c)
	}
	m.SetChannels(true)
	if c := m.Caption(); !strings.Contains(c.Text, "filters always extend the full depth of the input volume") {
		t.Errorf("channels caption %q", c.Text)
	}
	revealAll(t, m)
	if c := m.Caption(); !strings.HasSuffix(c.Text, "Two activation maps, each 1x7x7: stacked, a 2x7x7 output.") || !reflect.DeepEqual(c.Slides, []int{15, 17, 18, 22}) {
		t.Errorf("channels closing caption %+v", c)
	}
}

func TestSlidingNames(t *testing.T) {
	m := NewSliding(1)
	for _, tt := range []struct {
		c    Cell
		want string
	}{
		{InputAt(0, 3, 4), "input-3-4"},
		{InputAt(0, -1, 2), "padding-0-3"},
		{WeightAt(0, 0, 0, 2), "weight-0-2"},
		{BiasOf(0), "bias"},
		{OutputAt(0, 1, 1), "output-1-1"},
	} {
		if got := m.Name(tt.c); got != tt.want {
			t.Errorf("Name(%+v) = %q, want %q", tt.c, got, tt.want)
		}
	}
	m.SetChannels(true)
	for _, tt := range []struct {
		c    Cell
		want string
	}{
		{InputAt(2, 3, 4), "input-2-3-4"},
		{BiasOf(1), "bias-1"},
		{OutputAt(1, 0, 6), "output-1-0-6"},
	} {
		if got := m.Name(tt.c); got != tt.want {
			t.Errorf("Name(%+v) = %q, want %q", tt.c, got, tt.want)
		}
	}
}

// ExampleSliding steps the opening lesson to output (3,3) and prints what
// the page writes there.
func ExampleSliding() {
	m := NewSliding(1)
	_ = m.SetBias(0, "1")
	_, _ = m.JumpTo(0, 3, 3)
	fmt.Println(m.Caption().Text)
	for _, line := range m.Written() {
		fmt.Println(line)
	}
	fmt.Println(m.Formula())
	// Output:
	// Output (3,3): dot product of the 3x3 window with the filter, plus bias.
	// 0·(−1) + 0·0 + 0·1
	// + 0·(−2) + 0·0 + 1·2
	// + 0·(−1) + 0·0 + 1·1
	// = 3
	// + bias 1 = 4
	// (7 − 3 + 2·1)/1 + 1 = 7
}
