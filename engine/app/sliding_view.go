package app

import (
	"fmt"
	"image"
	"strconv"
	"strings"

	"convlab/engine/lesson"
	"convlab/engine/ui"
)

// SlidingView is what the page draws for the sliding-filter lesson, in
// layout units. The screen rebuilds it after every change; the page only
// reads it, so every number drawn is the model's.
type SlidingView struct {
	Cell    int             // side of a grid cell
	Grids   []SlidingGrid   // input channels, filters (one grid per filter and channel), biases, output maps
	Texts   []SlidingText   // caption, titles, arithmetic, formula, labels beside controls, hints
	Callout *SlidingCallout // a refusal shown next to its cell, nil for none
	Drawer  image.Rectangle // backdrop of the open tab's controls, empty when the drawer is closed
	Steps   image.Rectangle // backdrop of the step controls and tabs
}

// SlidingGrid is one grid of numbers.
type SlidingGrid struct {
	Kind   lesson.CellKind
	Rect   image.Rectangle // every cell
	Inner  image.Rectangle // the input inside its padding ring; Rect for other grids
	Cols   int
	Cells  []SlidingCell   // row-major, Cols per row
	Window image.Rectangle // input: the filter's window; filter and bias: the whole grid while in use; else empty
	Limit  float32         // the largest |value| among grids of this kind, for shading
}

// SlidingCell is one number of a grid as drawn.
type SlidingCell struct {
	Rect     image.Rectangle
	Text     string  // the value as written; "" for a blank, "?" for a value awaiting a prediction
	Value    float32 // for shading
	Product  string  // inside the window: the product x·w written under the value, e.g. "1·−1"
	Padding  bool    // a zero of the padding ring
	Window   bool    // under the filter now
	Current  bool    // output: the cell being computed
	Fed      bool    // output: fed by the clicked input cell
	Selected bool    // input: the clicked cell
	Error    bool    // showing a refused entry
	Hidden   bool    // output: not computed yet
}

// TextRole says how a text is set.
type TextRole int

// Text roles.
const (
	TextCaption TextRole = iota // the lecture's words above the grids
	TextTitle                   // a grid's title, bold
	TextBody                    // ordinary text
	TextMath                    // arithmetic, monospaced
	TextNote                    // hints and labels, muted
	TextError                   // a refusal or a shape with no output
	TextGood                    // a right prediction
	TextWindow                  // about the current window, in its orange
)

// SlidingText is a block of text. Lines that are too wide are wrapped when
// Wrap is set, else set smaller until they fit the rectangle.
type SlidingText struct {
	Rect    image.Rectangle
	Lines   []string
	Size    float64
	Role    TextRole
	Wrap    bool
	Middle  bool // centred vertically in Rect
	Centred bool // centred horizontally in Rect
}

// SlidingCallout is a refusal drawn next to the cell it is about.
type SlidingCallout struct {
	Anchor image.Rectangle // the cell
	Bounds image.Rectangle // the area the callout must stay inside
	Text   string
}

// slidingProductCell is the least cell size at which the products x·w
// are written inside the window's cells.
const slidingProductCell = 40

// refresh lays the screen out for the model's current state and rebuilds
// its widgets and view. Every change ends here.
func (s *SlidingScreen) refresh() {
	s.layout()
	s.buildWidgets()
	s.buildView()
}

// cellRect returns cell (row, col) of a grid of c-unit cells at origin.
func cellRect(origin image.Point, row, col, c int) image.Rectangle {
	x, y := origin.X+col*c, origin.Y+row*c
	return image.Rect(x, y, x+c, y+c)
}

// buildWidgets makes the screen's widgets in tab order: the step row, the
// drawer, the inputs, the weights, the biases, the outputs, the fixes.
func (s *SlidingScreen) buildWidgets() {
	m, l := s.m, &s.lay
	ws := append(s.widgets[:0], l.controls...)
	s.cells = make(map[string]lesson.Cell, len(s.cells))
	add := func(cell lesson.Cell, r image.Rectangle, group, label string, editable bool) {
		name := m.Name(cell)
		w := ui.Widget{Name: name, Kind: ui.Cell, Rect: r, Group: group, Label: label, Editable: editable}
		if editable {
			w.Text = valueText(m, cell)
			w.Error = isErrorFor(m, name)
		}
		ws = append(ws, w)
		s.cells[name] = cell
	}
	c, p, n, k := l.cell, m.Padding(), m.Size(), m.Kernel()
	multi := m.ChannelsMode()
	for ch, g := range l.inputs {
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				cell := lesson.InputAt(ch, y, x)
				add(cell, cellRect(g.Min, y+p, x+p, c), "sf-input", capitalize(cellWords(m, cell)), true)
			}
		}
	}
	for o, row := range l.weights {
		for ch, g := range row {
			for u := 0; u < k; u++ {
				for v := 0; v < k; v++ {
					cell := lesson.WeightAt(o, ch, u, v)
					add(cell, cellRect(g.Min, u, v, c), "sf-weight", capitalize(cellWords(m, cell)), true)
				}
			}
		}
	}
	for o, r := range l.biases {
		label := "Bias"
		if multi {
			label = "Bias of filter " + strconv.Itoa(o)
		}
		add(lesson.BiasOf(o), r, "sf-bias", label, true)
	}
	h := outSize(m)
	for o, g := range l.outputs {
		for i := 0; i < h; i++ {
			for j := 0; j < h; j++ {
				cell := lesson.OutputAt(o, i, j)
				label := capitalize(cellWords(m, cell))
				if v, shown := m.Output(o, i, j); shown {
					label += " = " + lesson.FormatNumber(v)
				} else {
					label += ", not computed yet: click to compute it"
				}
				add(cell, cellRect(g.Min, i, j, c), "sf-output", label, false)
			}
		}
	}
	for i, f := range m.Fixes() {
		if i >= len(l.fixes) {
			break
		}
		ws = append(ws, ui.Widget{Name: "fix-" + strconv.Itoa(i), Kind: ui.Button, Group: "sf-btn sf-fix", Rect: l.fixes[i],
			Label:   fmt.Sprintf("%s %d → %dx%d", capitalize(f.Setting), f.Value, f.Output, f.Output),
			Tooltip: capitalize(f.String()) + "."})
	}
	s.widgets = ws
}

// maxAbs returns the largest |v| of f(i) for i < n.
func maxAbs(n int, f func(i int) float32) float32 {
	var lim float32
	for i := 0; i < n; i++ {
		v := f(i)
		if v < 0 {
			v = -v
		}
		lim = max(lim, v)
	}
	return lim
}

// slidesWords writes slide numbers: "(slide 15)", "(slides 13, 31)".
func slidesWords(slides []int) string {
	if len(slides) == 0 {
		return ""
	}
	parts := make([]string, len(slides))
	for i, v := range slides {
		parts[i] = strconv.Itoa(v)
	}
	if len(parts) == 1 {
		return "(slide " + parts[0] + ")"
	}
	return "(slides " + strings.Join(parts, ", ") + ")"
}

// buildView fills s.view from the model and the layout.
func (s *SlidingScreen) buildView() {
	m, l := s.m, &s.lay
	v := SlidingView{Cell: l.cell, Steps: l.stepsRow, Drawer: l.drawer}
	c, p, n, k, pn := l.cell, m.Padding(), m.Size(), m.Kernel(), m.PaddedSize()
	cin, cout := m.Channels(), m.Filters()
	multi := m.ChannelsMode()
	win, hasWin := m.Window()
	dot, _ := m.Arithmetic()
	po, pi, pj, positioned := m.Position()
	asking := m.Asking()
	sel, hasSel := m.Selected()
	text := func(r image.Rectangle, role TextRole, size float64, lines ...string) {
		v.Texts = append(v.Texts, SlidingText{Rect: r, Lines: lines, Size: size, Role: role})
	}
	q := func(s string) string { // a sum that waits for a prediction
		if asking {
			return "?"
		}
		return s
	}

	cp := m.Caption()
	v.Texts = append(v.Texts, SlidingText{Rect: l.caption, Lines: []string{cp.Text + " " + slidesWords(cp.Slides)},
		Size: ui.TextSize, Role: TextCaption, Wrap: true})

	// The input channels, each in its padding ring, with the window.
	inLimit := maxAbs(cin*n*n, func(i int) float32 { return m.Input(i/(n*n), i/n%n, i%n) })
	showProducts := c >= slidingProductCell && hasWin
	for ch, r := range l.inputs {
		g := SlidingGrid{Kind: lesson.InputCell, Rect: r, Cols: pn, Limit: inLimit,
			Inner: image.Rect(r.Min.X+p*c, r.Min.Y+p*c, r.Min.X+(p+n)*c, r.Min.Y+(p+n)*c)}
		if hasWin {
			g.Window = image.Rect(r.Min.X+win.Col*c, r.Min.Y+win.Row*c, r.Min.X+(win.Col+k)*c, r.Min.Y+(win.Row+k)*c).Intersect(r)
		}
		for py := 0; py < pn; py++ {
			for px := 0; px < pn; px++ {
				cell := SlidingCell{Rect: cellRect(r.Min, py, px, c)}
				if m.IsPadding(py, px) {
					cell.Padding, cell.Text = true, "0"
				} else {
					in := lesson.InputAt(ch, py-p, px-p)
					cell.Value = m.Input(ch, py-p, px-p)
					cell.Text = lesson.FormatNumber(cell.Value)
					cell.Selected = hasSel && sel == in
					cell.Error = isErrorFor(m, m.Name(in))
				}
				if u, w := py-win.Row, px-win.Col; hasWin && u >= 0 && u < k && w >= 0 && w < k {
					cell.Window = true
					if showProducts {
						t := dot.Terms[(ch*k+u)*k+w]
						cell.Product = t.XText + "·" + t.WText
					}
				}
				g.Cells = append(g.Cells, cell)
			}
		}
		v.Grids = append(v.Grids, g)
		title := fmt.Sprintf("Input %dx%d", n, n)
		if p > 0 {
			title += fmt.Sprintf(" + padding %d (grey zeros) = %dx%d", p, pn, pn)
		} else {
			title += ", no padding"
		}
		role := TextTitle
		if multi {
			title = fmt.Sprintf("Channel %d", ch)
			if positioned {
				title += " · window sum " + q(dot.PartialText[ch])
				role = TextWindow
			}
		}
		text(l.inTitles[ch], role, ui.SmallText, title)
	}

	// The filters and their biases; the one in use is outlined.
	wLimit := maxAbs(cout*cin*k*k, func(i int) float32 {
		return m.Weight(i/(cin*k*k), i/(k*k)%cin, i/k%k, i%k)
	})
	for o, row := range l.weights {
		inUse := positioned && o == po
		for ch, r := range row {
			g := SlidingGrid{Kind: lesson.WeightCell, Rect: r, Inner: r, Cols: k, Limit: wLimit}
			if inUse {
				g.Window = r
			}
			for u := 0; u < k; u++ {
				for w := 0; w < k; w++ {
					val := m.Weight(o, ch, u, w)
					g.Cells = append(g.Cells, SlidingCell{Rect: cellRect(r.Min, u, w, c), Value: val,
						Text: lesson.FormatNumber(val), Error: isErrorFor(m, m.Name(lesson.WeightAt(o, ch, u, w)))})
				}
			}
			v.Grids = append(v.Grids, g)
		}
		title := fmt.Sprintf("Filter %dx%d (weights)", k, k)
		if multi {
			title = fmt.Sprintf("Filter %d: 3x%dx%d", o, k, k)
		}
		role := TextTitle
		if inUse {
			role = TextWindow
		}
		text(l.wTitles[o], role, ui.SmallText, title)
		b := l.biases[o]
		g := SlidingGrid{Kind: lesson.BiasCell, Rect: b, Inner: b, Cols: 1, Limit: maxAbs(cout, m.Bias)}
		if inUse {
			g.Window = b
		}
		g.Cells = []SlidingCell{{Rect: b, Value: m.Bias(o), Text: lesson.FormatNumber(m.Bias(o)),
			Error: isErrorFor(m, m.Name(lesson.BiasOf(o)))}}
		v.Grids = append(v.Grids, g)
		btitle := "+ bias"
		if multi {
			btitle = "bias " + strconv.Itoa(o)
		}
		text(l.biasTitles[o], role, ui.SmallText, btitle)
	}

	// The outputs: computed cells shown, the rest blank.
	h := outSize(m)
	var outLimit float32
	if h > 0 {
		outLimit = maxAbs(cout*h*h, func(i int) float32 { v, _ := m.Output(i/(h*h), i/h%h, i%h); return v })
	}
	for o, r := range l.outputs {
		g := SlidingGrid{Kind: lesson.OutputCell, Rect: r, Inner: r, Cols: h, Limit: outLimit}
		for i := 0; i < h; i++ {
			for j := 0; j < h; j++ {
				val, shown := m.Output(o, i, j)
				cell := SlidingCell{Rect: cellRect(r.Min, i, j, c), Value: val, Hidden: !shown, Fed: m.Fed(o, i, j),
					Current: positioned && o == po && i == pi && j == pj}
				if shown {
					cell.Text = lesson.FormatNumber(val)
				} else if cell.Current && asking {
					cell.Text = "?"
				}
				g.Cells = append(g.Cells, cell)
			}
		}
		v.Grids = append(v.Grids, g)
		title := fmt.Sprintf("Output %dx%d", h, h)
		if multi {
			title = fmt.Sprintf("Map %d (filter %d)", o, o)
		}
		text(l.outTitles[o], TextTitle, ui.SmallText, title)
	}

	if !multi {
		s.viewIndices(&v)
	}
	s.viewArithmetic(&v, dot, positioned)
	s.viewFormula(&v)
	s.viewControls(&v)
	s.view = v
}

// viewIndices numbers the rows and columns of the input (its own cells,
// not the padding) and of the output, as the captions and messages name
// cells: "input (3,4)", "output (1,2)".
func (s *SlidingScreen) viewIndices(v *SlidingView) {
	m, l, c := s.m, &s.lay, s.lay.cell
	number := func(g image.Rectangle, from, n int) {
		for i := 0; i < n; i++ {
			at := (from + i) * c
			col := image.Rect(g.Min.X+at, g.Min.Y-slidingIndexW, g.Min.X+at+c, g.Min.Y)
			row := image.Rect(g.Min.X-slidingIndexW, g.Min.Y+at, g.Min.X, g.Min.Y+at+c)
			for _, r := range []image.Rectangle{col, row} {
				v.Texts = append(v.Texts, SlidingText{Rect: r, Lines: []string{strconv.Itoa(i)},
					Size: 12, Role: TextNote, Middle: true, Centred: true})
			}
		}
	}
	for _, g := range l.inputs {
		number(g, m.Padding(), m.Size())
	}
	for _, g := range l.outputs {
		number(g, 0, outSize(m))
	}
}

// viewArithmetic writes the current cell's dot product.
func (s *SlidingScreen) viewArithmetic(v *SlidingView, dot lesson.Dot, positioned bool) {
	m, r := s.m, s.lay.arith
	if r.Empty() || m.Steps() == 0 {
		return
	}
	line := func(i int) image.Rectangle {
		return image.Rect(r.Min.X, r.Min.Y+i*slidingLineH, r.Max.X, r.Min.Y+(i+1)*slidingLineH)
	}
	if !positioned {
		v.Texts = append(v.Texts, SlidingText{Rect: r, Lines: []string{"Press Step (or →) to put the filter on the first output cell."},
			Size: ui.TextSize, Role: TextNote, Wrap: true})
		return
	}
	o, i, j, _ := m.Position()
	asking := m.Asking()
	if !m.ChannelsMode() {
		title := fmt.Sprintf("Output (%d,%d) = window · filter + bias", i, j)
		v.Texts = append(v.Texts, SlidingText{Rect: line(0), Lines: []string{title}, Size: ui.SmallText, Role: TextWindow})
		v.Texts = append(v.Texts, SlidingText{Rect: image.Rect(r.Min.X, line(1).Min.Y, r.Max.X, r.Max.Y),
			Lines: m.Written(), Size: 18, Role: TextMath})
		return
	}
	q := func(s string) string {
		if asking {
			return "?"
		}
		return s
	}
	lines := []string{}
	for ch := range dot.Channels {
		lines = append(lines, fmt.Sprintf("channel %d sum: %s", ch, q(dot.PartialText[ch])))
	}
	parts := make([]string, dot.Channels)
	for ch := range parts {
		parts[ch] = q(dot.PartialText[ch])
		if ch > 0 && strings.HasPrefix(parts[ch], lesson.Minus) {
			parts[ch] = "(" + parts[ch] + ")" // "3 + (−1.5)", never "3 + −1.5"
		}
	}
	lines = append(lines, strings.Join(parts, " + ")+" = "+q(dot.SumText), "+ bias "+dot.BiasText+" = "+q(dot.ValueText))
	title := fmt.Sprintf("Filter %d at output (%d,%d): %d products, %d per channel", o, i, j, len(dot.Terms), dot.K*dot.K)
	v.Texts = append(v.Texts, SlidingText{Rect: line(0), Lines: []string{title}, Size: ui.SmallText, Role: TextWindow})
	v.Texts = append(v.Texts, SlidingText{Rect: image.Rect(r.Min.X, line(1).Min.Y, r.Max.X, r.Max.Y),
		Lines: lines, Size: 18, Role: TextMath})
}

// viewFormula writes the output size with the numbers in place, the
// shapes, or why there is no output.
func (s *SlidingScreen) viewFormula(v *SlidingView) {
	m, l := s.m, &s.lay
	n := m.Size()
	h, err := m.OutputSize()
	if err != nil {
		r := l.noOutput
		if len(l.outTitles) > 0 {
			v.Texts = append(v.Texts, SlidingText{Rect: l.outTitles[0], Lines: []string{"No output"}, Size: ui.SmallText, Role: TextError})
		}
		v.Texts = append(v.Texts,
			SlidingText{Rect: image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+3*slidingLineH),
				Lines: []string{capitalize(err.Error()) + "."}, Size: 18, Role: TextError, Wrap: true},
			SlidingText{Rect: image.Rect(r.Min.X, r.Min.Y+3*slidingLineH, r.Max.X, r.Min.Y+4*slidingLineH),
				Lines: []string{m.FormulaSymbols() + ": " + m.Formula()}, Size: 18, Role: TextMath},
			SlidingText{Rect: image.Rect(r.Min.X, r.Min.Y+4*slidingLineH, r.Max.X, r.Max.Y),
				Lines: []string{"Try one of these:"}, Size: ui.SmallText, Role: TextBody})
	}
	var lines []string
	if m.ChannelsMode() {
		lines = append(lines, m.ShapeText(), "weights "+m.WeightShapeText(), "bias "+m.BiasShapeText())
		if err == nil {
			lines = append(lines, m.FormulaSymbols(), m.Formula())
		}
	} else if err == nil {
		if m.Padding() == 0 && m.Stride() == 1 {
			lines = append(lines, m.Formula(), fmt.Sprintf("%dx%d input → %dx%d output", n, n, h, h))
			if h < n {
				lines[1] += ": it shrinks"
			}
		} else {
			lines = append(lines, m.FormulaSymbols(), m.Formula(), fmt.Sprintf("%dx%d input → %dx%d output", n, n, h, h))
		}
	}
	if len(lines) > 0 && !l.formula.Empty() {
		v.Texts = append(v.Texts, SlidingText{Rect: l.formula, Lines: lines, Size: 18, Role: TextMath})
	}
}

// viewControls adds the labels beside the controls, the verdict on a
// prediction and a refusal's callout.
func (s *SlidingScreen) viewControls(v *SlidingView) {
	m, l := s.m, &s.lay
	v.Texts = append(v.Texts, l.labels...)
	msg := m.LastMessage()
	if !l.verdict.Empty() {
		t := SlidingText{Rect: l.verdict, Size: ui.SmallText, Role: TextNote, Wrap: true, Middle: true,
			Lines: []string{"Type a number and press Enter: the next value, or the output size of this shape."}}
		if msg.Text != "" && (msg.Target == "predict" || msg.Target == "predict-size") {
			t.Lines = []string{withoutTry(msg.Text)}
			t.Role = TextError
			if !msg.Error && strings.HasPrefix(msg.Text, "Right") {
				t.Role = TextGood
			}
		}
		v.Texts = append(v.Texts, t)
	}
	if !msg.Error || msg.Text == "" {
		return
	}
	cell, ok := s.cells[msg.Target]
	if !ok {
		return
	}
	for _, w := range s.widgets {
		if w.Name == msg.Target {
			v.Callout = &SlidingCallout{Anchor: w.Rect, Bounds: s.r,
				Text: sentence(msg.Text) + " It stays " + valueText(m, cell) + "."}
			break
		}
	}
}
