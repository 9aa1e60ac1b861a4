package app

import (
	"encoding/json"
	"image"
	"math"
	"strings"
	"testing"

	"convlab/engine/lesson"
	"convlab/engine/ui"
)

// slidingPage is the page with the sliding-filter lesson on show, driven
// by events as the browser sends them.
type slidingPage struct {
	t *testing.T
	a *App
	s *SlidingScreen
}

func newSlidingPage(t *testing.T, w, h float64) *slidingPage {
	t.Helper()
	ss := placeholders()
	s := NewSlidingScreen(1)
	ss[lesson.Index(lesson.SlidingID)] = s
	a := New(ss)
	a.Resize(w, h)
	a.ShowID(lesson.SlidingID)
	return &slidingPage{t, a, s}
}

// widget returns the named widget on the page now, failing the test if a
// student could not reach it.
func (p *slidingPage) widget(name string) ui.Widget {
	p.t.Helper()
	w, ok := ui.Find(p.a.Widgets(), name)
	if !ok {
		p.t.Fatalf("no widget %q on the page", name)
	}
	if w.Disabled {
		p.t.Fatalf("widget %q is disabled", name)
	}
	return w
}

func (p *slidingPage) has(name string) bool {
	_, ok := ui.Find(p.a.Widgets(), name)
	return ok
}

func (p *slidingPage) send(ev ui.Event) {
	p.t.Helper()
	p.widget(ev.Target)
	p.a.Handle(ev)
}

func (p *slidingPage) click(names ...string) {
	p.t.Helper()
	for _, n := range names {
		p.send(ui.Event{Type: ui.Click, Target: n})
	}
}

func (p *slidingPage) commit(name, text string) {
	p.t.Helper()
	p.send(ui.Event{Type: ui.Commit, Target: name, Text: text})
}

func (p *slidingPage) key(k string) { p.a.Handle(ui.Event{Type: ui.Key, Key: k}) }

func (p *slidingPage) state() lesson.SlidingState { return p.s.Model().State() }

func (p *slidingPage) message() string { msg, _ := p.a.Announcer().Last(); return msg }

// output returns output (o, i, j) as the state reports it, "_" when hidden.
func (p *slidingPage) output(o, i, j int) string {
	st := p.state()
	if st.Outputs == nil {
		return "no output"
	}
	v := st.Outputs[o][i][j]
	if v == nil {
		return "_"
	}
	return lesson.FormatNumber(*v)
}

// viewGrid returns the first grid of the view of the given kind, or, with
// skip, a later one.
func (p *slidingPage) viewGrid(kind lesson.CellKind, skip int) *SlidingGrid {
	p.t.Helper()
	v := p.s.View()
	for i := range v.Grids {
		if v.Grids[i].Kind == kind {
			if skip == 0 {
				return &v.Grids[i]
			}
			skip--
		}
	}
	p.t.Fatalf("the view has no grid of kind %v", kind)
	return nil
}

// picture draws a grid of the view with f per cell, as rows of words.
func picture(g *SlidingGrid, f func(c *SlidingCell) string) string {
	var b strings.Builder
	for i := range g.Cells {
		if i%g.Cols > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f(&g.Cells[i]))
		if i%g.Cols == g.Cols-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func samePicture(t *testing.T, what, got, want string) {
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

// outputPicture draws output map o from the state, "_" where hidden.
func (p *slidingPage) outputPicture(o int) string {
	st := p.state()
	var b strings.Builder
	for _, row := range st.Outputs[o] {
		for j, v := range row {
			if j > 0 {
				b.WriteByte(' ')
			}
			switch {
			case v == nil:
				b.WriteString("_")
			case *v == 0:
				b.WriteString(".")
			default:
				b.WriteString(lesson.FormatNumber(*v))
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// The lesson's opening output, worked by hand from the digit 7 and the
// Sobel x filter (−1 0 1 / −2 0 2 / −1 0 1): (0,0) is the 1 at input (1,1)
// under weight (2,2); (1,4) = −2·1 + 2·1 + 1·1 = 1; (3,3) = 2·1 + 1·1 = 3.
const openingOutput = `
	1 1 . . . −1 −1
	2 2 . . 1 −2 −3
	1 1 . 1 2 −2 −3
	. . . 3 1 −3 −1
	. . 1 3 −1 −3 .
	. . 2 1 −2 −1 .
	. . 1 . −1 . .`

// cssSize returns a widget's size in CSS pixels.
func cssSize(f ui.Frame, r image.Rectangle) (w, h float64) {
	_, _, w, h = f.CSS(r)
	return w, h
}

// TestSlidingLayout lays the lesson out on a 1024x768 projector, a
// 1280x800 laptop and a 1920x1080 screen in many states: every control
// lies inside the content and the window, none overlaps another, no grid
// or text overlaps another, and touch targets are at least 44 CSS px
// wherever the shape allows (the default shapes with any tab; the largest
// shapes and the channels mode shrink their cells).
func TestSlidingLayout(t *testing.T) {
	setups := []struct {
		name  string
		do    func(p *slidingPage)
		touch bool // cells too must be 44 CSS px
	}{
		{"opening", func(p *slidingPage) {}, true},
		{"mid-step", func(p *slidingPage) {
			p.click("step", "step", "step", "step", "step", "step", "step", "step", "step", "step")
		}, true},
		{"input tab", func(p *slidingPage) { p.click("tab-input", "input-1-1") }, true},
		{"shape tab", func(p *slidingPage) { p.click("tab-shape") }, true},
		{"check tab", func(p *slidingPage) { p.click("tab-check", "predict-mode", "step") }, true},
		{"drawer closed", func(p *slidingPage) { p.click("tab-filter") }, true},
		{"refusal", func(p *slidingPage) { p.click("step"); p.commit("weight-0-2", "abc") }, true},
		{"verdict on a shape with no output", func(p *slidingPage) {
			p.click("tab-shape", "size-6", "padding-0", "stride-2", "tab-check")
			p.commit("predict-size", "3")
		}, true},
		{"no padding", func(p *slidingPage) { p.click("tab-shape", "padding-0") }, true},
		{"stride 3", func(p *slidingPage) { p.click("tab-shape", "stride-3", "step") }, true},
		{"impossible", func(p *slidingPage) { p.click("tab-shape", "size-6", "padding-0", "stride-2") }, true},
		{"kernel 5, 9x9, padding 2", func(p *slidingPage) { p.click("tab-shape", "size-9", "padding-2", "kernel-5", "step") }, false},
		{"kernel 1, 9x9, padding 2", func(p *slidingPage) { p.click("tab-shape", "size-9", "padding-2", "kernel-1", "step") }, false},
		{"kernel 5, 5x5, no padding", func(p *slidingPage) { p.click("tab-shape", "size-5", "padding-0", "kernel-5", "step") }, true},
		{"channels", func(p *slidingPage) { p.click("channels", "step") }, false},
		{"channels, presets", func(p *slidingPage) { p.click("channels", "edit-filter-1", "preset-sharpen") }, false},
		{"channels, impossible", func(p *slidingPage) { p.click("channels", "tab-shape", "stride-3") }, false},
		{"channels, 9x9 padding 2", func(p *slidingPage) { p.click("channels", "tab-shape", "size-9", "padding-2", "step") }, false},
	}
	for _, size := range [][2]float64{{1024, 768}, {1280, 800}, {1920, 1080}} {
		for _, setup := range setups {
			p := newSlidingPage(t, size[0], size[1])
			setup.do(p)
			where := setup.name + " at " + strings.Trim(strings.Join(strings.Fields(strings.Trim(fmtSize(size), "[]")), "x"), " ")
			checkSlidingLayout(t, p, where, setup.touch)
		}
	}
	// The opening grid cells are large on both projector and laptop.
	for _, c := range []struct {
		w, h float64
		cell int
	}{{1024, 768, 56}, {1280, 800, 44}} {
		p := newSlidingPage(t, c.w, c.h)
		if got := p.s.View().Cell; got < c.cell {
			t.Errorf("%vx%v: opening cells are %d units, want at least %d", c.w, c.h, got, c.cell)
		}
	}
}

func fmtSize(s [2]float64) string {
	return strings.Join([]string{ftoa(s[0]), ftoa(s[1])}, " ")
}

func ftoa(v float64) string { b, _ := json.Marshal(v); return string(b) }

func checkSlidingLayout(t *testing.T, p *slidingPage, where string, touch bool) {
	t.Helper()
	f := p.a.Frame()
	content := p.a.Content()
	ws := p.a.Widgets()
	if err := ui.CheckNames(ws); err != nil {
		t.Errorf("%s: %v", where, err)
	}
	screen := ws[len(lesson.Catalog()):]
	if len(screen) == 0 {
		t.Fatalf("%s: the lesson has no widgets", where)
	}
	minCell := math.Inf(1)
	for i, w := range ws {
		x, y, wd, h := f.CSS(w.Rect)
		if x < -0.01 || y < -0.01 || x+wd > float64(f.W)*f.Scale+2*f.OffX+0.5 {
			t.Errorf("%s: %s at %v,%v leaves the window", where, w.Name, x, y)
		}
		if i >= len(lesson.Catalog()) && !w.Rect.In(content) {
			t.Errorf("%s: %s %v is outside the content %v", where, w.Name, w.Rect, content)
		}
		if w.Kind == ui.Cell {
			minCell = math.Min(minCell, math.Min(wd, h))
		}
		if (w.Kind != ui.Cell || touch) && f.Scale >= ui.MinScale && (wd < 44 || h < 44) {
			t.Errorf("%s: %s is %.1fx%.1f CSS px, want at least 44x44", where, w.Name, wd, h)
		}
		for _, o := range ws[i+1:] {
			if w.Rect.Overlaps(o.Rect) {
				t.Errorf("%s: %s %v overlaps %s %v", where, w.Name, w.Rect, o.Name, o.Rect)
			}
		}
	}
	if minCell < 14 {
		t.Errorf("%s: a cell is only %.1f CSS px: too small to click", where, minCell)
	}
	// The drawing: grids and texts inside the content and apart.
	v := p.s.View()
	type box struct {
		name string
		r    image.Rectangle
	}
	var boxes []box
	for i, g := range v.Grids {
		if len(g.Cells) != g.Cols*g.Cols && g.Kind != lesson.BiasCell {
			t.Errorf("%s: grid %d has %d cells in %d columns", where, i, len(g.Cells), g.Cols)
		}
		for _, c := range g.Cells {
			if !c.Rect.In(g.Rect) {
				t.Errorf("%s: grid %d has a cell %v outside it %v", where, i, c.Rect, g.Rect)
			}
		}
		boxes = append(boxes, box{"grid " + itoa(int(g.Kind)), g.Rect})
	}
	for _, tx := range v.Texts {
		if len(tx.Lines) == 0 || tx.Rect.Empty() {
			t.Errorf("%s: an empty text %+v", where, tx)
			continue
		}
		boxes = append(boxes, box{"text " + strings.Join(tx.Lines, "/"), tx.Rect})
		// The page sets a text smaller until it fits. Estimated generously
		// (ui.TextWidth), a single line must fit at 55% of its size and a
		// paragraph at 80%, so it stays readable.
		least := tx.Size * 0.55
		if tx.Wrap {
			least = tx.Size * 0.8
		}
		lines := 0
		for _, l := range tx.Lines {
			w := ui.TextWidth(l, least)
			switch {
			case tx.Wrap:
				lines += (w + tx.Rect.Dx() - 1) / tx.Rect.Dx()
			case w > tx.Rect.Dx():
				t.Errorf("%s: %q does not fit its %d units even at size %.1f", where, l, tx.Rect.Dx(), least)
			default:
				lines++
			}
		}
		if h := float64(lines) * least * 1.3; h > float64(tx.Rect.Dy())+least*0.3 {
			t.Errorf("%s: %d lines of %q need %.0f units, the text has %d", where, lines, tx.Lines[0], h, tx.Rect.Dy())
		}
	}
	for _, b := range []box{{"steps", v.Steps}, {"drawer", v.Drawer}} {
		if !b.r.Empty() {
			boxes = append(boxes, b)
		}
	}
	for i, b := range boxes {
		if !b.r.In(content) {
			t.Errorf("%s: %s %v is outside the content %v", where, b.name, b.r, content)
		}
		for _, o := range boxes[i+1:] {
			if b.r.Overlaps(o.r) && !(b.name == "steps" || b.name == "drawer" || o.name == "steps" || o.name == "drawer") {
				t.Errorf("%s: %s %v overlaps %s %v", where, b.name, b.r, o.name, o.r)
			}
		}
	}
	// The drawn grids sit exactly under their cell widgets.
	for _, g := range v.Grids {
		for _, c := range g.Cells {
			if c.Padding {
				continue
			}
			if hit := ui.Hit(ws, c.Rect.Min.Add(image.Pt(1, 1))); hit < 0 || ws[hit].Kind != ui.Cell || ws[hit].Rect != c.Rect {
				t.Errorf("%s: drawn cell %v has no cell widget on it", where, c.Rect)
				break
			}
		}
	}
	// Nothing but the status line below the step row.
	if bottom := content.Max.Y - v.Steps.Max.Y; bottom < 2*ui.U {
		t.Errorf("%s: the step row leaves %d units for the status line", where, bottom)
	}
}

func TestSlidingStepping(t *testing.T) {
	p := newSlidingPage(t, 1280, 800)
	st := p.state()
	if st.Step != -1 || st.OutputSize != 7 || st.Size != 7 || st.Kernel != 3 || st.Padding != 1 || st.Stride != 1 {
		t.Fatalf("opening state %+v", st)
	}
	samePicture(t, "nothing computed yet", p.outputPicture(0), strings.Repeat("_ _ _ _ _ _ _\n", 7))
	p.click("step", "step")
	if pos := p.state().Position; pos == nil || pos.Row != 0 || pos.Col != 1 {
		t.Fatalf("after two steps the filter is at %+v, want (0,1)", pos)
	}
	if got := p.message(); !strings.Contains(got, "Output (0,1) = 1") {
		t.Errorf("after a step the page says %q", got)
	}
	p.click("back")
	if pos := p.state().Position; pos == nil || pos.Col != 0 {
		t.Fatalf("back: filter at %+v", pos)
	}
	if p.output(0, 0, 1) != "1" {
		t.Errorf("a computed value was hidden by Back: %s", p.output(0, 0, 1))
	}
	// Clicking an output cell jumps there: (3,3) = 2·1 + 1·1 = 3.
	p.click("output-3-3")
	if pos := p.state().Position; pos == nil || pos.Row != 3 || pos.Col != 3 || p.output(0, 3, 3) != "3" {
		t.Fatalf("clicking output-3-3: position %+v, value %s", pos, p.output(0, 3, 3))
	}
	cur := 0
	out := p.viewGrid(lesson.OutputCell, 0)
	for _, c := range out.Cells {
		if c.Current {
			cur++
			if c.Text != "3" {
				t.Errorf("the current output cell shows %q, want 3", c.Text)
			}
		}
	}
	if cur != 1 {
		t.Errorf("%d output cells are current, want 1", cur)
	}
	// The deck keys step through the lesson; past the end the page moves on.
	p.click("reset")
	if p.state().Step != -1 || p.output(0, 3, 3) != "_" {
		t.Fatalf("reset left step %d, output (3,3) %s", p.state().Step, p.output(0, 3, 3))
	}
	p.key("ArrowLeft") // before the first cell: the previous lesson
	if got := p.a.State().Lesson; got != "fc-vs-conv" {
		t.Fatalf("← before the first cell: lesson %q, want fc-vs-conv", got)
	}
	p.a.ShowID(lesson.SlidingID)
	for i := 0; i < 49; i++ {
		p.key([]string{"ArrowRight", " ", "PageDown"}[i%3])
	}
	if got := p.a.State().Lesson; got != lesson.SlidingID {
		t.Fatalf("49 steps left the lesson for %q", got)
	}
	samePicture(t, "after 49 steps", p.outputPicture(0), openingOutput)
	var say ui.Announcer
	if p.s.Next(&say) {
		t.Error("Next at the last cell reported true")
	}
	p.key("PageDown")
	if got := p.a.State().Lesson; got != "activation-maps" {
		t.Fatalf("PageDown at the last cell: lesson %q, want activation-maps", got)
	}
	p.a.ShowID(lesson.SlidingID)
	p.key("PageUp")
	if pos := p.state().Position; pos == nil || pos.Row != 6 || pos.Col != 5 {
		t.Fatalf("PageUp from the last cell: %+v, want (6,5)", pos)
	}
	// The view shows every value as the state does.
	out = p.viewGrid(lesson.OutputCell, 0)
	samePicture(t, "output as drawn", picture(out, func(c *SlidingCell) string {
		if c.Text == "0" {
			return "."
		}
		return c.Text
	}), openingOutput)
}

// TestSlidingArithmetic checks the products written inside the window and
// the sum written beside the filter at output (1,2), whose window covers
// input rows 0–2, columns 1–3: 0 0 0 / 1 1 1 / 0 0 0 under −1 0 1 / −2 0 2
// / −1 0 1, so −2 + 2 = 0.
func TestSlidingArithmetic(t *testing.T) {
	p := newSlidingPage(t, 1280, 800)
	p.click("output-1-2")
	in := p.viewGrid(lesson.InputCell, 0)
	samePicture(t, "products in the window", picture(in, func(c *SlidingCell) string {
		if c.Product == "" {
			if c.Padding {
				return "p"
			}
			return "."
		}
		return c.Product
	}), `
		p p    p    p    p p p p p
		p . 0·−1 0·0  0·1  . . . p
		p . 1·−2 1·0  1·2  . . . p
		p . 0·−1 0·0  0·1  . . . p
		p . .    .    .    . . . p
		p . .    .    .    . . . p
		p . .    .    .    . . . p
		p . .    .    .    . . . p
		p p    p    p    p p p p p`)
	var math []string
	for _, tx := range p.s.View().Texts {
		if tx.Role == TextMath {
			math = append(math, tx.Lines...)
		}
	}
	want := []string{"0·(−1) + 0·0 + 0·1", "+ 1·(−2) + 1·0 + 1·2", "+ 0·(−1) + 0·0 + 0·1", "= 0", "+ bias 0 = 0",
		"(W − K + 2P)/S + 1", "(7 − 3 + 2·1)/1 + 1 = 7", "7x7 input → 7x7 output"}
	if strings.Join(math, "\n") != strings.Join(want, "\n") {
		t.Errorf("arithmetic and formula:\n%s\nwant\n%s", strings.Join(math, "\n"), strings.Join(want, "\n"))
	}
	caption := p.s.View().Texts[0]
	if caption.Role != TextCaption || !strings.Contains(caption.Lines[0], "Output (1,2)") || !strings.Contains(caption.Lines[0], "(slides 15, 16)") {
		t.Errorf("caption %+v", caption)
	}
	// The window is drawn over the padded rows 1–3 and columns 2–4.
	c := p.s.View().Cell
	if want := image.Rect(in.Rect.Min.X+2*c, in.Rect.Min.Y+c, in.Rect.Min.X+5*c, in.Rect.Min.Y+4*c); in.Window != want {
		t.Errorf("window %v, want %v", in.Window, want)
	}
}

// TestSlidingInputFeeds clicks input (1,1): under a 3x3 filter with
// padding 1 and stride 1 it feeds outputs rows 0–2, columns 0–2.
func TestSlidingInputFeeds(t *testing.T) {
	p := newSlidingPage(t, 1280, 800)
	p.click("input-1-1")
	out := p.viewGrid(lesson.OutputCell, 0)
	samePicture(t, "outputs fed by input (1,1)", picture(out, func(c *SlidingCell) string {
		if c.Fed {
			return "F"
		}
		return "."
	}), `
		F F F . . . .
		F F F . . . .
		F F F . . . .
		. . . . . . .
		. . . . . . .
		. . . . . . .
		. . . . . . .`)
	if got := p.message(); !strings.Contains(got, "feeds 9 output cells") {
		t.Errorf("message %q", got)
	}
	if sel := p.state().Selected; sel == nil || sel.Row != 1 || sel.Col != 1 {
		t.Errorf("selected %+v", sel)
	}
	p.key("Escape")
	if p.state().Selected != nil {
		t.Error("Escape kept the selection")
	}
	// With stride 2, input (1,1) (padded (2,2)) lies under windows starting at
	// padded rows/columns 0 and 2: outputs (0..1, 0..1).
	p.click("tab-shape", "stride-2", "input-1-1")
	out = p.viewGrid(lesson.OutputCell, 0)
	samePicture(t, "fed at stride 2", picture(out, func(c *SlidingCell) string {
		if c.Fed {
			return "F"
		}
		return "."
	}), `
		F F . .
		F F . .
		. . . .
		. . . .`)
}

func TestSlidingEdits(t *testing.T) {
	p := newSlidingPage(t, 1280, 800)
	p.click("output-3-3") // 2·1 + 1·1 = 3, from inputs (2,4)... see below
	// Output (3,3) covers input rows 2–4, columns 2–4: 0 0 0 / 0 0 1 / 0 0 1;
	// only weights (1,2) = 2 and (2,2) = 1 meet a 1.
	p.commit("weight-1-2", "3")
	if got := p.output(0, 3, 3); got != "4" {
		t.Errorf("weight (1,2) = 3: output (3,3) = %s, want 1·3 + 1·1 = 4", got)
	}
	if w := p.widget("weight-1-2"); w.Text != "3" || w.Error {
		t.Errorf("weight-1-2 widget %+v", w)
	}
	if got := p.message(); !strings.Contains(got, "Weight (1,2) = 3") || !strings.Contains(got, "Output (3,3) is now 4") {
		t.Errorf("message %q", got)
	}
	// Every output follows at once, shown or not: (1,4) covers input rows
	// 0–2, columns 3–5: 0 0 0 / 1 1 1 / 0 0 1 under −1 0 1 / −2 0 3 / −1 0 1,
	// so −2 + 3 + 1 = 2 (it was −2 + 2 + 1 = 1).
	if got, _ := p.s.Model().Output(0, 1, 4); got != 2 {
		t.Errorf("output (1,4) = %v, want 2 after the edit", got)
	}
	for _, bad := range []struct{ text, says string }{
		{"abc", "not a number"}, {"1e999", "too large"}, {"NaN", "finite"}, {"", "empty"},
	} {
		p.commit("weight-1-2", bad.text)
		st := p.state()
		if st.Weights[0][0][1][2] != 3 {
			t.Errorf("%q changed the weight to %v", bad.text, st.Weights[0][0][1][2])
		}
		if !st.Message.Error || st.Message.Target != "weight-1-2" || !strings.Contains(st.Message.Text, bad.says) {
			t.Errorf("%q: message %+v", bad.text, st.Message)
		}
		if w := p.widget("weight-1-2"); !w.Error || w.Text != "3" {
			t.Errorf("%q: widget %+v, want Error and the old text 3", bad.text, w)
		}
		co := p.s.View().Callout
		if co == nil || co.Anchor != p.widget("weight-1-2").Rect || !strings.Contains(co.Text, bad.says) || !strings.Contains(co.Text, "It stays 3.") {
			t.Errorf("%q: callout %+v", bad.text, co)
		}
		if got := p.message(); !strings.Contains(got, bad.says) || !strings.Contains(got, "It stays 3.") {
			t.Errorf("%q: status %q", bad.text, got)
		}
		if p.output(0, 3, 3) != "4" {
			t.Errorf("%q changed output (3,3) to %s", bad.text, p.output(0, 3, 3))
		}
	}
	p.send(ui.Event{Type: ui.Cancel, Target: "weight-1-2"})
	if p.widget("weight-1-2").Error || p.s.View().Callout != nil {
		t.Error("Esc left the refusal showing")
	}
	// The wheel: two notches up is +0.2.
	p.send(ui.Event{Type: ui.Wheel, Target: "weight-1-2", Delta: 2})
	if got := p.output(0, 3, 3); got != "4.2" {
		t.Errorf("after two notches output (3,3) = %s, want 3.2 + 1 = 4.2", got)
	}
	// A drag on the bias: up three steps, then back down two: +0.1.
	p.send(ui.Event{Type: ui.PointerMove, Target: "bias", Y: 30}) // hovering does nothing
	p.send(ui.Event{Type: ui.PointerDown, Target: "bias", Y: 30})
	p.send(ui.Event{Type: ui.PointerMove, Target: "bias", Y: 30 - 3*ui.DragPixels})
	if b := p.state().Bias[0]; b != 0.3 {
		t.Errorf("dragging up three steps: bias %v, want 0.3", b)
	}
	p.send(ui.Event{Type: ui.PointerMove, Target: "bias", Y: 30 - ui.DragPixels})
	p.send(ui.Event{Type: ui.PointerUp, Target: "bias", Y: 30 - ui.DragPixels})
	p.send(ui.Event{Type: ui.PointerMove, Target: "bias", Y: 200}) // after the drag: hovering again
	if b := p.state().Bias[0]; b != 0.1 {
		t.Errorf("after the drag: bias %v, want 0.1", b)
	}
	if got := p.output(0, 3, 3); got != "4.3" {
		t.Errorf("output (3,3) = %s, want 4.2 + 0.1 = 4.3", got)
	}
	// An input: (3,4) from 1 to 2 doubles its product with weight (1,2).
	p.commit("input-3-4", "2")
	if got := p.output(0, 3, 3); got != "7.5" {
		t.Errorf("input (3,4) = 2: output (3,3) = %s, want 2·3.2 + 1·1 + 0.1 = 7.5", got)
	}
	p.send(ui.Event{Type: ui.Wheel, Target: "input-3-4", Delta: -1})
	if got := p.state().Input[0][3][4]; got != 1 {
		t.Errorf("one notch down on an input: %v, want 1", got)
	}
	// Outputs are computed, not typed.
	p.send(ui.Event{Type: ui.Wheel, Target: "output-3-3", Delta: 1})
	if got := p.output(0, 3, 3); got != "4.3" {
		t.Errorf("the wheel on an output changed it to %s", got)
	}
}

func TestSlidingPresetsAndPatterns(t *testing.T) {
	p := newSlidingPage(t, 1280, 800)
	for _, name := range lesson.KernelPresets {
		if !p.has("preset-" + strings.ReplaceAll(name, " ", "-")) {
			t.Errorf("no button for preset %q", name)
		}
	}
	p.click("preset-identity")
	p.commit("bias", "0.5")
	for i := 0; i < 49; i++ {
		p.click("step")
	}
	// The identity filter copies the input; the bias adds 0.5 everywhere.
	samePicture(t, "identity + 0.5", p.outputPicture(0), `
		0.5 0.5 0.5 0.5 0.5 0.5 0.5
		0.5 1.5 1.5 1.5 1.5 1.5 0.5
		0.5 0.5 0.5 0.5 0.5 1.5 0.5
		0.5 0.5 0.5 0.5 1.5 0.5 0.5
		0.5 0.5 0.5 0.5 1.5 0.5 0.5
		0.5 0.5 0.5 1.5 0.5 0.5 0.5
		0.5 0.5 0.5 0.5 0.5 0.5 0.5`)
	p.click("tab-input")
	for _, name := range lesson.InputPatterns {
		if !p.has("pattern-" + strings.ReplaceAll(name, " ", "-")) {
			t.Errorf("no button for pattern %q", name)
		}
	}
	p.click("pattern-vertical-edge")
	samePicture(t, "identity of a vertical edge + 0.5", p.outputPicture(0), strings.Repeat("0.5 0.5 0.5 1.5 1.5 1.5 1.5\n", 7))
	p.click("pattern-clear")
	if got := p.output(0, 3, 3); got != "0.5" {
		t.Errorf("clear input: output (3,3) = %s, want the bias 0.5", got)
	}
	if !strings.Contains(p.message(), "clear") {
		t.Errorf("message %q", p.message())
	}
}

func TestSlidingShapes(t *testing.T) {
	p := newSlidingPage(t, 1280, 800)
	p.click("tab-shape", "stride-2")
	st := p.state()
	if st.OutputSize != 4 || len(st.Outputs[0]) != 4 || st.Formula != "(7 − 3 + 2·1)/2 + 1 = 4" {
		t.Fatalf("stride 2: size %d, formula %q", st.OutputSize, st.Formula)
	}
	if !p.has("output-3-3") || p.has("output-4-4") {
		t.Error("stride 2: want output cells up to (3,3) only")
	}
	if w := p.widget("stride-2"); !w.On || p.widget("stride-1").On {
		t.Error("stride 2 is not the chosen stride")
	}
	if got := p.message(); !strings.Contains(got, "Stride 2") || !strings.Contains(got, "4x4") {
		t.Errorf("message %q", got)
	}
	// Without padding at stride 1 the output shrinks: W − K + 1.
	p.click("stride-1", "padding-0")
	if got := p.state().OutputSize; got != 5 {
		t.Fatalf("no padding: output %d, want 7 − 3 + 1 = 5", got)
	}
	var lines []string
	for _, tx := range p.s.View().Texts {
		lines = append(lines, tx.Lines...)
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{"W − K + 1: 7 − 3 + 1 = 5", "7x7 input → 5x5 output: it shrinks", "Input 7x7, no padding"} {
		if !strings.Contains(all, want) {
			t.Errorf("no padding: the view does not say %q:\n%s", want, all)
		}
	}
	// An impossible shape: (6 − 3 + 0)/2 + 1 = 2.5.
	p.click("size-6", "stride-2")
	st = p.state()
	if st.OutputError == "" || st.Outputs != nil || len(st.Fixes) == 0 {
		t.Fatalf("6x6, K 3, P 0, S 2: error %q, outputs %v, fixes %v", st.OutputError, st.Outputs, st.Fixes)
	}
	for _, w := range p.a.Widgets() {
		if strings.HasPrefix(w.Name, "output-") {
			t.Errorf("an impossible shape still has %s", w.Name)
		}
	}
	for _, g := range p.s.View().Grids {
		if g.Kind == lesson.OutputCell {
			t.Error("an impossible shape still draws an output grid")
		}
	}
	lines = nil
	for _, tx := range p.s.View().Texts {
		lines = append(lines, tx.Lines...)
	}
	all = strings.Join(lines, "\n")
	for _, want := range []string{"No output", "2.5 is not a whole number", "Try one of these"} {
		if !strings.Contains(all, want) {
			t.Errorf("impossible shape: the view does not say %q:\n%s", want, all)
		}
	}
	for i, f := range st.Fixes {
		w := p.widget("fix-" + itoa(i))
		if !strings.Contains(w.Label, itoa(f.Value)) || !strings.Contains(w.Label, itoa(f.Output)+"x"+itoa(f.Output)) {
			t.Errorf("fix-%d label %q for %+v", i, w.Label, f)
		}
	}
	p.click("step")
	if !strings.Contains(p.message(), "Nothing to step") {
		t.Errorf("step with no output says %q", p.message())
	}
	var say ui.Announcer
	if p.s.Next(&say) {
		t.Error("Next with no output reported true")
	}
	// The first fix is stride 1: 6 − 3 + 1 = 4.
	p.click("fix-0")
	st = p.state()
	if st.Stride != 1 || st.OutputSize != 4 || st.OutputError != "" || p.has("fix-0") {
		t.Errorf("after fix-0: stride %d, size %d, error %q", st.Stride, st.OutputSize, st.OutputError)
	}
	// Kernel and size choices.
	p.click("kernel-5", "size-9", "padding-2")
	st = p.state()
	if st.Kernel != 5 || st.Size != 9 || st.Padding != 2 || st.OutputSize != 9 || st.PaddedSize != 13 {
		t.Errorf("K 5, N 9, P 2: %+v", st)
	}
}

func itoa(v int) string { b, _ := json.Marshal(v); return string(b) }

// TestSlidingChannels works filter 0 at output (3,3) by hand. Channel 0 is
// the digit (window rows 2–4, columns 2–4: 0 0 0 / 0 0 1 / 0 0 1, so
// 2·1 + 1·1 = 3), channel 1 is half of it (1.5), channel 2 its mirror
// image (the window sees 0 0 0 / 1 0 0 / 1 0 0: −2·1 + −1·1 = −3): the
// partial sums 3 + 1.5 − 3 = 1.5.
func TestSlidingChannels(t *testing.T) {
	p := newSlidingPage(t, 1280, 800)
	p.click("channels")
	st := p.state()
	if st.Shape != "3 x 7 x 7 -> 2 x 7 x 7" || st.WeightShape != "2 x 3 x 3 x 3" || st.BiasShape != "2" {
		t.Errorf("shapes %q, %q, %q", st.Shape, st.WeightShape, st.BiasShape)
	}
	for _, name := range []string{"input-2-3-4", "weight-1-2-0-2", "bias-1", "output-1-1-1", "edit-filter-1"} {
		if !p.has(name) {
			t.Errorf("channels mode has no %s", name)
		}
	}
	if len(p.s.View().Grids) != 3+2*3+2+2 {
		t.Errorf("%d grids, want 3 inputs, 6 filter slices, 2 biases, 2 maps", len(p.s.View().Grids))
	}
	p.click("output-0-3-3")
	d, _ := p.s.Model().Arithmetic()
	if strings.Join(d.PartialText, " ") != "3 1.5 −3" || d.ValueText != "1.5" || p.output(0, 3, 3) != "1.5" {
		t.Errorf("partial sums %v, value %s", d.PartialText, d.ValueText)
	}
	var math []string
	for _, tx := range p.s.View().Texts {
		if tx.Role == TextMath {
			math = append(math, tx.Lines...)
		}
	}
	want := "channel 0 sum: 3\nchannel 1 sum: 1.5\nchannel 2 sum: −3\n3 + 1.5 + (−3) = 1.5\n+ bias 0 = 1.5\n" +
		"3 x 7 x 7 -> 2 x 7 x 7\nweights 2 x 3 x 3 x 3\nbias 2\n(W − K + 2P)/S + 1\n(7 − 3 + 2·1)/1 + 1 = 7"
	if got := strings.Join(math, "\n"); got != want {
		t.Errorf("channels arithmetic:\n%s\nwant\n%s", got, want)
	}
	// The window is outlined on all three channels; filter 0 is in use.
	for ch := 0; ch < 3; ch++ {
		if p.viewGrid(lesson.InputCell, ch).Window.Empty() {
			t.Errorf("channel %d has no window", ch)
		}
		if p.viewGrid(lesson.WeightCell, ch).Window.Empty() || !p.viewGrid(lesson.WeightCell, 3+ch).Window.Empty() {
			t.Errorf("filter 0 channel %d should be in use and filter 1 not", ch)
		}
	}
	// Presets replace the chosen filter only.
	p.click("edit-filter-1", "preset-identity")
	st = p.state()
	if st.Weights[1][2][1][1] != 1 || st.Weights[1][2][0][0] != 0 || st.Weights[0][0][1][0] != -2 {
		t.Errorf("identity on filter 1 only: weights %v", st.Weights)
	}
	// Map 1 at (3,3) is now the sum of the three channels at input (3,3): 0.
	// and at (3,4): 1 + 0.5 + 0 = 1.5 (channel 2 mirrors column 4 to 2).
	p.click("output-1-3-4")
	if got := p.output(1, 3, 4); got != "1.5" {
		t.Errorf("identity over three channels at (3,4) = %s, want 1 + 0.5 + 0 = 1.5", got)
	}
	p.commit("bias-1", "-1")
	if got := p.output(1, 3, 4); got != "0.5" {
		t.Errorf("bias 1 = −1: output (1,3,4) = %s, want 0.5", got)
	}
	p.click("channels")
	if st := p.state(); st.Channels != 1 || st.Filters != 1 || p.has("bias-1") || !p.has("bias") {
		t.Errorf("back to one channel: %d channels, %d filters", st.Channels, st.Filters)
	}
}

func TestSlidingPredictions(t *testing.T) {
	p := newSlidingPage(t, 1280, 800)
	p.click("tab-check")
	p.commit("predict-size", "7")
	if m := p.state().Message; m.Target != "predict-size" || !strings.HasPrefix(m.Text, "Right") {
		t.Errorf("predicting 7 for the opening shape: %+v", m)
	}
	p.commit("predict-size", "5")
	if m := p.state().Message; !strings.HasPrefix(m.Text, "Not quite") || !strings.Contains(m.Text, "7x7") {
		t.Errorf("predicting 5: %+v", m)
	}
	p.click("predict-mode")
	if !p.state().PredictMode || p.s.Tab() != "check" {
		t.Fatal("predict mode did not turn on")
	}
	p.click("step")
	st := p.state()
	if !st.Asking || st.Outputs[0][0][0] != nil || !strings.Contains(p.message(), "predict") {
		t.Fatalf("predict mode: asking %v, output (0,0) %v, message %q", st.Asking, st.Outputs[0][0][0], p.message())
	}
	if c := p.viewGrid(lesson.OutputCell, 0).Cells[0]; c.Text != "?" || !c.Current {
		t.Errorf("the cell waiting for a prediction shows %q", c.Text)
	}
	p.commit("predict", "1")
	if m := p.state().Message; !strings.HasPrefix(m.Text, "Right") || p.output(0, 0, 0) != "1" {
		t.Errorf("predicting 1 for (0,0): %+v, value %s", m, p.output(0, 0, 0))
	}
	var verdict *SlidingText
	for i, tx := range p.s.View().Texts {
		if tx.Role == TextGood {
			verdict = &p.s.View().Texts[i]
		}
	}
	if verdict == nil || !strings.HasPrefix(verdict.Lines[0], "Right") {
		t.Errorf("no verdict drawn next to the fields: %+v", verdict)
	}
	p.click("step")
	p.commit("predict", "5")
	if m := p.state().Message; !strings.HasPrefix(m.Text, "Not quite") || !strings.Contains(m.Text, "you said 5") {
		t.Errorf("predicting 5 for (0,1): %+v", m)
	}
	p.click("step")
	p.commit("predict", "abc")
	if w := p.widget("predict"); !w.Error || w.Text != "abc" || !p.state().Asking {
		t.Errorf("a refused prediction: widget %+v, asking %v", w, p.state().Asking)
	}
	p.click("step") // gives up: shows the value
	if st := p.state(); st.Asking || p.output(0, 0, 2) != "0" {
		t.Errorf("step after asking: asking %v, value %s", st.Asking, p.output(0, 0, 2))
	}
	p.click("tab-shape", "stride-2", "tab-check")
	p.commit("predict-size", "7")
	if m := p.state().Message; !strings.Contains(m.Text, "4x4, not 7x7") {
		t.Errorf("predicting 7 at stride 2: %+v", m)
	}
}

func TestSlidingPlayAndSpeed(t *testing.T) {
	p := newSlidingPage(t, 1280, 800)
	p.click("play")
	if !p.state().Playing || p.widget("play").Label != "Pause" || !p.widget("play").On {
		t.Fatal("play did not start")
	}
	p.a.Tick(1.0) // two steps a second
	if got := p.state().Step; got != 1 {
		t.Errorf("after one second at 2 steps/s: step %d, want 1", got)
	}
	p.send(ui.Event{Type: ui.Change, Target: "speed", Value: 3}) // 2³ = 8 steps a second
	if got := p.state().Speed; got != 8 {
		t.Errorf("speed %v, want 8", got)
	}
	if w := p.widget("speed"); w.Value != 3 {
		t.Errorf("slider value %v, want 3", w.Value)
	}
	p.a.Tick(0.5)
	if got := p.state().Step; got != 5 {
		t.Errorf("after half a second at 8 steps/s: step %d, want 5", got)
	}
	p.click("play")
	if p.state().Playing || p.widget("play").Label != "Play" {
		t.Error("the second click did not pause")
	}
	p.a.Tick(10)
	if got := p.state().Step; got != 5 {
		t.Errorf("paused, yet stepped to %d", got)
	}
	p.click("play")
	p.a.Tick(60)
	if st := p.state(); st.Playing || !st.AtEnd {
		t.Errorf("playing to the end: playing %v, at end %v", st.Playing, st.AtEnd)
	}
	samePicture(t, "played to the end", p.outputPicture(0), openingOutput)
}

func TestSlidingTabsAndState(t *testing.T) {
	p := newSlidingPage(t, 1280, 800)
	if p.s.Tab() != "filter" || !p.has("preset-sobel-x") {
		t.Fatal("the filter tab is not open at first")
	}
	p.click("tab-shape")
	if p.has("preset-sobel-x") || !p.has("padding-0") {
		t.Error("the shape tab does not replace the presets")
	}
	before := p.s.View().Cell
	p.click("tab-shape")
	if p.s.Tab() != "" || p.has("padding-0") {
		t.Error("a second click on the open tab does not close the drawer")
	}
	if p.s.View().Cell < before {
		t.Errorf("closing the drawer shrank the cells from %d to %d", before, p.s.View().Cell)
	}
	p.click("tab-input", "step")
	b, err := json.Marshal(p.a.State())
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Lesson string `json:"lesson"`
		Detail struct {
			Lesson     string        `json:"lesson"`
			Input      [][][]float32 `json:"input"`
			Size       int           `json:"size"`
			Padding    int           `json:"padding"`
			Stride     int           `json:"stride"`
			Kernel     int           `json:"kernel"`
			Weights    [][][][]float32
			Bias       []float32           `json:"bias"`
			Step       int                 `json:"step"`
			Window     *lesson.StateWindow `json:"window"`
			Outputs    [][][]*float32      `json:"outputs"`
			OutputSize int                 `json:"outputSize"`
			Message    lesson.Message      `json:"message"`
			Tab        string              `json:"tab"`
		} `json:"detail"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	d := got.Detail
	if got.Lesson != lesson.SlidingID || d.Lesson != lesson.SlidingID || d.Size != 7 || len(d.Input[0]) != 7 ||
		d.Padding != 1 || d.Stride != 1 || d.Kernel != 3 || len(d.Weights[0][0]) != 3 || len(d.Bias) != 1 ||
		d.Step != 0 || d.Window == nil || d.Window.Row != 0 || d.OutputSize != 7 || d.Tab != "input" {
		t.Errorf("state JSON %s", b)
	}
	if d.Outputs[0][0][0] == nil || *d.Outputs[0][0][0] != 1 || d.Outputs[0][0][1] != nil {
		t.Errorf("outputs: (0,0) %v, (0,1) %v; want 1 and null", d.Outputs[0][0][0], d.Outputs[0][0][1])
	}
	if !strings.Contains(string(b), `"input":[[[0,0,0,0,0,0,0],[0,1,1,1,1,1,0]`) {
		t.Errorf("state input is not the digit: %s", b)
	}
}

func TestSlidingPersistence(t *testing.T) {
	p := newSlidingPage(t, 1280, 800)
	p.commit("weight-0-0", "0.5")
	p.click("tab-shape", "stride-2", "step", "step")
	link := p.s.Encode()
	if !strings.Contains(link, "&tab=shape") {
		t.Errorf("link %q does not keep the tab", link)
	}
	q := NewSlidingScreen(7)
	if err := q.Decode(link); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(p.s.Model().State())
	b, _ := json.Marshal(q.Model().State())
	if string(a) != string(b) || q.Tab() != "shape" {
		t.Errorf("round trip:\n%s\n%s", a, b)
	}
	// A damaged link changes nothing and says what is wrong.
	for _, bad := range []string{"", "v=1&x=abc", "v=9", "v=1&k=4", "hello"} {
		if err := q.Decode(bad); err == nil {
			t.Errorf("Decode(%q) accepted it", bad)
		}
		c, _ := json.Marshal(q.Model().State())
		if string(c) != string(b) {
			t.Errorf("Decode(%q) changed the lesson", bad)
		}
	}
	// A tab the page does not have costs nothing else.
	if err := q.Decode(strings.Replace(link, "tab=shape", "tab=nope", 1)); err != nil || q.Tab() != "shape" {
		t.Errorf("unknown tab: %v, tab %q", err, q.Tab())
	}
	// Through the whole page, as the link and storage keep it.
	frag := p.a.Encode()
	r := newSlidingPage(t, 1024, 768)
	if err := r.a.Decode(frag); err != nil {
		t.Fatal(err)
	}
	if r.a.State().Lesson != lesson.SlidingID || r.state().Weights[0][0][0][0] != 0.5 || r.state().Stride != 2 || r.state().Step != 1 {
		t.Errorf("after the page's round trip: %+v", r.state())
	}
	if !r.has("output-3-3") || r.has("output-4-4") {
		t.Error("the restored page has the wrong output cells")
	}
}
