package app

import (
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"

	"convlab/engine/lesson"
	picfile "convlab/engine/lesson/picture"
	"convlab/engine/ui"
)

// Sizes of the activation-maps screen, in layout units.
const (
	mapsColA     = 39 * ui.U // width of the input column: five thumbnails and their gaps
	mapsColGap   = 3 * ui.U  // between the input column and the rest
	mapsStatus   = 6 * ui.U  // kept free at the bottom for the page's status line (two lines)
	mapsLine     = 3 * ui.U  // one line of body text
	mapsSmall    = 2 * ui.U  // one line of small text
	mapsLegend   = 4 * ui.U  // a colour bar and its labels
	mapsThumbs   = 5         // thumbnails in a row
	mapsThumbRow = 2         // rows of thumbnails
	mapsCell     = ui.Control
	mapsPresetW  = 25 * ui.U // the presets column of the editor
	mapsProbeMin = 19 * ui.U // least room for the probe's words (five lines)
)

// mapsLayout is where everything of the screen goes, in layout units,
// worked out from the content rectangle and the model's shapes.
type mapsLayout struct {
	body  image.Rectangle // below the tab row, above the status line
	colA  image.Rectangle // the input column
	right image.Rectangle // the tab's area

	// The input column.
	shapeAt image.Point     // where the input's shape is written
	view    image.Rectangle // the square the padded input is shown in
	pic     image.Rectangle // the input picture itself, inside view
	px      float64         // units per input pixel
	thumbs  []mapsThumb
	swatch  []mapsSwatch // the pad's inks
	brushes []mapsBrush

	labels []mapsLabel // words beside controls

	// The maps tab.
	shapeLine image.Rectangle
	cols      []mapsColumn // one per filter shown
	probe     image.Rectangle
	first     int // first filter shown
	perPage   int // filters per page

	// The maps tab's editor.
	strip   []mapsColumn // the bank's cells above the editor (Filter only)
	header  image.Rectangle
	cells   []mapsEditCell
	cellSz  int
	grid    image.Rectangle
	bias    image.Rectangle
	big     mapsColumn // the open filter's map
	bigText image.Rectangle

	// The stack tab.
	stackHead  image.Rectangle
	stackCols  []mapsStackColumn
	stackTable image.Rectangle
	stackInfo  image.Rectangle

	// The compose tab.
	compText  image.Rectangle
	compW1    []image.Rectangle // (C1) first convolution's filters
	compW2    image.Rectangle
	compKern  []image.Rectangle // (C0) the composed kernel's numbers, per channel
	compOut   [3]image.Rectangle
	compLeg   [3]image.Rectangle
	compVerd  image.Rectangle
	compLabel int // height of a picture's caption
}

// mapsThumb is one input to choose: a thumbnail of input id.
type mapsThumb struct {
	name, id string
	r        image.Rectangle
}

// mapsSwatch is one ink of the drawing pad.
type mapsSwatch struct {
	name string
	ink  []float32
	r    image.Rectangle
}

// mapsBrush is one brush size of the drawing pad.
type mapsBrush struct {
	name   string
	radius float32
	r      image.Rectangle
}

// mapsLabel is a word or two written beside controls.
type mapsLabel struct {
	text string
	r    image.Rectangle
}

// mapsColumn is one filter with its map: the filter's cell, its map and the
// map's legend, and the filter's name above them.
type mapsColumn struct {
	f      int
	name   image.Rectangle
	filter image.Rectangle
	mp     image.Rectangle
	legend image.Rectangle
}

// mapsEditCell is one weight of the open filter in the editor.
type mapsEditCell struct {
	name       string
	f, c, u, v int
	r          image.Rectangle
}

// mapsStackColumn is one layer of the stack: its mosaic of maps.
type mapsStackColumn struct {
	title  image.Rectangle
	mosaic image.Rectangle
	legend image.Rectangle
	out    image.Rectangle
	cols   int // maps in a row of the mosaic
}

// Inks of the pads: a grey pad draws white on black and erases with black;
// the colour pad draws in five colours on white, white erasing.
var (
	mapsGreyInks = []mapsSwatch{
		{name: "ink-white", ink: []float32{1}},
		{name: "ink-black", ink: []float32{0}},
	}
	mapsColourInks = []mapsSwatch{
		{name: "ink-black", ink: []float32{0, 0, 0}},
		{name: "ink-red", ink: []float32{0.85, 0.1, 0.1}},
		{name: "ink-green", ink: []float32{0.1, 0.65, 0.2}},
		{name: "ink-blue", ink: []float32{0.1, 0.25, 0.85}},
		{name: "ink-white", ink: []float32{1, 1, 1}},
	}
	mapsGreyBrushes   = []float32{1, 1.5, 2.5}
	mapsColourBrushes = []float32{1, 2, 3}
)

// Choices of the maps tab's controls.
var (
	mapsPaddings = []int{0, 1, 2, 3}
	mapsStrides  = []int{1, 2, 3}
	mapsKernels  = []int{1, 3, 5}
	// mapsComposePads are the composition check's paddings (first, second).
	mapsComposePads = [][2]int{{0, 0}, {2, 0}, {1, 1}}
)

// mapsBtnW returns the width of a page button showing label: the page sets
// its text at 0.8 of the body size.
func mapsBtnW(label string) int {
	w := textW(label, 0.8*ui.TextSize, FontRegular) + 3*ui.U
	return max(mapsCell, (w+ui.U-1)/ui.U*ui.U)
}

// mapsPresetName returns the target name of a preset: "preset-box-blur".
func mapsPresetName(p string) string { return "preset-" + strings.ReplaceAll(p, " ", "-") }

// mapsChannelNames are the channels of a colour input.
var mapsChannelNames = []string{"red", "green", "blue"}

// mapsChannelName names channel c of a C-channel input.
func mapsChannelName(c, channels int) string {
	if channels == 3 {
		return mapsChannelNames[c]
	}
	return "channel " + strconv.Itoa(c)
}

// layout works out where everything goes and makes the widgets.
func (s *MapsScreen) layout() {
	l := mapsLayout{}
	s.widgets = s.widgets[:0]
	r := s.r
	s.layoutTabs(r)
	l.body = image.Rect(r.Min.X, r.Min.Y+ui.Control+2*ui.U, r.Max.X, r.Max.Y-mapsStatus)
	l.colA = image.Rect(l.body.Min.X, l.body.Min.Y, l.body.Min.X+mapsColA, l.body.Max.Y)
	l.right = image.Rect(l.colA.Max.X+mapsColGap, l.body.Min.Y, l.body.Max.X, l.body.Max.Y)
	s.layoutInput(&l)
	switch s.tab {
	case "stack":
		s.layoutStack(&l)
	case "compose":
		s.layoutCompose(&l)
	default:
		s.layoutMaps(&l)
	}
	s.lay = l
}

// add appends a widget. Every widget of the screen carries a group named
// "maps-...", which the page's style sheet uses to style this lesson's
// controls; a widget without a group of its own gets "maps-control".
func (s *MapsScreen) add(w ui.Widget) {
	if w.Group == "" {
		w.Group = "maps-control"
	}
	s.widgets = append(s.widgets, w)
}

// layoutTabs places the tabs and the ReLU toggle along the top.
func (s *MapsScreen) layoutTabs(r image.Rectangle) {
	x := r.Min.X
	for _, t := range MapsTabs {
		label := mapsTabLabel(t)
		w := mapsBtnW(label)
		s.add(ui.Widget{Name: "tab-" + t, Kind: ui.Choice, Group: "maps-tab", Label: label, On: s.tab == t,
			Rect: image.Rect(x, r.Min.Y, x+w, r.Min.Y+ui.Control), Tooltip: mapsTabTip(t)})
		x += w + ui.Gap
	}
	relu := "ReLU off"
	if s.m.ReLU() {
		relu = "ReLU on"
	}
	w := mapsBtnW("ReLU off")
	s.add(ui.Widget{Name: "relu", Kind: ui.Toggle, Label: relu, On: s.m.ReLU(),
		Rect:    image.Rect(r.Max.X-w, r.Min.Y, r.Max.X, r.Min.Y+ui.Control),
		Tooltip: "ReLU keeps positive activations and turns negative ones into 0: on the maps, between the stack's layers and between the two convolutions of the composition."})
	if s.tab == "maps" {
		label := "Scale per map"
		if s.m.SharedRange() {
			label = "Shared scale"
		}
		sw := mapsBtnW("Scale per map")
		s.add(ui.Widget{Name: "shared-range", Kind: ui.Toggle, Label: label, On: s.m.SharedRange(),
			Rect:    image.Rect(r.Max.X-w-2*ui.Gap-sw, r.Min.Y, r.Max.X-w-2*ui.Gap, r.Min.Y+ui.Control),
			Tooltip: "On: every map uses one colour scale, so maps can be compared. Off: each map uses its own, so faint maps still show."})
	}
}

// layoutInput places the input column: the kinds of input and the button
// for a picture of the student's own, the thumbnails (or the pad's tools),
// the input's shape and the input itself.
func (s *MapsScreen) layoutInput(l *mapsLayout) {
	a := l.colA
	// Two rows: Digits, Pictures, Draw; then Colour patterns and Your
	// picture…, whose labels are longer.
	third := (a.Dx() - 2*ui.Gap) / 3
	half := (a.Dx() - ui.Gap) / 2
	rects := []image.Rectangle{
		image.Rect(a.Min.X, a.Min.Y, a.Min.X+third, a.Min.Y+ui.Control),
		image.Rect(a.Min.X+third+ui.Gap, a.Min.Y, a.Max.X-third-ui.Gap, a.Min.Y+ui.Control),
		image.Rect(a.Max.X-third, a.Min.Y, a.Max.X, a.Min.Y+ui.Control),
	}
	y2 := a.Min.Y + ui.Control + ui.Gap
	rects = append(rects, image.Rect(a.Min.X, y2, a.Min.X+half, y2+ui.Control), image.Rect(a.Max.X-half, y2, a.Max.X, y2+ui.Control))
	for i, src := range mapsSources {
		tip := mapsSourceTip(src)
		if !s.hasSource(src) && s.srcErr != "" {
			tip += " " + mapsSentence(s.srcErr)
		}
		s.add(ui.Widget{Name: "source-" + src, Kind: ui.Choice, Group: "maps-source", Label: mapsSourceLabel(src),
			On: s.source == src, Disabled: !s.hasSource(src), Rect: rects[i], Tooltip: tip})
	}
	s.add(ui.Widget{Name: "upload", Kind: ui.File, Group: "maps-upload", Label: "Your picture…", Rect: rects[len(mapsSources)],
		Max: picfile.MaxBytes, Error: s.errCell == "upload",
		Tooltip: fmt.Sprintf("Use a picture of your own (%s, up to %d MB), or drop one on the page: its middle square, scaled to 3 x %d x %d, becomes the input.",
			picfile.Formats, picfile.MaxBytes>>20, lesson.PictureSide, lesson.PictureSide)})
	y := a.Min.Y + 2*ui.Control + ui.Gap + 2*ui.U
	rows := ui.Grid(image.Pt(a.Min.X, y), mapsThumbRow, mapsThumbs, mapsCell, ui.Gap)
	itemsBottom := y + mapsThumbRow*mapsCell + (mapsThumbRow-1)*ui.Gap
	shapeRow := image.Rect(a.Min.X, itemsBottom+ui.Gap, a.Max.X, itemsBottom+ui.Gap+ui.Control)
	if s.source == "pad" {
		s.layoutPadTools(l, y, rows[mapsThumbs:], shapeRow)
	} else {
		ids := s.thumbIDs()
		for i, id := range ids {
			name := "input-" + strings.Replace(id, ":", "-", 1)
			l.thumbs = append(l.thumbs, mapsThumb{name: name, id: id, r: rows[i]})
			w := ui.Widget{Name: name, Kind: ui.Cell, Group: "maps-thumbs", Rect: rows[i], On: s.m.InputID() == id,
				Label: s.inputWords(id)}
			if p, ok := s.m.Picture(); ok && id == lesson.Upload {
				w.Label = "Your picture, " + p.Name
				w.Tooltip = fmt.Sprintf("%s: your picture, %d x %d pixels, its middle square scaled to %d x %d.", p.Name, p.W, p.H, lesson.PictureSide, lesson.PictureSide)
			}
			s.add(w)
		}
		if n := s.thumbCount(s.source); n > mapsThumbs*mapsThumbRow {
			w := mapsBtnW("More")
			s.add(ui.Widget{Name: "input-more", Kind: ui.Button, Label: "More",
				Rect:    image.Rect(shapeRow.Max.X-w, shapeRow.Min.Y, shapeRow.Max.X, shapeRow.Max.Y),
				Tooltip: fmt.Sprintf("Show the next %d of the %d pictures.", mapsThumbs*mapsThumbRow, n)})
		}
	}
	l.shapeAt = image.Pt(a.Min.X, shapeRow.Min.Y+(ui.Control-mapsLine)/2)
	top := shapeRow.Max.Y + ui.Gap
	side := min(a.Dx(), a.Max.Y-top)
	l.view = image.Rect(a.Min.X+(a.Dx()-side)/2, top, a.Min.X+(a.Dx()-side)/2+side, top+side)
	x := s.m.Input()
	h, w := x.Shape[1], x.Shape[2]
	p := s.m.Padding()
	l.px = float64(side) / float64(max(h, w)+2*p)
	off := func(n int) int { return int(math.Round(float64(n) * l.px)) }
	l.pic = image.Rect(l.view.Min.X+off(p), l.view.Min.Y+off(p), l.view.Min.X+off(p+w), l.view.Min.Y+off(p+h))
	if pad := s.m.Pad(); pad != nil {
		s.add(ui.Widget{Name: "pad", Kind: ui.Area, Rect: l.pic,
			Label:   fmt.Sprintf("Drawing pad, %s: press and drag to draw", s.m.InputShape()),
			Tooltip: "Draw with the mouse or a finger: every map follows as you draw."})
	}
}

// layoutPadTools places the pad choices, inks, brushes and the clear button.
func (s *MapsScreen) layoutPadTools(l *mapsLayout, y int, row2 []image.Rectangle, shapeRow image.Rectangle) {
	a := l.colA
	clearW := mapsBtnW("Clear")
	padW := (a.Dx() - clearW - 2*ui.Gap) / 2
	x := a.Min.X
	for _, p := range []struct{ id, label, tip string }{
		{lesson.PadGrey, "Grey", "A 1 x 28 x 28 pad: white ink on black, like the digits."},
		{lesson.PadColour, "Colour", "A 3 x 32 x 32 pad: coloured ink on white, like the pictures."},
	} {
		name := "input-pad-" + strings.TrimPrefix(p.id, "pad:")
		s.add(ui.Widget{Name: name, Kind: ui.Choice, Group: "maps-pad", Label: p.label, On: s.m.InputID() == p.id,
			Rect: image.Rect(x, y, x+padW, y+ui.Control), Tooltip: p.tip})
		x += padW + ui.Gap
	}
	s.add(ui.Widget{Name: "pad-clear", Kind: ui.Button, Label: "Clear", Rect: image.Rect(a.Max.X-clearW, y, a.Max.X, y+ui.Control),
		Tooltip: "Clear the pad."})
	pad := s.m.Pad()
	if pad == nil {
		return
	}
	inks, radii := mapsGreyInks, mapsGreyBrushes
	if pad.C == 3 {
		inks, radii = mapsColourInks, mapsColourBrushes
	}
	for i, sw := range inks {
		sw.r = row2[i]
		l.swatch = append(l.swatch, sw)
		s.add(ui.Widget{Name: sw.name, Kind: ui.Cell, Group: "maps-ink", Rect: sw.r, On: mapsSameInk(pad.Ink, sw.ink),
			Label: mapsInkWords(sw.name, pad.C)})
	}
	x = shapeRow.Max.X - len(radii)*mapsCell - (len(radii)-1)*ui.Gap
	for i, rad := range radii {
		b := mapsBrush{name: "brush-" + strconv.Itoa(i+1), radius: rad,
			r: image.Rect(x, shapeRow.Min.Y, x+mapsCell, shapeRow.Max.Y)}
		l.brushes = append(l.brushes, b)
		s.add(ui.Widget{Name: b.name, Kind: ui.Cell, Group: "maps-brush", Rect: b.r, On: pad.Radius == rad,
			Label: fmt.Sprintf("Brush of radius %v pixels", rad)})
		x += mapsCell + ui.Gap
	}
}

func mapsSameInk(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > 1e-6 {
			return false
		}
	}
	return true
}

// mapsFlow places groups of controls left to right, starting a new row
// when a group does not fit.
type mapsFlow struct {
	r    image.Rectangle
	x, y int
}

// place returns the rectangle for a group w units wide.
func (f *mapsFlow) place(w int) image.Rectangle {
	if f.x > f.r.Min.X && f.x+w > f.r.Max.X {
		f.x, f.y = f.r.Min.X, f.y+ui.Control+ui.Gap
	}
	g := image.Rect(f.x, f.y, f.x+w, f.y+ui.Control)
	f.x += w + 3*ui.U
	return g
}

// bottom returns the y below the last row.
func (f *mapsFlow) bottom() int { return f.y + ui.Control }

// choices places a label and a row of numbered choices in one group.
func (s *MapsScreen) choices(l *mapsLayout, f *mapsFlow, label, name string, vals []int, cur int, tip func(int) string) {
	lw := ui.TextWidth(label, ui.SmallText) + ui.Gap
	g := f.place(lw + len(vals)*mapsCell + (len(vals)-1)*ui.Gap)
	l.labels = append(l.labels, mapsLabel{label, image.Rect(g.Min.X, g.Min.Y, g.Min.X+lw, g.Max.Y)})
	x := g.Min.X + lw
	for _, v := range vals {
		s.add(ui.Widget{Name: name + "-" + strconv.Itoa(v), Kind: ui.Choice, Group: "maps-" + name, Label: strconv.Itoa(v),
			On: v == cur, Rect: image.Rect(x, g.Min.Y, x+mapsCell, g.Max.Y), Tooltip: tip(v)})
		x += mapsCell + ui.Gap
	}
}

// button places a button in the flow.
func (s *MapsScreen) button(f *mapsFlow, w ui.Widget) {
	w.Rect = f.place(mapsBtnW(w.Label))
	s.add(w)
}

// layoutMaps places the maps tab: padding, stride and kernel size; a row
// with the output shape (or, with a filter open, the bank as a strip of
// cells) and the buttons that change the whole bank; then the filters
// above their maps and the probe, or the open filter's editor.
func (s *MapsScreen) layoutMaps(l *mapsLayout) {
	m := s.m
	b := m.Bank()
	f := &mapsFlow{r: l.right, x: l.right.Min.X, y: l.right.Min.Y}
	s.choices(l, f, "Padding", "padding", mapsPaddings, m.Padding(), func(v int) string {
		return fmt.Sprintf("%d ring(s) of zeros around the input", v)
	})
	s.choices(l, f, "Stride", "stride", mapsStrides, m.Stride(), func(v int) string {
		return fmt.Sprintf("The filters move %d pixel(s) at a time", v)
	})
	s.choices(l, f, "Kernel", "kernel", mapsKernels, b.K(), func(v int) string {
		return fmt.Sprintf("Every filter %d x %d: larger kernels get zeros around the old weights, smaller ones keep the centre", v, v)
	})
	y := f.bottom() + ui.Gap
	row := image.Rect(l.right.Min.X, y, l.right.Max.X, y+ui.Control)
	x := row.Max.X
	place := func(w ui.Widget) {
		bw := mapsBtnW(w.Label)
		w.Rect = image.Rect(x-bw, row.Min.Y, x, row.Max.Y)
		x -= bw + ui.Gap
		s.add(w)
	}
	place(ui.Widget{Name: "reset-filters", Kind: ui.Button, Label: "Reset filters",
		Tooltip: "Put back the lesson's starting filters."})
	load := ui.Widget{Name: "load-pretrained", Kind: ui.Button, Label: "Load trained filters",
		Tooltip: "Put the first-layer filters of a trained network into the bank."}
	if len(s.learned) == 0 {
		load.Disabled = true
		load.Tooltip = "No trained network's filters are available in this page yet."
	}
	if s.learnErr != "" {
		load.Tooltip += " " + mapsSentence(s.learnErr)
	}
	place(load)
	l.shapeLine = image.Rect(row.Min.X, row.Min.Y, x-2*ui.U, row.Max.Y)
	area := image.Rect(l.right.Min.X, row.Max.Y+2*ui.U, l.right.Max.X, l.right.Max.Y)
	if s.editing >= 0 {
		s.layoutEditor(l, area)
		return
	}
	s.layoutGrid(l, area)
}

// layoutGrid places the filters above their maps, as many as fit, and the
// probe below. When they do not all fit, the buttons that page through
// them stand at the grid's right, one above the other.
func (s *MapsScreen) layoutGrid(l *mapsLayout, area image.Rectangle) {
	m := s.m
	n := m.Bank().Filters()
	const gap = 2 * ui.U
	cols := min(n, 8)
	g := mapsGridFit(m, n, cols, area.Dx(), area.Dy()-mapsProbeMin)
	pagerW := mapsBtnW("Back")
	paged := n > g.rows*cols
	if paged {
		g = mapsGridFit(m, n, cols, area.Dx()-pagerW-gap, area.Dy()-mapsProbeMin)
		paged = n > g.rows*cols
	}
	colW, fs, ms, rowH := g.colW, g.fs, g.ms, g.rowH
	l.perPage = g.rows * cols
	pages := (n + l.perPage - 1) / l.perPage
	s.bankPage = min(s.bankPage, pages-1)
	l.first = s.bankPage * l.perPage
	if paged {
		s.pager(image.Rect(area.Max.X-pagerW, area.Min.Y, area.Max.X, area.Min.Y+rowH), pages)
	}
	for k := 0; k < l.perPage && l.first+k < n; k++ {
		fi := l.first + k
		x := area.Min.X + (k%cols)*(colW+gap)
		y := area.Min.Y + (k/cols)*(rowH+gap)
		c := mapsColumn{f: fi}
		c.name = image.Rect(x, y, x+colW, y+mapsSmall)
		y += mapsSmall + ui.U/2
		c.filter = image.Rect(x+(colW-fs)/2, y, x+(colW-fs)/2+fs, y+fs)
		y += fs + ui.Gap
		mx := x + (colW-ms)/2
		c.mp = image.Rect(mx, y, mx+ms, y+ms*g.mh/g.mw)
		// The legend spans the column, so that its numbers have room
		// under a map made small by a low window.
		c.legend = image.Rect(x, c.mp.Max.Y+ui.U/2, x+colW, c.mp.Max.Y+ui.U/2+mapsLegend)
		l.cols = append(l.cols, c)
		s.filterWidget(c.filter, fi)
		if m.Output() != nil {
			s.mapWidget(c.mp, fi)
		}
	}
	last := l.cols[len(l.cols)-1]
	top := max(last.legend.Max.Y, area.Min.Y+rowH) + gap
	l.probe = image.Rect(area.Min.X, top, area.Max.X, area.Max.Y)
}

// mapsGrid is the size of the filter grid's columns and rows.
type mapsGrid struct {
	colW, fs, ms, rowH int // a column's width, a filter's side, a map's width, a row's height
	rows               int // rows that fit
	mh, mw             int // a map's shape
}

// mapsGridFit works out the grid of n filters in cols columns within w x h
// units.
func mapsGridFit(m *lesson.Maps, n, cols, w, h int) mapsGrid {
	const gap = 2 * ui.U
	g := mapsGrid{colW: (w - (cols-1)*gap) / cols, mh: 1, mw: 1}
	g.fs = min(9*ui.U, g.colW)
	if out := m.Output(); out != nil {
		g.mh, g.mw = out.Shape[1], out.Shape[2]
	}
	g.ms = g.colW
	fixed := mapsSmall + ui.U/2 + g.fs + ui.Gap + ui.U/2 + mapsLegend
	if mh := g.ms * g.mh / g.mw; fixed+mh > h {
		g.ms = max(mapsCell, (h-fixed)*g.mw/g.mh)
	}
	g.rowH = fixed + g.ms*g.mh/g.mw
	g.rows = max(1, (h+gap)/(g.rowH+gap))
	g.rows = min(g.rows, (n+cols-1)/cols)
	return g
}

// pager places the buttons that page through the filters in r, one above
// the other, when they do not all fit.
func (s *MapsScreen) pager(r image.Rectangle, pages int) {
	s.add(ui.Widget{Name: "maps-prev", Kind: ui.Button, Label: "Back", Disabled: s.bankPage == 0,
		Rect: image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+ui.Control), Tooltip: "Show the previous filters."})
	y := r.Min.Y + ui.Control + ui.Gap
	s.add(ui.Widget{Name: "maps-next", Kind: ui.Button, Label: "Next", Disabled: s.bankPage >= pages-1,
		Rect: image.Rect(r.Min.X, y, r.Max.X, y+ui.Control), Tooltip: "Show the next filters."})
}

// filterWidget adds filter f's cell.
func (s *MapsScreen) filterWidget(r image.Rectangle, f int) {
	b := s.m.Bank()
	s.add(ui.Widget{Name: "filter-" + strconv.Itoa(f), Kind: ui.Cell, Group: "maps-filters", Rect: r, On: s.editing == f,
		Label:   fmt.Sprintf("Filter %d of %d: %s. Open it to see and edit its weights.", f+1, b.Filters(), b.Names[f]),
		Tooltip: fmt.Sprintf("Filter %d: %s. Click to open its weights.", f+1, b.Names[f])})
}

// mapWidget adds map f's area.
func (s *MapsScreen) mapWidget(r image.Rectangle, f int) {
	s.add(ui.Widget{Name: "map-" + strconv.Itoa(f), Kind: ui.Area, Group: "maps-maps", Rect: r,
		Label: fmt.Sprintf("Activation map %d (%s), %s: hover or click an activation to see how it is made",
			f+1, s.m.Bank().Names[f], mapsPlaneShape(s.m))})
}

// mapsPlaneShape returns one map's shape, "28 x 28".
func mapsPlaneShape(m *lesson.Maps) string {
	out := m.Output()
	if out == nil {
		return ""
	}
	return strconv.Itoa(out.Shape[1]) + " x " + strconv.Itoa(out.Shape[2])
}

// layoutEditor places the open filter's editor: the bank as a strip of
// cells, the weights of one channel as a grid of editable cells, the bias,
// the presets, and the filter's map with the probe.
func (s *MapsScreen) layoutEditor(l *mapsLayout, area image.Rectangle) {
	m := s.m
	b := m.Bank()
	f := s.editing
	row := l.shapeLine
	closeW := mapsBtnW("All maps")
	perRow := max(1, (row.Dx()-closeW-ui.Gap)/(mapsCell+ui.Gap))
	first := f / perRow * perRow
	x := row.Min.X
	for k := 0; k < perRow && first+k < b.Filters(); k++ {
		c := mapsColumn{f: first + k, filter: image.Rect(x, row.Min.Y, x+mapsCell, row.Max.Y)}
		l.strip = append(l.strip, c)
		s.filterWidget(c.filter, c.f)
		x += mapsCell + ui.Gap
	}
	s.add(ui.Widget{Name: "close-editor", Kind: ui.Button, Label: "All maps",
		Rect:    image.Rect(x+ui.Gap, row.Min.Y, x+ui.Gap+closeW, row.Max.Y),
		Tooltip: "Close the editor and show every filter with its map."})
	y := area.Min.Y
	l.header = image.Rect(area.Min.X, y, area.Max.X, y+mapsLine)
	y += mapsLine + ui.Gap

	k := b.K()
	h := area.Max.Y - y
	l.cellSz = min(mapsCell, (h-ui.Control-ui.Gap)/k)
	l.cellSz = max(l.cellSz, 6*ui.U)
	left := max(k*l.cellSz, 27*ui.U)
	l.grid = image.Rect(area.Min.X+(left-k*l.cellSz)/2, y, area.Min.X+(left-k*l.cellSz)/2+k*l.cellSz, y+k*l.cellSz)
	for u := 0; u < k; u++ {
		for v := 0; v < k; v++ {
			x0, y0 := l.grid.Min.X+v*l.cellSz, l.grid.Min.Y+u*l.cellSz
			c := mapsEditCell{name: fmt.Sprintf("weight-%d-%d-%d-%d", f, s.channel, u, v), f: f, c: s.channel, u: u, v: v,
				r: image.Rect(x0, y0, x0+l.cellSz, y0+l.cellSz)}
			l.cells = append(l.cells, c)
			w := b.W.At(f, s.channel, u, v)
			s.add(ui.Widget{Name: c.name, Kind: ui.Cell, Group: "maps-weights", Editable: true, Rect: c.r,
				Text: lesson.FormatNumber(w), Error: s.errCell == c.name,
				Label:   fmt.Sprintf("Weight of filter %d, %s, row %d, column %d", f+1, mapsChannelName(s.channel, b.Channels()), u+1, v+1),
				Tooltip: "Type a number and press Enter, drag up or down, or turn the mouse wheel."})
		}
	}
	by := l.grid.Max.Y + ui.Gap
	bx := area.Min.X + 6*ui.U
	l.labels = append(l.labels, mapsLabel{"bias", image.Rect(area.Min.X, by, bx, by+ui.Control)})
	l.bias = image.Rect(bx, by, bx+12*ui.U, by+ui.Control)
	biasName := "bias-" + strconv.Itoa(f)
	s.add(ui.Widget{Name: biasName, Kind: ui.Cell, Group: "maps-bias", Editable: true, Rect: l.bias,
		Text: lesson.FormatNumber(b.B[f]), Error: s.errCell == biasName,
		Label:   fmt.Sprintf("Bias of filter %d", f+1),
		Tooltip: "Type a number and press Enter, drag up or down, or turn the mouse wheel."})

	// The presets column.
	px := area.Min.X + left + 3*ui.U
	py := y
	pw := mapsPresetW
	if b.Channels() > 1 {
		cw := (pw - 2*ui.Gap) / 3
		for c := 0; c < b.Channels() && c < 3; c++ {
			x := px + c*(cw+ui.Gap)
			s.add(ui.Widget{Name: "channel-" + strconv.Itoa(c), Kind: ui.Choice, Group: "maps-channel",
				Label: mapsCapital(mapsChannelNames[c]), On: s.channel == c,
				Rect:    image.Rect(x, py, x+cw, py+ui.Control),
				Tooltip: fmt.Sprintf("Show and edit the weights the filter gives the %s channel.", mapsChannelNames[c])})
		}
		py += ui.Control + ui.Gap
		s.add(ui.Widget{Name: "preset-all", Kind: ui.Toggle, Label: "All channels", On: s.presetAll,
			Rect:    image.Rect(px, py, px+pw, py+ui.Control),
			Tooltip: "On: a preset goes on every channel (e.g. an edge in brightness). Off: only on the channel shown."})
		py += ui.Control + ui.Gap
	}
	bw := (pw - ui.Gap) / 2
	for i, p := range lesson.KernelPresets {
		x := px + (i%2)*(bw+ui.Gap)
		yy := py + (i/2)*(ui.Control+ui.Gap)
		s.add(ui.Widget{Name: mapsPresetName(p), Kind: ui.Button, Label: p, Rect: image.Rect(x, yy, x+bw, yy+ui.Control),
			Tooltip: "Put the " + p + " filter on " + s.presetWhere() + "."})
	}

	// The open filter's map and the probe.
	mx := px + pw + 3*ui.U
	mw := area.Max.X - mx
	textH := 16 * ui.U
	side := max(mapsCell, min(mw, area.Max.Y-y-mapsLegend-ui.U-textH))
	c := mapsColumn{f: f}
	c.mp = image.Rect(mx, y, mx+side, y+side)
	c.legend = image.Rect(mx, c.mp.Max.Y+ui.U/2, mx+side, c.mp.Max.Y+ui.U/2+mapsLegend)
	l.big = c
	l.bigText = image.Rect(mx, c.legend.Max.Y+ui.Gap, area.Max.X, area.Max.Y)
	l.probe = l.bigText
	if m.Output() != nil {
		s.mapWidget(c.mp, f)
	}
}

// presetWhere says where a preset goes: "every channel of filter 2".
func (s *MapsScreen) presetWhere() string {
	b := s.m.Bank()
	if b.Channels() == 1 {
		return fmt.Sprintf("filter %d", s.editing+1)
	}
	if s.presetAll {
		return fmt.Sprintf("every channel of filter %d", s.editing+1)
	}
	return fmt.Sprintf("the %s channel of filter %d", mapsChannelName(s.channel, b.Channels()), s.editing+1)
}

// layoutStack places slide 23's stack: a mosaic of each layer's maps with
// its shapes, and the table of shapes below.
func (s *MapsScreen) layoutStack(l *mapsLayout) {
	r := l.right
	l.stackHead = image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+2*paraLine(mapsCap))
	st := s.m.Stack()
	if st == nil {
		return
	}
	const gap = 3 * ui.U
	n := len(st.Layers)
	colW := (r.Dx() - (n-1)*gap) / n
	top := l.stackHead.Max.Y + ui.Gap
	tableH := (n + 1) * 4 * ui.U
	infoH := 2 * paraLine(mapsBody)
	maxH := r.Max.Y - top - 2*mapsLine - ui.U - mapsLegend - 2*ui.U - tableH - ui.Gap - infoH
	for i, ly := range st.Layers {
		x := r.Min.X + i*(colW+gap)
		c := mapsStackColumn{title: image.Rect(x, top, x+colW, top+mapsLine)}
		cols, mw, mh := mapsMosaicFit(ly.Out[0], ly.Out[2], ly.Out[1], colW, maxH)
		c.cols = cols
		c.mosaic = image.Rect(x+(colW-mw)/2, c.title.Max.Y, x+(colW-mw)/2+mw, c.title.Max.Y+mh)
		lw := max(mw, min(colW, 20*ui.U))
		c.legend = image.Rect(x+(colW-lw)/2, c.mosaic.Max.Y+ui.U/2, x+(colW-lw)/2+lw, c.mosaic.Max.Y+ui.U/2+mapsLegend)
		c.out = image.Rect(x, c.legend.Max.Y+ui.U/2, x+colW, c.legend.Max.Y+ui.U/2+mapsLine)
		l.stackCols = append(l.stackCols, c)
		s.add(ui.Widget{Name: "stack-" + strconv.Itoa(i), Kind: ui.Area, Group: "maps-stack", Rect: c.mosaic,
			Label: fmt.Sprintf("Layer %d's %d maps, %s: hover a unit to see the input region it depends on", i+1, ly.Out[0], st.OutputShape(i))})
	}
	bottom := 0
	for _, c := range l.stackCols {
		bottom = max(bottom, c.out.Max.Y)
	}
	l.stackTable = image.Rect(r.Min.X, bottom+2*ui.U, r.Max.X, bottom+2*ui.U+tableH)
	l.stackInfo = image.Rect(r.Min.X, l.stackTable.Max.Y+ui.Gap, r.Max.X, r.Max.Y)
}

// mapsMosaicFit chooses how many of n maps (w x h pixels each, one pixel
// apart) go in a row so that they show largest within maxW x maxH units,
// and returns that and the mosaic's size in units.
func mapsMosaicFit(n, w, h, maxW, maxH int) (cols, uw, uh int) {
	best := -1.0
	for c := 1; c <= n; c++ {
		rows := (n + c - 1) / c
		pw, ph := c*(w+1)-1, rows*(h+1)-1
		scale := math.Min(float64(maxW)/float64(pw), float64(maxH)/float64(ph))
		if scale > best+1e-9 {
			best, cols = scale, c
			uw, uh = int(float64(pw)*scale), int(float64(ph)*scale)
		}
	}
	return cols, uw, uh
}

// layoutCompose places slide 25's check: the paddings and new kernels; the
// two kernels and the composed one as pictures, with the verdict beside
// them; then the two outputs and their difference, and the composed
// kernel's numbers.
func (s *MapsScreen) layoutCompose(l *mapsLayout) {
	r := l.right
	f := &mapsFlow{r: r, x: r.Min.X, y: r.Min.Y}
	lw := ui.TextWidth("Padding", ui.SmallText) + ui.Gap
	comp := s.m.Composition()
	choiceW := mapsBtnW("2 then 0")
	g := f.place(lw + len(mapsComposePads)*(choiceW+ui.Gap) - ui.Gap)
	l.labels = append(l.labels, mapsLabel{"Padding", image.Rect(g.Min.X, g.Min.Y, g.Min.X+lw, g.Max.Y)})
	x := g.Min.X + lw
	for _, p := range mapsComposePads {
		s.add(ui.Widget{Name: fmt.Sprintf("compose-pad-%d-%d", p[0], p[1]), Kind: ui.Choice, Group: "maps-compose-pad",
			Label: fmt.Sprintf("%d then %d", p[0], p[1]), On: comp.Pad1 == p[0] && comp.Pad2 == p[1],
			Rect: image.Rect(x, g.Min.Y, x+choiceW, g.Max.Y), Tooltip: mapsComposePadTip(p)})
		x += choiceW + ui.Gap
	}
	s.button(f, ui.Widget{Name: "compose-random", Kind: ui.Button, Label: "New kernels",
		Tooltip: "Draw two new random 3x3 convolutions and compose them again."})
	y := f.bottom() + ui.Gap
	l.compText = image.Rect(r.Min.X, y, r.Max.X, y+3*paraLine(mapsCap))
	y = l.compText.Max.Y + ui.Gap
	l.compLabel = mapsLine

	// The kernels: W1's filters and W2 as pictures, then the composed W
	// as numbers, one grid per input channel, tinted as a picture is.
	ks := 8 * ui.U
	x = r.Min.X
	top := y + l.compLabel
	for range comp.W1.Shape[0] {
		l.compW1 = append(l.compW1, image.Rect(x, top, x+ks, top+ks))
		x += ks + ui.Gap
	}
	x += 3 * ui.U
	c1 := comp.W2.Shape[1]
	w2w := ks * (c1*4 - 1) / 3 // the channels side by side, one pixel apart
	l.compW2 = image.Rect(x, top, x+w2w, top+ks)
	x += w2w + 5*ui.U
	k := comp.W.Shape[2]
	c0 := comp.W.Shape[1]
	const gap = 2 * ui.U
	cellW := min(7*ui.U, (r.Max.X-x-(c0-1)*gap)/(c0*k))
	cellH := 5 * ui.U / 2
	for c := 0; c < c0; c++ {
		gx := x + c*(k*cellW+gap)
		l.compKern = append(l.compKern, image.Rect(gx, top, gx+k*cellW, top+k*cellH))
	}
	y = max(top+ks, l.compKern[0].Max.Y) + 2*ui.U

	// The outputs and their difference, with the verdict to their right,
	// or below them when that leaves them larger (on a tall page).
	y += l.compLabel
	const verdictW, verdictH = 38 * ui.U, 17 * ui.U
	side := min((r.Dx()-3*3*ui.U-verdictW)/3, r.Max.Y-y-mapsLegend-ui.U)
	below := min((r.Dx()-2*3*ui.U)/3, r.Max.Y-y-mapsLegend-3*ui.U-verdictH)
	if below > side {
		side = below
	}
	for i := range l.compOut {
		x := r.Min.X + i*(side+3*ui.U)
		l.compOut[i] = image.Rect(x, y, x+side, y+side)
		l.compLeg[i] = image.Rect(x, y+side+ui.U/2, x+side, y+side+ui.U/2+mapsLegend)
	}
	l.compVerd = image.Rect(l.compOut[2].Max.X+3*ui.U, y-l.compLabel, r.Max.X, r.Max.Y)
	if side == below {
		l.compVerd = image.Rect(r.Min.X, l.compLeg[0].Max.Y+2*ui.U, r.Max.X, r.Max.Y)
	}
}

// paraLine returns the height of a line of text of the given size
// written by painter.para.
func paraLine(size float64) int { return int(math.Ceil(size * 1.35)) }

// mapsComposePadTip explains a choice of the composition check's padding.
func mapsComposePadTip(p [2]int) string {
	switch {
	case p[0] == 0 && p[1] == 0:
		return "No padding: the output shrinks by 2 at each convolution, by 4 in one 5x5 step."
	case p[1] == 0:
		return fmt.Sprintf("Pad the input by %d and the middle by 0: the two paths agree everywhere.", p[0])
	}
	return fmt.Sprintf("Pad the input by %d and the middle by %d: the middle's zeros are not outputs of the first convolution, so the border differs.", p[0], p[1])
}

// mapsTabLabel is the text of a tab.
func mapsTabLabel(t string) string {
	switch t {
	case "stack":
		return "Stacking (slide 23)"
	case "compose":
		return "Two convs = one? (slide 25)"
	}
	return "Filters and maps"
}

// mapsTabTip describes a tab.
func mapsTabTip(t string) string {
	switch t {
	case "stack":
		return "Three convolutions in a row, with every weight and output shape. Key: → from the maps."
	case "compose":
		return "Two 3x3 convolutions with nothing between them are one 5x5 convolution; with ReLU between them they are not."
	}
	return "A bank of filters over the input: one activation map per filter."
}

// mapsTabWords says what a tab shows, for the status line.
func mapsTabWords(t string, m *lesson.Maps) string {
	switch t {
	case "stack":
		if st := m.Stack(); st != nil {
			return fmt.Sprintf("Stacking convolutions (slide 23): %s -> %s -> %s -> %s.",
				m.InputShape(), st.OutputShape(0), st.OutputShape(1), st.OutputShape(2))
		}
		return "Stacking convolutions (slide 23): " + m.StackError()
	case "compose":
		return "Two convolutions without ReLU between them are one convolution (slide 25)."
	}
	return "Filters and maps: " + m.FilterShape() + " filters on a " + m.InputShape() + " input."
}

// mapsSourceLabel names a kind of input on its button.
func mapsSourceLabel(src string) string {
	switch src {
	case "digit":
		return "Digits"
	case "picture":
		return "Pictures"
	case "colour":
		return "Colour patterns"
	}
	return "Draw"
}

// mapsSourceTip describes a kind of input.
func mapsSourceTip(src string) string {
	switch src {
	case "digit":
		return "Handwritten digits from MNIST, 1 x 28 x 28."
	case "picture":
		return "Photo-like pictures, 3 x 32 x 32."
	case "colour":
		return "Generated colour patterns (edges, stripes, opposing colours), 3 x 32 x 32."
	}
	return "Draw your own input with the mouse or a finger."
}

// mapsInkWords names an ink for a screen reader.
func mapsInkWords(name string, channels int) string {
	ink := strings.TrimPrefix(name, "ink-")
	switch {
	case channels == 1 && ink == "black", channels == 3 && ink == "white":
		return ink + " ink: erases"
	}
	return ink + " ink"
}
